package policies_test

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"shilpkosh/app"
	"shilpkosh/app/apptest"
	"shilpkosh/policies"
)

// TestSecondInstanceFollowsAChange runs two enforcers over one database, as two server
// processes would: a grant changed through one is enforced by the other after it notices.
func TestSecondInstanceFollowsAChange(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		one, err := policies.New(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		two, err := policies.New(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		users := &app.Users{DB: db, Authz: one}
		u, err := users.Create(ctx, app.System, app.NewUser{Username: "dic.ajmer", Password: "long-enough-pw",
			Name: "D", Role: "dic_officer", Districts: []string{"ajmer"}})
		if err != nil {
			t.Fatal(err)
		}
		if !one.Can(u.ID, "ajmer", "artisan", "verify") {
			t.Fatal("the instance that made the change does not enforce it")
		}
		if two.Can(u.ID, "ajmer", "artisan", "verify") {
			t.Fatal("the other instance knew before reloading: the test proves nothing")
		}
		watchCtx, stop := context.WithCancel(ctx)
		defer stop()
		go two.Watch(watchCtx, 20*time.Millisecond, nil)
		waitFor(t, func() bool { return two.Can(u.ID, "ajmer", "artisan", "verify") })

		// A revocation travels the same way.
		if _, err := users.Update(ctx, app.System, u.ID, app.UserUpdate{Districts: &[]string{"bundi"}, Version: u.Version}); err != nil {
			t.Fatal(err)
		}
		waitFor(t, func() bool { return !two.Can(u.ID, "ajmer", "artisan", "verify") })
		if changed, err := two.ReloadIfChanged(ctx); err != nil || changed {
			t.Errorf("nothing changed since, yet ReloadIfChanged = %v, %v", changed, err)
		}
	})
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("the other instance did not follow within 5 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
