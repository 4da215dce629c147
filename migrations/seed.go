package migrations

import (
	"context"
	"embed"
	"encoding/csv"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"shilpkosh/app"
)

//go:embed seed/*.csv
var seedFiles embed.FS

// SeedReference loads the reference lists. A row whose slug exists already is left as it
// is, so edits made by state admins survive a re-seed.
func SeedReference(ctx context.Context, db *bun.DB) error {
	return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for _, load := range []func(context.Context, bun.Tx) error{
			seedDistricts, seedCrafts, seedAgencies, seedSchemes, seedPlatforms,
		} {
			if err := load(ctx, tx); err != nil {
				return err
			}
		}
		return nil
	})
}

func seedDistricts(ctx context.Context, tx bun.Tx) error {
	return seedCSV(ctx, tx, "districts.csv", func(r record) any {
		return &app.District{Slug: r["slug"], NameEn: r["name_en"], NameHi: r["name_hi"], Division: r["division"],
			LGDCode: r["lgd_code"], Census2011Code: r["census2011_code"], RTOCode: r["rto_code"],
			Aliases: r["aliases"], Active: true, Version: 1}
	})
}

func seedCrafts(ctx context.Context, tx bun.Tx) error {
	return seedCSV(ctx, tx, "crafts.csv", func(r record) any {
		return &app.Craft{Slug: r["slug"], Sector: r["sector"], NameEn: r["name_en"], NameHi: r["name_hi"],
			MainCentres: r["main_centres"], GITag: r["gi_tag"] == "yes", Active: true, Version: 1}
	})
}

func seedAgencies(ctx context.Context, tx bun.Tx) error {
	return seedCSV(ctx, tx, "agencies.csv", func(r record) any {
		return &app.Agency{Slug: r["slug"], NameEn: r["name"], NameHi: r["name_hi"], Level: r["level"], Role: r["role"]}
	})
}

func seedSchemes(ctx context.Context, tx bun.Tx) error {
	return seedCSV(ctx, tx, "schemes.csv", func(r record) any {
		return &app.Scheme{Slug: r["slug"], NameEn: r["name"], NameHi: r["name_hi"], Sponsor: r["sponsor"],
			Agency: r["agency"], Sectors: r["sectors"], Eligibility: r["eligibility"], Benefit: r["benefit"],
			Stages: r["stages"], Active: true, Version: 1}
	})
}

func seedPlatforms(ctx context.Context, tx bun.Tx) error {
	return seedCSV(ctx, tx, "platforms.csv", func(r record) any {
		return &app.Platform{Slug: r["slug"], NameEn: r["name"], NameHi: r["name_hi"], Programme: r["programme"],
			Kind: r["kind"], DocumentsNeeded: r["documents_needed"], Notes: r["notes"], Active: true, Version: 1}
	})
}

type record map[string]string

func seedCSV(ctx context.Context, tx bun.Tx, name string, model func(record) any) error {
	rows, err := readCSV(name)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if _, err := tx.NewInsert().Model(model(r)).On("CONFLICT (slug) DO NOTHING").Exec(ctx); err != nil {
			return fmt.Errorf("seed: %s %s: %w", name, r["slug"], err)
		}
	}
	return nil
}

func readCSV(name string) ([]record, error) {
	f, err := seedFiles.Open("seed/" + name)
	if err != nil {
		return nil, fmt.Errorf("seed: open %s: %w", name, err)
	}
	defer f.Close()
	all, err := csv.NewReader(f).ReadAll()
	if err != nil || len(all) == 0 {
		return nil, fmt.Errorf("seed: read %s: %v", name, err)
	}
	header := all[0]
	out := make([]record, 0, len(all)-1)
	for _, row := range all[1:] {
		r := make(record, len(header))
		for i, h := range header {
			r[h] = strings.TrimSpace(row[i])
		}
		out = append(out, r)
	}
	return out, nil
}
