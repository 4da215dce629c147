package migrations

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"shilpkosh/app"
)

// demoOnboardingPaths is how far each approved demo artisan gets on each platform, in
// turn; a move the artisan's documents do not allow ends as blocked, as it would in a DIC.
var demoOnboardingPaths = []map[string][]string{
	{"amazon": {"documents", "training", "account_created", "catalogue"}, "walmart-vriddhi": {"training", "listed", "first_sale", "active"}},
	{"flipkart": {"documents", "account_created"}, "gem": {"documents", "training"}},
	{"india-handmade": {"documents", "training", "documents", "account_created"}, "walmart-vriddhi": {"training", "listed"}},
	{"ondc": {"documents"}, "amazon": {"documents", "account_created"}},
}

// demoBlockReasons is the reason a missing document gives.
var demoBlockReasons = map[string]string{"pan": "no_pan", "gstin": "no_gstin", "bank_account": "no_bank_account"}

// seedDemoOnboarding gives the approved demo artisans onboarding records with a history
// spread over the last months, once.
func seedDemoOnboarding(ctx context.Context, d Demo, actors map[string]app.Actor) error {
	db := d.Artisans.DB
	if n, err := db.NewSelect().Table("onboardings").Count(ctx); err != nil || n > 0 {
		return err
	}
	var artisans []struct {
		ID       int64  `bun:"id"`
		District string `bun:"district"`
	}
	if err := db.NewSelect().Table("artisans").Column("id", "district").Where("status = ?", app.ArtisanApproved).
		OrderExpr("id").Scan(ctx, &artisans); err != nil {
		return fmt.Errorf("demo onboarding: artisans: %w", err)
	}
	at := time.Now().UTC().AddDate(0, -4, 0)
	svc := &app.Onboarding{DB: db, Authz: d.Artisans.Authz, Clock: func() time.Time { return at }}
	for i, a := range artisans {
		who := actors["dic."+a.District]
		if who.UserID == 0 {
			who = actors["admin"]
		}
		paths := demoOnboardingPaths[i%len(demoOnboardingPaths)]
		for _, platform := range slices.Sorted(maps.Keys(paths)) {
			stages := paths[platform]
			version := int64(0)
			for j, stage := range stages {
				at = time.Now().UTC().AddDate(0, -4, 0).Add(time.Duration(i*3+j*11) * 24 * time.Hour)
				r, err := svc.Move(ctx, who, a.ID, platform, app.OnboardingMove{Stage: stage, Version: version})
				if err != nil {
					if err := demoBlock(ctx, svc, who, a.ID, platform, version, err); err != nil {
						return err
					}
					break
				}
				version = r.Version
			}
		}
	}
	return nil
}

// demoBlock records a refused move as blocked for the first missing document.
func demoBlock(ctx context.Context, svc *app.Onboarding, who app.Actor, id int64, platform string, version int64, refused error) error {
	var e *app.Error
	if !errors.As(refused, &e) || e.Code != app.EINVALID {
		return fmt.Errorf("demo onboarding: %w", refused)
	}
	move := app.OnboardingMove{Stage: app.StageBlocked, Reason: "other", Note: "documents awaited", Version: version}
	for _, code := range app.DocumentCodes {
		if _, missing := e.Fields["documents."+code]; missing {
			if r, ok := demoBlockReasons[code]; ok {
				move.Reason, move.Note = r, ""
			}
			break
		}
	}
	if _, err := svc.Move(ctx, who, id, platform, move); err != nil {
		return fmt.Errorf("demo onboarding: block: %w", err)
	}
	return nil
}
