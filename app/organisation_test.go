package app_test

import (
	"context"
	"errors"
	"testing"

	"shilpkosh/app"
)

func TestOrganisations(t *testing.T) {
	eachArtEnv(t, func(t *testing.T, e *artEnv) {
		ctx := context.Background()
		s := e.orgs
		jaipur, err := s.Create(ctx, e.actor("dic.jaipur"), app.OrganisationInput{Name: " Sanganer  Printers 50% Co-op ",
			NameHi: "सांगानेर छपाई सहकारी", Kind: "Cooperative", District: "jaipur", RegistrationNo: "COOP/JPR/123"})
		if err != nil {
			t.Fatal(err)
		}
		if jaipur.Name != "Sanganer Printers 50% Co-op" || jaipur.Kind != "cooperative" || !jaipur.Active || jaipur.Version != 1 {
			t.Errorf("created = %+v", jaipur)
		}
		jodhpur, err := s.Create(ctx, e.actor("admin"), app.OrganisationInput{Name: "Salawas SHG", Kind: "shg", District: "jodhpur"})
		if err != nil {
			t.Fatal(err)
		}

		_, err = s.Create(ctx, e.actor("dic.jaipur"), app.OrganisationInput{Name: "Elsewhere", Kind: "shg", District: "jodhpur"})
		artWant(t, "create in another district", err, app.EFORBIDDEN, "error.forbidden")
		_, err = s.Create(ctx, e.actor("auditor"), app.OrganisationInput{Name: "Audit", Kind: "shg", District: "jaipur"})
		artWant(t, "create without manage", err, app.EFORBIDDEN, "error.forbidden")
		_, err = s.Create(ctx, e.actor("dic.jaipur"), app.OrganisationInput{Name: "", Kind: "club", District: "jaipur"})
		var ae *app.Error
		if !errors.As(err, &ae) || ae.Fields["name"].Key != app.KeyRequired || ae.Fields["kind"].Key != "validation.choice" {
			t.Errorf("invalid organisation: %v", err)
		}
		_, err = s.Create(ctx, e.actor("admin"), app.OrganisationInput{Name: "Nowhere", Kind: "shg", District: "atlantis"})
		if !errors.As(err, &ae) || ae.Fields["district"].Key != "artisan.unknown_district" {
			t.Errorf("unknown district: %v", err)
		}

		list, err := s.List(ctx, e.actor("dic.jaipur"), app.OrganisationFilter{})
		if err != nil || len(list) != 1 || list[0].ID != jaipur.ID {
			t.Errorf("jaipur officer lists %+v, %v", list, err)
		}
		if list, _ := s.List(ctx, e.actor("auditor"), app.OrganisationFilter{}); len(list) != 2 {
			t.Errorf("auditor lists %d", len(list))
		}
		for q, n := range map[string]int{"50%": 1, "5_%": 0, "printers": 1, "छपाई": 1, "salawas": 1, "x": 0} {
			if list, err := s.List(ctx, e.actor("admin"), app.OrganisationFilter{Q: q}); err != nil || len(list) != n {
				t.Errorf("search %q: %d found (%v), want %d", q, len(list), err, n)
			}
		}
		if list, _ := s.List(ctx, e.actor("admin"), app.OrganisationFilter{Kind: "shg", District: "jodhpur"}); len(list) != 1 {
			t.Errorf("by kind and district: %d", len(list))
		}
		if _, err := s.Get(ctx, e.actor("dic.jaipur"), jodhpur.ID); err != app.ErrNotFound {
			t.Errorf("Get of another district: %v", err)
		}

		upd := app.OrganisationInput{Name: "Sanganer Printers", Kind: "producer_company", District: "jaipur", Version: jaipur.Version}
		got, err := s.Update(ctx, e.actor("entry.jaipur"), jaipur.ID, upd)
		if err != nil || got.Kind != "producer_company" || got.Version != 2 {
			t.Fatalf("update: %v %+v", err, got)
		}
		_, err = s.Update(ctx, e.actor("entry.jaipur"), jaipur.ID, upd)
		artWant(t, "stale update", err, app.ECONFLICT, "error.stale")
		_, err = s.Update(ctx, e.actor("dic.jaipur"), jodhpur.ID, app.OrganisationInput{Name: "X", Kind: "shg", District: "jodhpur", Version: 1})
		artWant(t, "update in another district", err, app.ENOTFOUND, "error.not_found")

		// Members keep an organisation in its district.
		in := artInput("Member One", "9829012345")
		in.OrganisationID = &jaipur.ID
		member := e.create("entry.jaipur", in)
		if member.OrganisationID == nil || *member.OrganisationID != jaipur.ID {
			t.Errorf("member = %+v", member)
		}
		page, _ := e.svc.List(ctx, e.actor("dic.jaipur"), app.ArtisanFilter{OrganisationID: jaipur.ID})
		if page.Total != 1 {
			t.Errorf("members listed: %d", page.Total)
		}
		upd.District, upd.Version = "ajmer", got.Version
		_, err = s.Update(ctx, e.actor("admin"), jaipur.ID, upd)
		if !errors.As(err, &ae) || ae.Fields["district"].Key != "organisation.has_members" {
			t.Errorf("move with members: %v", err)
		}
		// A closed organisation keeps its members but takes no new ones.
		upd.District, upd.Active = "jaipur", new(false)
		if got, err = s.Update(ctx, e.actor("admin"), jaipur.ID, upd); err != nil || got.Active {
			t.Fatalf("close: %v %+v", err, got)
		}
		in.Version, in.Village = member.Version, "Bagru"
		if _, err := e.svc.Update(ctx, e.actor("entry.jaipur"), member.ID, in); err != nil {
			t.Errorf("member of a closed organisation edited: %v", err)
		}
		newcomer := artInput("Member Two", "9829054321")
		newcomer.OrganisationID = &jaipur.ID
		_, err = e.svc.Create(ctx, e.actor("entry.jaipur"), newcomer)
		if !errors.As(err, &ae) || ae.Fields["organisation_id"].Key != "artisan.organisation_inactive" {
			t.Errorf("join a closed organisation: %v", err)
		}
		var audits int64
		audits, _ = e.db.NewSelect().Table("audit_log").Where("entity = 'organisation'").Count(ctx)
		if audits != 4 {
			t.Errorf("%d audit entries for organisations, want 4", audits)
		}
	})
}
