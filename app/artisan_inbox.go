package app

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Tasks of an inbox item: what the actor is asked to do with the record.
const (
	ArtisanTaskVerify  = "verify"
	ArtisanTaskApprove = "approve"
	ArtisanTaskFix     = "fix"
)

// ArtisanInboxLimit caps an inbox; the oldest items come first, so nothing urgent is cut.
const ArtisanInboxLimit = 500

// ArtisanInboxItem is one record waiting for the actor, and for how long.
type ArtisanInboxItem struct {
	Task    string    `json:"task"`
	Since   time.Time `json:"since"`
	AgeDays int       `json:"age_days"` // whole days since Since
	Artisan Artisan   `json:"artisan"`
}

// Inbox returns what waits for the actor, oldest first: records submitted in districts
// where the actor may verify (except those the actor created), verified records where the
// actor may approve, and rejected records the actor created, to fix.
func (s *Artisans) Inbox(ctx context.Context, actor Actor) ([]ArtisanInboxItem, error) {
	verify, approve := s.scope(actor, "verify"), s.scope(actor, "approve")
	var rows []Artisan
	q := s.selectArtisans(s.DB, actor, &rows).WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		q = q.WhereGroup(" OR ", func(q *bun.SelectQuery) *bun.SelectQuery {
			q = verify.Apply(q.Where("a.status = ?", ArtisanSubmitted), "a.district")
			return q.Where("(a.created_by IS NULL OR a.created_by <> ?)", actor.UserID)
		})
		q = q.WhereGroup(" OR ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return approve.Apply(q.Where("a.status = ?", ArtisanVerified), "a.district")
		})
		return q.WhereGroup(" OR ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("a.status = ? AND a.created_by = ?", ArtisanRejected, actor.UserID)
		})
	})
	err := q.OrderExpr("a.status_changed_at ASC, a.id ASC").Limit(ArtisanInboxLimit).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("artisans: inbox: %w", err)
	}
	if err := s.finish(ctx, actor, rows); err != nil {
		return nil, err
	}
	now := Now()
	out := make([]ArtisanInboxItem, 0, len(rows))
	for _, a := range rows {
		task := ArtisanTaskFix
		switch a.Status {
		case ArtisanSubmitted:
			task = ArtisanTaskVerify
		case ArtisanVerified:
			task = ArtisanTaskApprove
		}
		out = append(out, ArtisanInboxItem{Task: task, Since: a.StatusChangedAt,
			AgeDays: int(now.Sub(a.StatusChangedAt).Hours() / 24), Artisan: a})
	}
	return out, nil
}
