package policies

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// policyVersion reads the version that every change to roles or policy moves on.
func (e *Enforcer) policyVersion(ctx context.Context) (int64, error) {
	var v int64
	err := e.db.NewSelect().Table("policy_state").Column("version").Where("id = 1").Scan(ctx, &v)
	if err != nil {
		return 0, fmt.Errorf("policies: read policy version: %w", err)
	}
	return v, nil
}

// Watch reloads the rules whenever another server instance sharing the database has
// changed them, checking every interval until ctx ends. The instance that made a change
// reloads at once; the others follow within one interval.
func (e *Enforcer) Watch(ctx context.Context, interval time.Duration, log *slog.Logger) {
	if log == nil {
		log = slog.Default()
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := e.ReloadIfChanged(ctx); err != nil && ctx.Err() == nil {
			log.Warn("policy reload failed; the previous rules stay in force", "error", err.Error())
		}
	}
}

// ReloadIfChanged reloads the rules when the stored version differs from the one loaded,
// and reports whether it did.
func (e *Enforcer) ReloadIfChanged(ctx context.Context) (bool, error) {
	v, err := e.policyVersion(ctx)
	if err != nil {
		return false, err
	}
	if v == e.loaded.Load() {
		return false, nil
	}
	return true, e.Reload(ctx)
}
