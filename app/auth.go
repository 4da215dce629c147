package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/uptrace/bun"
)

// Tokens are what a successful login or refresh returns.
type Tokens struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
}

// Session is one sign-in; its refresh tokens form a chain, one live at a time.
type Session struct {
	bun.BaseModel `bun:"table:sessions"`

	ID            string     `bun:"id,pk"`
	UserID        int64      `bun:"user_id"`
	CreatedAt     time.Time  `bun:"created_at"`
	ExpiresAt     time.Time  `bun:"expires_at"`
	RevokedAt     *time.Time `bun:"revoked_at"`
	RevokedReason string     `bun:"revoked_reason"`
	IP            string     `bun:"ip"`
	UserAgent     string     `bun:"user_agent"`
}

type refreshToken struct {
	bun.BaseModel `bun:"table:refresh_tokens"`

	ID        int64      `bun:"id,pk,autoincrement"`
	SessionID string     `bun:"session_id"`
	TokenHash string     `bun:"token_hash"`
	CreatedAt time.Time  `bun:"created_at"`
	ExpiresAt time.Time  `bun:"expires_at"`
	UsedAt    *time.Time `bun:"used_at"`
}

// Auth signs users in and out and turns access tokens back into actors.
type Auth struct {
	DB       *bun.DB
	Throttle Throttle
	key      []byte
	dummy    string // a real hash to compare against when the username is unknown
	session  *preparedQuery
}

// sessionCheckSQL reads, by primary keys, what Authenticate checks on every request.
const sessionCheckSQL = "SELECT u.username, u.name, u.lang, u.active, s.revoked_at, s.expires_at " +
	"FROM sessions AS s JOIN users AS u ON u.id = s.user_id WHERE s.id = ? AND s.user_id = ?"

// NewAuth returns the authentication service keyed from the app secret.
func NewAuth(db *bun.DB, keys Keys) *Auth {
	dummy, err := HashPassword(RandomPassword())
	if err != nil {
		panic(err)
	}
	return &Auth{DB: db, Throttle: DefaultThrottle, key: keys.Derive("jwt"), dummy: dummy,
		session: &preparedQuery{text: sessionCheckSQL}}
}

// Login checks a username and password and opens a session. Every attempt is logged;
// repeated failures are slowed and then refused.
func (a *Auth) Login(ctx context.Context, username, password, ip, userAgent string) (*Tokens, *User, error) {
	if err := a.Throttle.check(ctx, a.DB, username, ip); err != nil {
		a.logAttempt(ctx, username, ip, false, "throttled")
		return nil, nil, err
	}
	u, err := findUser(ctx, a.DB, "username = ?", username)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, nil, err
	}
	hash := a.dummy
	if u != nil {
		hash = u.PasswordHash
	}
	ok, err := CheckPassword(hash, password)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case u == nil || !ok:
		a.logAttempt(ctx, username, ip, false, "bad_credentials")
		return nil, nil, Errorf(EUNAUTHORIZED, "login.failed")
	case !u.Active:
		a.logAttempt(ctx, username, ip, false, "inactive")
		return nil, nil, Errorf(EUNAUTHORIZED, "login.failed")
	}
	tokens, err := a.openSession(ctx, u, ip, userAgent)
	if err != nil {
		return nil, nil, err
	}
	a.logAttempt(ctx, username, ip, true, "")
	return tokens, u, nil
}

func (a *Auth) openSession(ctx context.Context, u *User, ip, userAgent string) (*Tokens, error) {
	now := Now()
	s := &Session{ID: randomToken(18), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(SessionTTL),
		IP: ip, UserAgent: truncate(userAgent, 200)}
	var tokens *Tokens
	err := a.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(s).Exec(ctx); err != nil {
			return fmt.Errorf("auth: open session: %w", err)
		}
		var err error
		tokens, err = a.issue(ctx, tx, s, now)
		return err
	})
	return tokens, err
}

// issue adds a fresh refresh token to the session's chain and signs an access token.
func (a *Auth) issue(ctx context.Context, tx bun.IDB, s *Session, now time.Time) (*Tokens, error) {
	refresh := randomToken(32)
	rt := &refreshToken{SessionID: s.ID, TokenHash: hashToken(refresh), CreatedAt: now, ExpiresAt: s.ExpiresAt}
	if _, err := tx.NewInsert().Model(rt).Exec(ctx); err != nil {
		return nil, fmt.Errorf("auth: store refresh token: %w", err)
	}
	access, err := signAccess(a.key, s.UserID, s.ID, now)
	if err != nil {
		return nil, err
	}
	return &Tokens{AccessToken: access, RefreshToken: refresh, TokenType: "Bearer",
		ExpiresIn: int(AccessTTL / time.Second)}, nil
}

// Refresh rotates a refresh token. A token used twice means it was stolen: the whole
// session is revoked, so neither the thief nor the owner can go on with it.
func (a *Auth) Refresh(ctx context.Context, token string) (*Tokens, error) {
	var tokens *Tokens
	var reused bool
	err := a.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		rt := new(refreshToken)
		err := tx.NewSelect().Model(rt).Where("token_hash = ?", hashToken(token)).Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrUnauthorized
		}
		if err != nil {
			return fmt.Errorf("auth: find refresh token: %w", err)
		}
		now := Now()
		res, err := tx.NewUpdate().Model(rt).Set("used_at = ?", now).Where("id = ? AND used_at IS NULL", rt.ID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("auth: spend refresh token: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			reused = true
			return revokeSession(ctx, tx, rt.SessionID, "refresh_reuse")
		}
		s, err := liveSession(ctx, tx, rt.SessionID, now)
		if err != nil || now.After(rt.ExpiresAt) {
			return ErrUnauthorized
		}
		tokens, err = a.issue(ctx, tx, s, now)
		return err
	})
	if reused {
		return nil, ErrUnauthorized
	}
	return tokens, err
}

// Logout ends the session the access token belongs to.
func (a *Auth) Logout(ctx context.Context, actor Actor) error {
	return revokeSession(ctx, a.DB, actor.SessionID, "logout")
}

// Authenticate turns an access token into the actor it speaks for. The session and the
// user are read on every request, so logout, deactivation and password changes take
// effect at once instead of when the token expires. The check only reads (two primary-key
// look-ups, a statement prepared once), and caches nothing.
func (a *Auth) Authenticate(ctx context.Context, token string) (Actor, error) {
	userID, sessionID, err := parseAccess(a.key, token)
	if err != nil {
		return Actor{}, err
	}
	var row struct {
		Username  string
		Name      string
		Lang      string
		Active    bool
		RevokedAt *time.Time
		ExpiresAt time.Time
	}
	found, err := a.session.queryRow(ctx, a.DB, sessionID, userID)
	if err == nil {
		err = found.Scan(&row.Username, &row.Name, &row.Lang, &row.Active, &row.RevokedAt, &row.ExpiresAt)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return Actor{}, ErrUnauthorized
	}
	if err != nil {
		return Actor{}, fmt.Errorf("auth: load session: %w", err)
	}
	if !row.Active || row.RevokedAt != nil || Now().After(row.ExpiresAt) {
		return Actor{}, ErrUnauthorized
	}
	return Actor{UserID: userID, Username: row.Username, Name: row.Name, SessionID: sessionID, Lang: row.Lang}, nil
}

func liveSession(ctx context.Context, tx bun.IDB, id string, now time.Time) (*Session, error) {
	s := new(Session)
	if err := tx.NewSelect().Model(s).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, ErrUnauthorized
	}
	if s.RevokedAt != nil || now.After(s.ExpiresAt) {
		return nil, ErrUnauthorized
	}
	var active bool
	if err := tx.NewSelect().Table("users").Column("active").Where("id = ?", s.UserID).Scan(ctx, &active); err != nil || !active {
		return nil, ErrUnauthorized
	}
	return s, nil
}

func revokeSession(ctx context.Context, db bun.IDB, id, reason string) error {
	_, err := db.NewUpdate().Model((*Session)(nil)).Set("revoked_at = ?", Now()).Set("revoked_reason = ?", reason).
		Where("id = ? AND revoked_at IS NULL", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("auth: revoke session: %w", err)
	}
	return nil
}

func (a *Auth) logAttempt(ctx context.Context, username, ip string, ok bool, reason string) {
	_, err := a.DB.NewInsert().Model(&LoginAttempt{At: Now(), Username: truncate(username, 64), IP: ip,
		Success: ok, Reason: reason}).Exec(ctx)
	if err != nil {
		// The login itself has been decided; a lost log row must not lock the user out.
		slog.Warn("auth: could not write the login log", "error", err.Error())
	}
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
