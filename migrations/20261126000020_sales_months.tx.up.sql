-- Monthly roll-up of the sale lines, for the reports: per district, month (YYYY-MM, the
-- sale's own month column), store and craft, the sum of the lines' amounts in paise and
-- how many lines there are (a row whose lines sum to zero still names its store and craft
-- in the reports, as the GROUP BY over the lines did). Sales are only ever inserted (a
-- correction is another line), so each insert adds to its row in the same transaction
-- (app/report_sales_months.go); app.SalesMonthsDrift compares it with a recount.
CREATE TABLE sales_months (
	district TEXT NOT NULL,
	month TEXT {{if .PG}}COLLATE "C" {{end}}NOT NULL,
	store_id BIGINT NOT NULL,
	craft TEXT NOT NULL,
	paise BIGINT NOT NULL DEFAULT 0,
	lines BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (district, month, store_id, craft)
){{if not .PG}} WITHOUT ROWID{{end}};
--bun:split
-- Counted from the lines already written, so a registry loaded before this migration
-- reports exact figures from the start (the same statement as app.RebuildSalesMonths).
INSERT INTO sales_months (district, month, store_id, craft, paise, lines)
	SELECT district, month, store_id, craft, CAST(SUM(amount_paise) AS BIGINT), COUNT(*)
	FROM sales GROUP BY district, month, store_id, craft;
