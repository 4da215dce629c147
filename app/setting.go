package app

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/uptrace/bun"
)

// SettingPriceTolerance is the key of the price tolerance: how far, in whole percent of the
// store price, a listed price may differ before the listing is flagged.
const (
	SettingPriceTolerance   = "price_tolerance_percent"
	DefaultPriceTolerance   = 10
	MaxPriceTolerance       = 100
	settingObject           = "setting"
	settingManage           = "manage"
	settingToleranceMessage = "setting.tolerance_range"
)

// Setting is one state-wide value, changed under optimistic locking.
type Setting struct {
	bun.BaseModel `bun:"table:settings,alias:se"`

	Key       string    `bun:"key,pk" json:"key"`
	Value     string    `bun:"value" json:"value"`
	Version   int64     `bun:"version" json:"version"`
	UpdatedAt time.Time `bun:"updated_at" json:"updated_at"`
	UpdatedBy *int64    `bun:"updated_by" json:"-"`
}

// Settings changes the state-wide settings; only a state-wide setting:manage grant may.
type Settings struct {
	DB    *bun.DB
	Authz Authorizer
}

// PriceTolerance returns the tolerance in percent; a missing row means the default.
func PriceTolerance(ctx context.Context, db bun.IDB) (int, error) {
	st, err := readSetting(ctx, db, SettingPriceTolerance)
	if errNoRows(err) {
		return DefaultPriceTolerance, nil
	}
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(st.Value)
	if err != nil {
		return 0, fmt.Errorf("settings: tolerance %q: %w", st.Value, err)
	}
	return n, nil
}

// Get returns a setting.
func (s *Settings) Get(ctx context.Context, key string) (*Setting, error) {
	st, err := readSetting(ctx, s.DB, key)
	if errNoRows(err) {
		return nil, ErrNotFound
	}
	return st, err
}

// SetPriceTolerance changes the tolerance to percent (0 to MaxPriceTolerance); version is the
// one read.
func (s *Settings) SetPriceTolerance(ctx context.Context, actor Actor, percent int, version int64) (*Setting, error) {
	if !actor.system && !s.Authz.Can(actor.UserID, "*", settingObject, settingManage) {
		return nil, ErrForbidden
	}
	if percent < 0 || percent > MaxPriceTolerance {
		return nil, Invalid{"percent": Msg(settingToleranceMessage, "max", strconv.Itoa(MaxPriceTolerance))}.Err()
	}
	var out *Setting
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		cur, err := readSetting(ctx, tx, SettingPriceTolerance)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return ErrStale
		}
		next := *cur
		next.Value, next.UpdatedAt = strconv.Itoa(percent), Now()
		if actor.UserID != 0 {
			id := actor.UserID
			next.UpdatedBy = &id
		}
		if err := updateVersioned(ctx, tx, &next, "key", cur.Key, cur.Version, "value", "updated_at", "updated_by"); err != nil {
			return err
		}
		next.Version++
		out = &next
		if err := refreshReadinessFlags(ctx, tx, percent); err != nil {
			return err
		}
		return RecordAudit(ctx, tx, actor, Change{Entity: settingObject, EntityID: cur.Key, Action: "update",
			Before: cur, After: &next})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func readSetting(ctx context.Context, db bun.IDB, key string) (*Setting, error) {
	st := new(Setting)
	if err := db.NewSelect().Model(st).Where("se.key = ?", key).Scan(ctx); err != nil {
		if errNoRows(err) {
			return nil, err
		}
		return nil, fmt.Errorf("settings: read %s: %w", key, err)
	}
	return st, nil
}
