package app_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/uptrace/bun"

	"shilpkosh/app"
	"shilpkosh/app/apptest"
	"shilpkosh/policies"
)

// artEnv is the artisan registry over one fresh database, with a user of each role that
// takes part in the workflow.
type artEnv struct {
	t      *testing.T
	db     *bun.DB
	authz  *policies.Enforcer
	svc    *app.Artisans
	orgs   *app.Organisations
	actors map[string]app.Actor
}

// artUsers are username → role, district ("*" for state-wide).
var artUsers = []struct{ username, role, district string }{
	{"admin", "state_admin", "*"},
	{"board", "board_official", "*"},
	{"auditor", "auditor", "*"},
	{"dic.jaipur", "dic_officer", "jaipur"},
	{"dic2.jaipur", "dic_officer", "jaipur"},
	{"dic.jodhpur", "dic_officer", "jodhpur"},
	{"entry.jaipur", "data_entry", "jaipur"},
	{"entry.jodhpur", "data_entry", "jodhpur"},
}

func eachArtEnv(t *testing.T, fn func(t *testing.T, e *artEnv)) {
	apptest.EachDB(t, func(t *testing.T, db *bun.DB) {
		fn(t, newArtEnv(t, db))
	})
}

func newArtEnv(t testing.TB, db *bun.DB) *artEnv {
	ctx := context.Background()
	authz, err := policies.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	e := &artEnv{db: db, authz: authz, actors: map[string]app.Actor{},
		svc:  &app.Artisans{DB: db, Authz: authz, Keys: app.NewKeys([]byte("artisan-test-secret-artisan-test"))},
		orgs: &app.Organisations{DB: db, Authz: authz}}
	if tt, ok := t.(*testing.T); ok {
		e.t = tt
	}
	now := app.Now()
	for _, u := range artUsers {
		// Users are written directly: the argon2 hash of Users.Create is not under test here.
		user := &app.User{Username: u.username, Name: "Name of " + u.username, PasswordHash: "-", Lang: "en",
			Active: true, PasswordChangedAt: now, CreatedAt: now, UpdatedAt: now, Version: 1}
		if _, err := db.NewInsert().Model(user).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := db.NewRaw("INSERT INTO casbin_rule (ptype, v0, v1, v2) VALUES ('g', ?, ?, ?)",
			app.Subject(user.ID), u.role, u.district).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		e.actors[u.username] = app.Actor{UserID: user.ID, Username: u.username, Name: user.Name}
	}
	if err := authz.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *artEnv) actor(username string) app.Actor {
	a, ok := e.actors[username]
	if !ok {
		panic("no test user " + username)
	}
	return a
}

// create saves an artisan or fails the test.
func (e *artEnv) create(who string, in app.ArtisanInput) *app.Artisan {
	e.t.Helper()
	a, err := e.svc.Create(context.Background(), e.actor(who), in)
	if err != nil {
		e.t.Fatalf("create %s by %s: %v", in.Name, who, err)
	}
	return a
}

// approved takes a new record through submit, verify and approve.
func (e *artEnv) approved(in app.ArtisanInput) *app.Artisan {
	e.t.Helper()
	ctx := context.Background()
	creator, verifier := "entry.jaipur", "dic.jaipur"
	if in.District == "jodhpur" {
		creator, verifier = "entry.jodhpur", "dic.jodhpur"
	}
	a := e.create(creator, in)
	a, err := e.svc.Submit(ctx, e.actor(creator), a.ID, a.Version, "")
	if err != nil {
		e.t.Fatal(err)
	}
	if a, err = e.svc.Verify(ctx, e.actor(verifier), a.ID, a.Version, ""); err != nil {
		e.t.Fatal(err)
	}
	if a, err = e.svc.Approve(ctx, e.actor("board"), a.ID, a.Version, ""); err != nil {
		e.t.Fatal(err)
	}
	return a
}

// artInput is a valid input for a Jaipur block printer.
func artInput(name, mobile string) app.ArtisanInput {
	return app.ArtisanInput{
		Name: name, NameHi: "", RelativeName: "Ramesh Chand", Gender: "male", DateOfBirth: "1980-05-17",
		SocialCategory: "obc", Mobile: mobile, District: "jaipur", Tehsil: "Sanganer", Village: "Sanganer",
		PINCode: "302029", PrimaryCraft: "sanganeri-block-print", YearsInCraft: 20,
	}
}

// artAadhaar builds a made-up Aadhaar number with a valid Verhoeff check digit; never a
// real one.
func artAadhaar(n int) string {
	digits := fmt.Sprintf("2345%07d", n)
	return digits + string(app.VerhoeffCheckDigit(digits))
}

// artCode returns the code and message key of an *app.Error, or "" and the error text.
func artCode(err error) (string, string) {
	var e *app.Error
	if errors.As(err, &e) {
		return e.Code, e.Message.Key
	}
	if err == nil {
		return "", ""
	}
	return "", err.Error()
}

// artWant fails unless err is an *app.Error with the code and key.
func artWant(t *testing.T, what string, err error, code, key string) {
	t.Helper()
	gotCode, gotKey := artCode(err)
	if gotCode != code || gotKey != key {
		t.Errorf("%s: got %s %s (%v), want %s %s", what, gotCode, gotKey, err, code, key)
	}
}

// artCountsExact checks artisan_counts against COUNT(*) over artisans.
func artCountsExact(t *testing.T, db *bun.DB) {
	t.Helper()
	ctx := context.Background()
	type row struct {
		District string `bun:"district"`
		Status   string `bun:"status"`
		N        int64  `bun:"n"`
	}
	var kept, real []row
	if err := db.NewSelect().Table("artisan_counts").Column("district", "status", "n").Where("n <> 0").
		OrderExpr("district, status").Scan(ctx, &kept); err != nil {
		t.Fatal(err)
	}
	if err := db.NewSelect().Table("artisans").ColumnExpr("district, status, COUNT(*) AS n").
		GroupExpr("district, status").OrderExpr("district, status").Scan(ctx, &real); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(kept) != fmt.Sprint(real) {
		t.Errorf("artisan_counts = %v, COUNT(*) = %v", kept, real)
	}
}
