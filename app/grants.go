package app

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/uptrace/bun"
)

// Grant gives a user a role in one district, or in every district ("*").
type Grant struct {
	Role     string `json:"role"`
	District string `json:"district"`
}

// AllDistrictsDomain is the casbin domain of a state-wide grant.
const AllDistrictsDomain = "*"

// Subject is the casbin subject of a user. Grants are casbin "g" rows, so the casbin_rule
// table is the one source of truth for who holds which role where.
func Subject(userID int64) string { return "user:" + strconv.FormatInt(userID, 10) }

// casbinRule mirrors a row of casbin_rule for the few places app writes grants.
type casbinRule struct {
	bun.BaseModel `bun:"table:casbin_rule"`

	ID    int64  `bun:"id,pk,autoincrement"`
	PType string `bun:"ptype"`
	V0    string `bun:"v0"`
	V1    string `bun:"v1"`
	V2    string `bun:"v2"`
	V3    string `bun:"v3"`
	V4    string `bun:"v4"`
	V5    string `bun:"v5"`
}

// BumpPolicyVersion records, inside the caller's transaction, that roles or policy changed,
// so every server instance reloads its rules (see policies.Enforcer.Watch).
func BumpPolicyVersion(ctx context.Context, tx bun.IDB) error {
	if _, err := tx.NewUpdate().Table("policy_state").Set("version = version + 1").Where("id = 1").Exec(ctx); err != nil {
		return fmt.Errorf("grants: bump policy version: %w", err)
	}
	return nil
}

// replaceGrants sets the user's grants to role in each of districts, inside tx.
func replaceGrants(ctx context.Context, tx bun.IDB, userID int64, role string, districts []string) error {
	if err := BumpPolicyVersion(ctx, tx); err != nil {
		return err
	}
	sub := Subject(userID)
	if _, err := tx.NewDelete().Model((*casbinRule)(nil)).Where("ptype = 'g' AND v0 = ?", sub).Exec(ctx); err != nil {
		return fmt.Errorf("grants: clear: %w", err)
	}
	rows := make([]casbinRule, 0, len(districts))
	for _, d := range districts {
		rows = append(rows, casbinRule{PType: "g", V0: sub, V1: role, V2: d})
	}
	if len(rows) == 0 {
		return nil
	}
	if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
		return fmt.Errorf("grants: insert: %w", err)
	}
	return nil
}

// userGrants returns one user's grants.
func userGrants(ctx context.Context, db bun.IDB, userID int64) ([]Grant, error) {
	all, err := queryGrants(ctx, db, "ptype = 'g' AND v0 = ?", Subject(userID))
	return all[userID], err
}

// loadGrants returns the grants of every user, keyed by user id.
func loadGrants(ctx context.Context, db bun.IDB) (map[int64][]Grant, error) {
	return queryGrants(ctx, db, "ptype = 'g' AND v0 LIKE 'user:%'")
}

func queryGrants(ctx context.Context, db bun.IDB, where string, args ...any) (map[int64][]Grant, error) {
	var rows []casbinRule
	if err := db.NewSelect().Model(&rows).Where(where, args...).Scan(ctx); err != nil {
		return nil, fmt.Errorf("grants: load: %w", err)
	}
	out := make(map[int64][]Grant)
	for _, r := range rows {
		id, err := strconv.ParseInt(strings.TrimPrefix(r.V0, "user:"), 10, 64)
		if err != nil {
			continue
		}
		out[id] = append(out[id], Grant{Role: r.V1, District: r.V2})
	}
	for _, g := range out {
		sort.Slice(g, func(i, j int) bool { return g[i].District < g[j].District })
	}
	return out, nil
}
