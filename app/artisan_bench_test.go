package app_test

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"shilpkosh/app"
	"shilpkosh/app/apptest"
)

// The benchmarks run over SHILPKOSH_BENCH_ARTISANS generated artisans (200,000 unless
// set), on every database of the run. Go test -short skips them.

func BenchmarkArtisanList(b *testing.B) {
	artBench(b, func(b *testing.B, e *artEnv) {
		ctx := context.Background()
		admin, officer := e.actor("admin"), e.actor("dic.jaipur")
		deep := artBenchCursor(b, e, admin, app.ArtisanFilter{Sort: app.ArtisanSortName, Limit: 500}, 20)
		for _, c := range []struct {
			name  string
			actor app.Actor
			f     app.ArtisanFilter
		}{
			{"state/newest", admin, app.ArtisanFilter{}},
			{"district/newest", officer, app.ArtisanFilter{}},
			{"district/approved", officer, app.ArtisanFilter{Status: app.ArtisanApproved}},
			{"state/by-name/page-21", admin, app.ArtisanFilter{Sort: app.ArtisanSortName, Limit: 500, Cursor: deep}},
			{"state/by-number", admin, app.ArtisanFilter{Sort: app.ArtisanSortRegistrationNo}},
			{"state/craft+gender", admin, app.ArtisanFilter{Craft: "bagru-block-print", Gender: "female"}},
			{"district/sector+has-bank", officer, app.ArtisanFilter{Sector: "handloom", HasBank: new(true)}},
		} {
			b.Run(c.name, func(b *testing.B) {
				for b.Loop() {
					if _, err := e.svc.List(ctx, c.actor, c.f); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	})
}

func BenchmarkArtisanSearch(b *testing.B) {
	artBench(b, func(b *testing.B, e *artEnv) {
		ctx := context.Background()
		admin, officer := e.actor("admin"), e.actor("dic.jaipur")
		for _, c := range []struct {
			name  string
			actor app.Actor
			q     string
		}{
			{"english-prefix", admin, "kis"},
			{"hindi-prefix", admin, "कि"},
			{"partial", admin, "shan"},
			{"two-words", admin, "kishan sharma"},
			{"district/prefix", officer, "ram"},
			{"mobile", admin, "9000012345"},
			{"registration-no", admin, "RJ-JAIPUR-2025-000042"},
			{"no-match", admin, "zzzq"},
		} {
			b.Run(c.name, func(b *testing.B) {
				for b.Loop() {
					if _, err := e.svc.List(ctx, c.actor, app.ArtisanFilter{Q: c.q}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	})
}

// artBench runs fn over a generated registry on each database.
func artBench(b *testing.B, fn func(b *testing.B, e *artEnv)) {
	if testing.Short() {
		b.Skip("generates a large registry")
	}
	n := 200000
	if s := os.Getenv("SHILPKOSH_BENCH_ARTISANS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			b.Fatalf("SHILPKOSH_BENCH_ARTISANS=%q", s)
		}
		n = v
	}
	for _, dialect := range apptest.Dialects(b) {
		b.Run(dialect, func(b *testing.B) {
			db := apptest.MustOpenDB(b, dialect)
			e := newArtEnv(b, db)
			start := time.Now()
			artGenerate(b, db, n)
			b.Logf("%s: generated %d artisans in %v", dialect, n, time.Since(start).Round(time.Millisecond))
			fn(b, e)
		})
	}
}

// artBenchCursor pages through the list and returns the cursor after pages pages.
func artBenchCursor(b *testing.B, e *artEnv, actor app.Actor, f app.ArtisanFilter, pages int) string {
	for range pages {
		page, err := e.svc.List(context.Background(), actor, f)
		if err != nil {
			b.Fatal(err)
		}
		if page.NextCursor == "" {
			break
		}
		f.Cursor = page.NextCursor
	}
	return f.Cursor
}

// Name pools: English with Hindi, so every generated artisan has both.
var (
	artFirstNames = [][2]string{
		{"Kishan", "किशन"}, {"Kimat", "कीमत"}, {"Ramesh", "रमेश"}, {"Suresh", "सुरेश"}, {"Mohan", "मोहन"},
		{"Gopal", "गोपाल"}, {"Shankar", "शंकर"}, {"Bhanwar", "भंवर"}, {"Ganga", "गंगा"}, {"Asha", "आशा"},
		{"Kamla", "कमला"}, {"Sita", "सीता"}, {"Geeta", "गीता"}, {"Radha", "राधा"}, {"Lakshmi", "लक्ष्मी"},
		{"Mangi", "मांगी"}, {"Pushpa", "पुष्पा"}, {"Nathu", "नाथू"}, {"Hari", "हरि"}, {"Kailash", "कैलाश"},
		{"Dinesh", "दिनेश"}, {"Mahesh", "महेश"}, {"Rukmani", "रुक्मणी"}, {"Chanda", "चंदा"}, {"Bhagwati", "भगवती"},
		{"Zakir", "ज़ाकिर"}, {"Salim", "सलीम"}, {"Farida", "फरीदा"}, {"Abdul", "अब्दुल"}, {"Noor", "नूर"},
	}
	artMiddleNames = [][2]string{{"Lal", "लाल"}, {"Ram", "राम"}, {"Chand", "चंद"}, {"Devi", "देवी"}, {"Bai", "बाई"}, {"", ""}}
	artSurnames    = [][2]string{
		{"Sharma", "शर्मा"}, {"Meena", "मीणा"}, {"Prajapat", "प्रजापत"}, {"Chhipa", "छीपा"}, {"Kumawat", "कुमावत"},
		{"Jangid", "जांगिड़"}, {"Soni", "सोनी"}, {"Bunkar", "बुनकर"}, {"Regar", "रेगर"}, {"Khatri", "खत्री"},
		{"Rangrez", "रंगरेज़"}, {"Nilgar", "नीलगर"}, {"Saini", "सैनी"}, {"Gurjar", "गुर्जर"}, {"Mali", "माली"},
	}
	artBenchStatuses = []string{"approved", "approved", "approved", "approved", "approved", "approved",
		"submitted", "verified", "draft", "rejected", "inactive"}
)

// artGenerate bulk-loads n artisans with their other crafts, search terms and counts, in
// one transaction of multi-row INSERTs of 1,000 rows, the secondary indexes dropped during
// the load and built again after it, as a loader of old registers would.
func artGenerate(b *testing.B, db *bun.DB, n int) {
	ctx := context.Background()
	var districts, crafts []string
	if err := db.NewSelect().Table("districts").Column("slug").OrderExpr("slug").Scan(ctx, &districts); err != nil {
		b.Fatal(err)
	}
	if err := db.NewSelect().Table("crafts").Column("slug").OrderExpr("slug").Scan(ctx, &crafts); err != nil {
		b.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	pick := func(xs [][2]string) [2]string { return xs[rnd.IntN(len(xs))] }
	join := func(parts ...string) string {
		return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), " ")
	}
	seq := map[string]int64{}
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	genders := []string{"female", "male"}
	categories := []string{"sc", "st", "obc", "mbc", "ews", "general"}
	sqlite := !app.IsPostgres(db)
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if sqlite {
			// A bigger page cache for the load only; the benchmarks run with the default.
			if _, err := tx.ExecContext(ctx, "PRAGMA cache_size = -262144"); err != nil {
				return err
			}
			defer tx.ExecContext(ctx, "PRAGMA cache_size = -2000") //nolint:errcheck // best effort
		} else {
			// Index builds sort in memory, so each statement stays well inside the
			// driver's ten-second read timeout even on a busy machine.
			if _, err := tx.ExecContext(ctx, "SET LOCAL maintenance_work_mem = '256MB'"); err != nil {
				return err
			}
		}
		restore, err := artDropIndexes(ctx, tx, "artisans", "artisan_search_terms", "artisan_crafts")
		if err != nil {
			return err
		}
		rows := make([]app.Artisan, 0, 1000)
		var terms []app.ArtisanSearchTerm
		var others []artBenchCraft
		flush := func() error {
			if len(rows) == 0 {
				return nil
			}
			if _, err := tx.NewInsert().Model(&rows).Returning("NULL").Exec(ctx); err != nil {
				return err
			}
			for i := range rows {
				for _, t := range app.ArtisanSearchTerms(&rows[i]) {
					terms = append(terms, app.ArtisanSearchTerm{Term: t, District: rows[i].District, ArtisanID: rows[i].ID, CreatedAt: rows[i].CreatedAt})
				}
			}
			rows = rows[:0]
			return nil
		}
		for i := range n {
			first, middle, last, father := pick(artFirstNames), pick(artMiddleNames), pick(artSurnames), pick(artFirstNames)
			district := districts[rnd.IntN(len(districts))]
			at := base.Add(time.Duration(i) * 37 * time.Second)
			a := app.Artisan{
				ID: int64(i + 1), Name: join(first[0], middle[0], last[0]), NameHi: join(first[1], middle[1], last[1]),
				RelativeName: join(father[0], last[0]), Gender: genders[rnd.IntN(2)],
				DateOfBirth:    base.AddDate(-20-rnd.IntN(50), 0, -rnd.IntN(365)).Format(time.DateOnly),
				SocialCategory: categories[rnd.IntN(len(categories))], Mobile: fmt.Sprintf("9%09d", i),
				District: district, PrimaryCraft: crafts[rnd.IntN(len(crafts))], YearsInCraft: rnd.IntN(20),
				Status: artBenchStatuses[rnd.IntN(len(artBenchStatuses))], StatusChangedAt: at,
				CreatedAt: at, UpdatedAt: at, Version: 1,
			}
			a.NameKey = app.ArtisanNameKey(a.Name)
			if rnd.IntN(3) == 0 {
				a.BankAccount, a.IFSC = fmt.Sprintf("%012d", i), "SBIN0001234"
			}
			if a.Status == app.ArtisanApproved || a.Status == app.ArtisanInactive {
				seq[district]++
				no := app.ArtisanRegistrationNo(district, 2025, seq[district])
				a.RegistrationNo = &no
			}
			if other := crafts[rnd.IntN(len(crafts))]; rnd.IntN(5) == 0 && other != a.PrimaryCraft {
				others = append(others, artBenchCraft{ArtisanID: a.ID, Craft: other})
			}
			rows = append(rows, a)
			if len(rows) == 1000 {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if err := flush(); err != nil {
			return err
		}
		for chunk := range slices.Chunk(others, 1000) {
			if _, err := tx.NewInsert().Model(&chunk).Exec(ctx); err != nil {
				return err
			}
		}
		// In key order, so the primary key grows at its end instead of splitting pages.
		slices.SortFunc(terms, func(a, b app.ArtisanSearchTerm) int {
			return cmp.Or(strings.Compare(a.Term, b.Term), strings.Compare(a.District, b.District), cmp.Compare(a.ArtisanID, b.ArtisanID))
		})
		for chunk := range slices.Chunk(terms, 1000) {
			if _, err := tx.NewInsert().Model(&chunk).Exec(ctx); err != nil {
				return err
			}
		}
		if err := restore(); err != nil {
			return err
		}
		_, err = tx.NewRaw("INSERT INTO artisan_counts (district, status, n) " +
			"SELECT district, status, COUNT(*) FROM artisans GROUP BY district, status").Exec(ctx)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	if !sqlite {
		// What autovacuum does on its own after a bulk load (statistics, and the visibility
		// map index-only scans need); the app's SQLite has no such daemon, so its planner
		// works without statistics, as here.
		if _, err := db.ExecContext(ctx, "VACUUM ANALYZE artisans, artisan_search_terms, artisan_crafts, artisan_counts"); err != nil {
			b.Fatal(err)
		}
	}
}

// artBenchCraft is a row of artisan_crafts.
type artBenchCraft struct {
	bun.BaseModel `bun:"table:artisan_crafts"`

	ArtisanID int64  `bun:"artisan_id"`
	Craft     string `bun:"craft"`
}

// artDropIndexes drops the secondary indexes of the tables, as bulk loaders do, and
// returns the function that builds them again from their own stored definitions: building
// an index once over sorted data is far cheaper than growing it row by row.
func artDropIndexes(ctx context.Context, tx bun.Tx, tables ...string) (func() error, error) {
	var defs []struct {
		Name string `bun:"name"`
		SQL  string `bun:"def"`
	}
	q := "SELECT name, sql AS def FROM sqlite_master WHERE type = 'index' AND tbl_name IN (?) AND sql IS NOT NULL"
	if app.IsPostgres(tx) {
		q = "SELECT indexname AS name, indexdef AS def FROM pg_indexes i WHERE schemaname = current_schema() " +
			"AND tablename IN (?) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
	}
	if err := tx.NewRaw(q, bun.In(tables)).Scan(ctx, &defs); err != nil {
		return nil, err
	}
	for _, d := range defs {
		if _, err := tx.ExecContext(ctx, "DROP INDEX "+d.Name); err != nil {
			return nil, err
		}
	}
	return func() error {
		for _, d := range defs {
			if _, err := tx.ExecContext(ctx, d.SQL); err != nil {
				return err
			}
		}
		return nil
	}, nil
}
