package migrations

import (
	"context"
	"errors"

	"shilpkosh/app"
)

// DemoPassword is shared by every demo user: the demo set is for trying the app, never
// for a database holding real artisans.
const DemoPassword = "shilpkosh-demo"

// DemoUsers are one user of each role, with district officers in two districts so the
// district scoping can be seen at work.
var DemoUsers = []app.NewUser{
	{Username: "board", Name: "Board Official (demo)", Role: "board_official"},
	{Username: "dic.jaipur", Name: "DIC Officer Jaipur (demo)", Role: "dic_officer", Districts: []string{"jaipur"}},
	{Username: "dic.jodhpur", Name: "DIC Officer Jodhpur (demo)", Role: "dic_officer", Districts: []string{"jodhpur"}},
	{Username: "entry.jaipur", Name: "Data Entry Jaipur (demo)", Role: "data_entry", Districts: []string{"jaipur"}},
	{Username: "auditor", Name: "Auditor (demo)", Role: "auditor"},
}

// Demo holds the services the demo data set is loaded through, so it obeys every rule
// real data does.
type Demo struct {
	Users         *app.Users
	Artisans      *app.Artisans
	Organisations *app.Organisations
	Stores        *app.Stores
	Sales         *app.Sales
}

// DemoResult counts what SeedDemo created; a second run creates nothing.
type DemoResult struct{ Users, Artisans, Sales int }

// SeedDemo creates the demo users that do not exist yet and, on a registry with no
// artisans, the demo organisations and artisans.
func SeedDemo(ctx context.Context, d Demo) (DemoResult, error) {
	var res DemoResult
	for _, u := range DemoUsers {
		u.Password = DemoPassword
		_, err := d.Users.Create(ctx, app.System, u)
		var e *app.Error
		if errors.As(err, &e) && e.Fields["username"].Key == "user.username_taken" {
			continue
		}
		if err != nil {
			return res, err
		}
		res.Users++
	}
	n, err := seedDemoArtisans(ctx, d)
	res.Artisans = n
	if err != nil {
		return res, err
	}
	actors, err := demoActors(ctx, d.Users)
	if err != nil {
		return res, err
	}
	if err := seedDemoOnboarding(ctx, d, actors); err != nil {
		return res, err
	}
	users, sales, err := seedDemoStore(ctx, d, actors)
	res.Users += users
	res.Sales = sales
	if err == nil {
		err = seedDemoCatalogue(ctx, d, actors)
	}
	return res, err
}
