package app

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// LoginAttempt is one row of the login log.
type LoginAttempt struct {
	bun.BaseModel `bun:"table:login_attempts"`

	ID       int64     `bun:"id,pk,autoincrement" json:"id"`
	At       time.Time `bun:"at" json:"at"`
	Username string    `bun:"username" json:"username"`
	IP       string    `bun:"ip" json:"ip"`
	Success  bool      `bun:"success" json:"success"`
	Reason   string    `bun:"reason" json:"reason"`
}

// Throttle slows and then refuses repeated failed logins. It counts from the login log in
// the database, so several server instances share one count.
type Throttle struct {
	Window    time.Duration
	SlowAfter int           // failures for a username before each attempt is delayed
	Delay     time.Duration // added per failure past SlowAfter
	MaxDelay  time.Duration
	UserLimit int // failures for a username that lock it for the window
	IPLimit   int // failures from one address that lock it for the window
	Sleep     func(context.Context, time.Duration)
}

// DefaultThrottle: 3 free failures, then growing delays, then 429 after 10 failures of a
// username or 50 from one address within 15 minutes.
var DefaultThrottle = Throttle{Window: 15 * time.Minute, SlowAfter: 3, Delay: 500 * time.Millisecond,
	MaxDelay: 3 * time.Second, UserLimit: 10, IPLimit: 50, Sleep: sleepCtx}

func (t Throttle) check(ctx context.Context, db bun.IDB, username, ip string) error {
	since := Now().Add(-t.Window)
	userFails, err := t.failuresSinceSuccess(ctx, db, "username", username, since)
	if err != nil {
		return err
	}
	ipFails, err := t.failuresSinceSuccess(ctx, db, "ip", ip, since)
	if err != nil {
		return err
	}
	if userFails >= t.UserLimit || ipFails >= t.IPLimit {
		return Errorf(ERATELIMITED, "error.rate_limited")
	}
	if over := userFails - t.SlowAfter + 1; over > 0 && t.Sleep != nil {
		t.Sleep(ctx, min(time.Duration(over)*t.Delay, t.MaxDelay))
	}
	return nil
}

// failuresSinceSuccess counts failures in the window after the last success for the key,
// so a user who finally signs in starts again from zero.
func (t Throttle) failuresSinceSuccess(ctx context.Context, db bun.IDB, column, value string, since time.Time) (int, error) {
	var last []time.Time
	err := db.NewSelect().Model((*LoginAttempt)(nil)).Column("at").Where("? = ? AND success AND at > ?", bun.Ident(column), value, since).
		OrderExpr("at DESC").Limit(1).Scan(ctx, &last)
	if err != nil {
		return 0, fmt.Errorf("throttle: last success: %w", err)
	}
	if len(last) == 1 {
		since = last[0]
	}
	n, err := db.NewSelect().Model((*LoginAttempt)(nil)).Where("? = ? AND NOT success AND at > ?", bun.Ident(column), value, since).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("throttle: count failures: %w", err)
	}
	return int(n), nil
}

func sleepCtx(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}
