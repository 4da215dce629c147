DROP INDEX sales_district_created_idx;
--bun:split
CREATE INDEX sales_district_month_idx ON sales (district, month);
--bun:split
DROP INDEX sales_report_idx;
--bun:split
DROP TABLE artisan_status_months;
