package app

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Token settings. Access tokens are short-lived; a session (the chain of refresh tokens)
// lasts a working day at most.
const (
	TokenIssuer   = "shilpkosh"
	TokenAudience = "shilpkosh"
	AccessTTL     = 15 * time.Minute
	SessionTTL    = 12 * time.Hour
)

// accessClaims are the claims of an access token: the user and the session it belongs to,
// so a logout or password change ends the token before it expires.
type accessClaims struct {
	SessionID string `json:"sid"`
	jwt.RegisteredClaims
}

// Keys derives independent keys from the one configured secret, so a key leaked from one
// use (say, the Aadhaar hash) does not sign tokens.
type Keys struct{ secret []byte }

// NewKeys wraps the application secret.
func NewKeys(secret []byte) Keys { return Keys{secret: secret} }

// Derive returns the key for one purpose.
func (k Keys) Derive(purpose string) []byte {
	m := hmac.New(sha256.New, k.secret)
	m.Write([]byte("shilpkosh/" + purpose))
	return m.Sum(nil)
}

// signAccess returns a signed access token.
func signAccess(key []byte, userID int64, sessionID string, now time.Time) (string, error) {
	claims := accessClaims{SessionID: sessionID, RegisteredClaims: jwt.RegisteredClaims{
		Issuer: TokenIssuer, Audience: jwt.ClaimStrings{TokenAudience}, Subject: strconv.FormatInt(userID, 10),
		IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(AccessTTL)),
	}}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(key)
	if err != nil {
		return "", fmt.Errorf("tokens: sign: %w", err)
	}
	return s, nil
}

// accessParser checks everything the default parser lets through: the algorithm, a
// required expiry, issuer, audience and issued-at.
var accessParser = jwt.NewParser(
	jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
	jwt.WithExpirationRequired(), jwt.WithIssuer(TokenIssuer), jwt.WithAudience(TokenAudience),
	jwt.WithIssuedAt(), jwt.WithLeeway(5*time.Second),
)

// parseAccess verifies a token and returns its user id and session id.
func parseAccess(key []byte, token string) (int64, string, error) {
	var claims accessClaims
	_, err := accessParser.ParseWithClaims(token, &claims, func(*jwt.Token) (any, error) { return key, nil })
	if err != nil {
		return 0, "", ErrUnauthorized
	}
	id, err := strconv.ParseInt(claims.Subject, 10, 64)
	if err != nil || id <= 0 || claims.SessionID == "" {
		return 0, "", ErrUnauthorized
	}
	return id, claims.SessionID, nil
}

// randomToken returns n random bytes, URL-safe encoded.
func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // the system's random source failing is not recoverable
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashToken is how refresh tokens are stored: a leaked table gives no usable token.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
