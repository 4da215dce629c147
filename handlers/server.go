// Package handlers is the HTTP layer: web pages and the /api/v1 JSON API. Handlers parse,
// authorise, call app, render; business rules live in app.
package handlers

import (
	"context"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"shilpkosh/app"
	"shilpkosh/policies"
)

// Deps are what the server needs from main.
type Deps struct {
	Config app.Config
	DB     *bun.DB
	Authz  *policies.Enforcer
	Logger *slog.Logger
}

// Server holds the services the handlers call.
type Server struct {
	app    *fiber.App
	cfg    app.Config
	db     *bun.DB
	authz  *policies.Enforcer
	log    *slog.Logger
	keys   app.Keys
	auth   *app.Auth
	users  *app.Users
	ref    *app.Reference
	audit  *app.Audit
	routes []route

	artisans      *app.Artisans
	organisations *app.Organisations
	refAdmin      *app.ReferenceAdmin
	csrfKey       []byte
}

// New builds the server and registers every route of the route table.
func New(d Deps) *Server {
	keys := app.NewKeys(d.Config.Secret)
	s := &Server{
		cfg: d.Config, db: d.DB, authz: d.Authz, log: d.Logger, keys: keys,
		auth:    app.NewAuth(d.DB, keys),
		users:   &app.Users{DB: d.DB, Authz: d.Authz},
		ref:     &app.Reference{DB: d.DB},
		audit:   &app.Audit{DB: d.DB, Authz: d.Authz},
		csrfKey: keys.Derive("csrf"),

		artisans:      &app.Artisans{DB: d.DB, Authz: d.Authz, Keys: keys},
		organisations: &app.Organisations{DB: d.DB, Authz: d.Authz},
		refAdmin:      &app.ReferenceAdmin{DB: d.DB, Authz: d.Authz},
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.app = fiber.New(fiber.Config{
		AppName:                 "shilpkosh",
		ErrorHandler:            s.handleError,
		DisableStartupMessage:   true,
		BodyLimit:               64 << 20, // imports of 100,000 rows arrive as one upload
		ReadTimeout:             60 * time.Second,
		WriteTimeout:            120 * time.Second,
		IdleTimeout:             120 * time.Second,
		EnableTrustedProxyCheck: true, // c.IP() trusts X-Forwarded-For only from these
		TrustedProxies:          d.Config.TrustedProxies,
		ProxyHeader:             fiber.HeaderXForwardedFor,
		EnableIPValidation:      true,
	})
	s.app.Use(s.requestID, s.logRequests, s.recoverPanic, s.securityHeaders)
	s.routes = s.routeTable()
	s.register()
	return s
}

// App exposes the fiber app for tests (app.Test) and for Listen.
func (s *Server) App() *fiber.App { return s.app }

// Auth exposes the authentication service (tests adjust its throttle).
func (s *Server) Auth() *app.Auth { return s.auth }

// Listen serves on addr until Shutdown.
func (s *Server) Listen(addr string) error { return s.app.Listen(addr) }

// Shutdown stops accepting requests and waits for those in flight.
func (s *Server) Shutdown(ctx context.Context) error { return s.app.ShutdownWithContext(ctx) }
