package handlers_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"shilpkosh/app"
)

func TestLoginMeRefreshLogout(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		access, refresh := e.login("dic.jaipur")
		me := e.call("GET", "/api/v1/me", access, nil, 200)
		if me["username"] != "dic.jaipur" || me["role"] != "dic_officer" {
			t.Errorf("me = %v", me)
		}
		if ds, _ := me["districts"].([]any); len(ds) != 1 || ds[0] != "jaipur" {
			t.Errorf("me districts = %v", me["districts"])
		}
		if _, leaked := me["password_hash"]; leaked {
			t.Error("me exposes the password hash")
		}

		// Refresh rotates: a new pair, and the old refresh token is spent.
		out := e.call("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": refresh}, 200)
		access2, refresh2 := out["access_token"].(string), out["refresh_token"].(string)
		if refresh2 == refresh || access2 == "" {
			t.Fatalf("refresh did not rotate: %v", out)
		}
		if out["token_type"] != "Bearer" || out["expires_in"].(float64) > 15*60 {
			t.Errorf("token shape = %v", out)
		}
		// Reusing the spent token is theft: it fails and revokes the whole chain.
		e.call("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": refresh}, 401)
		e.call("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": refresh2}, 401)
		e.call("GET", "/api/v1/me", access2, nil, 401)

		// Logout ends the session at once, before the access token expires.
		access3, refresh3 := e.login("dic.jaipur")
		e.call("POST", "/api/v1/auth/logout", access3, nil, 204)
		e.call("GET", "/api/v1/me", access3, nil, 401)
		e.call("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": refresh3}, 401)
	})
}

func TestLoginFailures(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		out := e.call("POST", "/api/v1/auth/login", "", map[string]string{"username": "board", "password": "wrong-password"}, 401)
		if errorCode(out) != "unauthorized" {
			t.Errorf("error = %v", out)
		}
		out = e.call("POST", "/api/v1/auth/login", "", map[string]string{"username": "nobody", "password": "wrong-password"}, 401)
		if msg := out["error"].(map[string]any)["message"]; msg == "" || msg == "login.failed" {
			t.Errorf("message not translated: %v", out)
		}
		e.call("POST", "/api/v1/auth/login", "", `{"username":`, 422)
		// Every attempt reaches the login log.
		n, err := e.db.NewSelect().Model((*app.LoginAttempt)(nil)).Where("NOT success").Count(t.Context())
		if err != nil || n != 2 {
			t.Errorf("failed attempts logged = %d, %v; want 2", n, err)
		}
	})
}

func TestLoginThrottle(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		var slept []time.Duration
		e.srv.Auth().Throttle.Sleep = func(_ context.Context, d time.Duration) { slept = append(slept, d) }
		bad := map[string]string{"username": "auditor", "password": "wrong-password"}
		for i := range 10 {
			e.call("POST", "/api/v1/auth/login", "", bad, 401)
			_ = i
		}
		if len(slept) == 0 || slept[len(slept)-1] <= slept[0] {
			t.Errorf("failures were not slowed increasingly: %v", slept)
		}
		// The eleventh attempt is refused, even with the right password.
		out := e.call("POST", "/api/v1/auth/login", "", map[string]string{"username": "auditor", "password": testPassword}, 429)
		if errorCode(out) != "rate_limited" {
			t.Errorf("error = %v", out)
		}
		// Another user from another address is not affected.
		e.login("board")
	})
}

func TestForgedTokensAreRefused(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		access, _ := e.login("board")
		me := e.call("GET", "/api/v1/me", access, nil, 200)
		claims := jwt.MapClaims{}
		if _, _, err := jwt.NewParser().ParseUnverified(access, claims); err != nil {
			t.Fatal(err)
		}
		key := app.NewKeys([]byte("test-secret-test-secret-test-secret!")).Derive("jwt")
		sign := func(m jwt.SigningMethod, k any, edit func(jwt.MapClaims)) string {
			c := jwt.MapClaims{}
			for k, v := range claims {
				c[k] = v
			}
			edit(c)
			s, err := jwt.NewWithClaims(m, c).SignedString(k)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		same := func(jwt.MapClaims) {}
		// The control: a token signed exactly like ours is accepted, so each refusal below
		// is due to its one change.
		e.call("GET", "/api/v1/me", sign(jwt.SigningMethodHS256, key, same), nil, 200)
		parts := strings.Split(access, ".")
		forged := map[string]string{
			"alg none":        sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, same),
			"other algorithm": sign(jwt.SigningMethodHS512, key, same),
			"other key":       sign(jwt.SigningMethodHS256, []byte("another-secret-another-secret-!!"), same),
			"expired": sign(jwt.SigningMethodHS256, key, func(c jwt.MapClaims) {
				c["exp"] = time.Now().Add(-time.Minute).Unix()
			}),
			"no expiry":      sign(jwt.SigningMethodHS256, key, func(c jwt.MapClaims) { delete(c, "exp") }),
			"wrong issuer":   sign(jwt.SigningMethodHS256, key, func(c jwt.MapClaims) { c["iss"] = "someone-else" }),
			"wrong audience": sign(jwt.SigningMethodHS256, key, func(c jwt.MapClaims) { c["aud"] = []string{"other"} }),
			"other user": sign(jwt.SigningMethodHS256, key, func(c jwt.MapClaims) {
				c["sub"] = strconv.Itoa(int(me["id"].(float64)) + 1)
			}),
			"tampered payload": parts[0] + "." + strings.TrimRight(parts[1], "=") + "x." + parts[2],
			"garbage":          "not-a-token",
		}
		for name, tok := range forged {
			if resp := e.request("GET", "/api/v1/me", tok, nil); resp.StatusCode != 401 {
				t.Errorf("%s: status %d, want 401", name, resp.StatusCode)
			}
		}
	})
}

func TestPasswordChangeAndDeactivationEndSessions(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		admin := e.token("admin")
		victim, refresh := e.login("entry.jaipur")
		u := e.call("GET", "/api/v1/me", victim, nil, 200)
		id := strconv.Itoa(int(u["id"].(float64)))
		e.call("PATCH", "/api/v1/users/"+id, admin, map[string]any{"password": "a-brand-new-password", "version": u["version"]}, 200)
		e.call("GET", "/api/v1/me", victim, nil, 401)
		e.call("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": refresh}, 401)

		// The new password works; deactivation then ends that session too and bars login.
		out := e.call("POST", "/api/v1/auth/login", "", map[string]string{"username": "entry.jaipur", "password": "a-brand-new-password"}, 200)
		fresh := out["access_token"].(string)
		u = e.call("GET", "/api/v1/users/"+id, admin, nil, 200)
		e.call("PATCH", "/api/v1/users/"+id, admin, map[string]any{"active": false, "version": u["version"]}, 200)
		e.call("GET", "/api/v1/me", fresh, nil, 401)
		e.call("POST", "/api/v1/auth/login", "", map[string]string{"username": "entry.jaipur", "password": "a-brand-new-password"}, 401)
	})
}
