package migrations

import (
	"context"
	"errors"

	"shilpkosh/app"
)

// SeedGeneratedUsers creates the demo users (DemoUsers) that do not exist yet, and
// nothing else: a generated registry gets the sign-ins of every role without the small
// demo data set, whose fixed records would not fit beside it.
func SeedGeneratedUsers(ctx context.Context, users *app.Users) (int, error) {
	created := 0
	for _, u := range DemoUsers {
		u.Password = DemoPassword
		_, err := users.Create(ctx, app.System, u)
		var e *app.Error
		if errors.As(err, &e) && e.Fields["username"].Key == "user.username_taken" {
			continue
		}
		if err != nil {
			return created, err
		}
		created++
	}
	return created, nil
}
