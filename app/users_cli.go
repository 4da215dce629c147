package app

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// AdminUsername is the first user created on an empty database.
const AdminUsername = "admin"

// Bootstrap creates the first state administrator when the database has no user at all.
// It returns whether it created one; an empty password means a random one, which is
// returned so the caller can print it once.
func (s *Users) Bootstrap(ctx context.Context, password string) (created bool, used string, err error) {
	n, err := s.DB.NewSelect().Model((*User)(nil)).Count(ctx)
	if err != nil {
		return false, "", fmt.Errorf("users: count: %w", err)
	}
	if n > 0 {
		return false, "", nil
	}
	if password == "" {
		password = RandomPassword()
	}
	_, err = s.Create(ctx, System, NewUser{Username: AdminUsername, Password: password,
		Name: "State administrator", Role: "state_admin"})
	if err != nil {
		return false, "", err
	}
	return true, password, nil
}

// SetPassword sets a user's password by username (the CLI's `user passwd`), ending all of
// the user's sessions.
func (s *Users) SetPassword(ctx context.Context, actor Actor, username, password string) error {
	u, err := findUser(ctx, s.DB, "username = ?", username)
	if err != nil {
		return err
	}
	_, err = s.Update(ctx, actor, u.ID, UserUpdate{Password: &password, Version: u.Version})
	return err
}

// SetLanguage remembers the user's language choice; it is a preference, not an audited change.
func (s *Users) SetLanguage(ctx context.Context, userID int64, lang string) error {
	if lang != "en" && lang != "hi" {
		return Invalid{"lang": Msg("validation.lang")}.Err()
	}
	_, err := s.DB.NewUpdate().Model((*User)(nil)).Set("lang = ?", lang).Where("id = ?", userID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("users: set language: %w", err)
	}
	return nil
}

func revokeUserSessions(ctx context.Context, tx bun.IDB, userID int64, reason string) error {
	_, err := tx.NewUpdate().Table("sessions").Set("revoked_at = ?", Now()).Set("revoked_reason = ?", reason).
		Where("user_id = ? AND revoked_at IS NULL", userID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("sessions: revoke for user: %w", err)
	}
	return nil
}

// ListAll lists every user for the command line, which runs with the operator's own
// authority over the database rather than as a signed-in user.
func (s *Users) ListAll(ctx context.Context) ([]UserView, error) {
	var users []User
	if err := s.DB.NewSelect().Model(&users).OrderExpr("username").Scan(ctx); err != nil {
		return nil, fmt.Errorf("users: list: %w", err)
	}
	grants, err := loadGrants(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	out := make([]UserView, 0, len(users))
	for i := range users {
		out = append(out, viewOf(&users[i], grants[users[i].ID]))
	}
	return out, nil
}
