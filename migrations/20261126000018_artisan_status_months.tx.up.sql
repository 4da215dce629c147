-- Monthly roll-up of the artisans' status changes, for the reports: how many artisans
-- entered (n > 0) or left (n < 0) each status in each month (India time, YYYY-MM), by the
-- artisan's current district, primary craft, gender and social category (the reports
-- break the registry down by the record's current values, as they always did). The
-- number of artisans with a status at the end of month m is SUM(n) over the months <= m:
-- each artisan's latest status change before then counts once. approvals counts the
-- artisans approved during the month (once each, however often). Kept exact by the
-- transaction of every change (app/report_status_months.go); app.ArtisanStatusMonthsDrift
-- compares it with a recount from artisan_events.
CREATE TABLE artisan_status_months (
	district TEXT NOT NULL,
	month TEXT {{if .PG}}COLLATE "C" {{end}}NOT NULL,
	status TEXT NOT NULL,
	primary_craft TEXT NOT NULL,
	gender TEXT NOT NULL,
	social_category TEXT NOT NULL,
	n BIGINT NOT NULL DEFAULT 0,
	approvals BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (district, month, status, primary_craft, gender, social_category)
){{if not .PG}} WITHOUT ROWID{{end}};
--bun:split
-- Counted from the events already written, so a database loaded before this migration
-- (or by the generator) reports exact figures from the start. The same statement as
-- app.RebuildArtisanStatusMonths.
WITH changes AS (
	SELECT ev.artisan_id, ev.to_status,
		{{if .PG}}to_char((ev.at AT TIME ZONE 'UTC') + INTERVAL '330 minutes', 'YYYY-MM'){{else}}strftime('%Y-%m', ev.at, '+330 minutes'){{end}} AS month,
		LAG(ev.to_status) OVER (PARTITION BY ev.artisan_id ORDER BY ev.at, ev.id) AS prev_status
	FROM artisan_events ev WHERE ev.from_status <> ev.to_status
), per_artisan AS (
	SELECT artisan_id, month, status, SUM(n) AS n, MAX(approval) AS approvals FROM (
		SELECT artisan_id, month, to_status AS status, 1 AS n, CASE WHEN to_status = 'approved' THEN 1 ELSE 0 END AS approval
		FROM changes
		UNION ALL
		SELECT artisan_id, month, prev_status, -1, 0 FROM changes WHERE prev_status IS NOT NULL
	) AS deltas GROUP BY artisan_id, month, status
)
INSERT INTO artisan_status_months (district, month, status, primary_craft, gender, social_category, n, approvals)
	SELECT a.district, p.month, p.status, a.primary_craft, a.gender, a.social_category, SUM(p.n), SUM(p.approvals)
	FROM per_artisan p JOIN artisans a ON a.id = p.artisan_id
	GROUP BY a.district, p.month, p.status, a.primary_craft, a.gender, a.social_category
	HAVING SUM(p.n) <> 0 OR SUM(p.approvals) <> 0;
--bun:split
-- The district report's sales (by month, store, craft and top artisans) read this index
-- alone, never the table: at 1,000,000 artisans a district's 13 months are hundreds of
-- thousands of lines. It begins with (district, month), so it replaces that index.
CREATE INDEX sales_report_idx ON sales (district, month, store_id, craft, artisan_id, amount_paise);
--bun:split
DROP INDEX sales_district_month_idx;
--bun:split
-- The reports' "as of": the latest sale entered for the month or before, a backward walk
-- from the district's newest entry instead of a sort of all its sales.
CREATE INDEX sales_district_created_idx ON sales (district, created_at, month);
