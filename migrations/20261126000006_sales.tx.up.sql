-- Emporia and outlets that sell artisans' work, their sales, and the monthly close of a
-- district's figures. sales.district is the store's district when the sale was entered, so
-- district scope and month close apply in SQL without a join. sale_date is YYYY-MM-DD and
-- month its YYYY-MM, text on both databases so a month compares the same everywhere.
CREATE TABLE stores (
	id {{.ID}},
	name TEXT NOT NULL,
	type TEXT NOT NULL CHECK (type IN ('rajasthali', 'khadi_bhandar', 'handloom_outlet', 'exhibition')),
	agency TEXT NOT NULL REFERENCES agencies (slug),
	district TEXT NOT NULL REFERENCES districts (slug),
	address TEXT NOT NULL DEFAULT '',
	active BOOLEAN NOT NULL DEFAULT TRUE,
	version BIGINT NOT NULL DEFAULT 1,
	created_at {{.Timestamp}} NOT NULL,
	updated_at {{.Timestamp}} NOT NULL
);
--bun:split
CREATE INDEX stores_district_idx ON stores (district);
--bun:split
CREATE TABLE sales (
	id {{.ID}},
	store_id BIGINT NOT NULL REFERENCES stores (id),
	district TEXT NOT NULL REFERENCES districts (slug),
	sale_date TEXT NOT NULL,
	month TEXT NOT NULL,
	artisan_id BIGINT REFERENCES artisans (id),
	craft TEXT NOT NULL REFERENCES crafts (slug),
	product TEXT NOT NULL,
	quantity BIGINT NOT NULL,
	amount_paise BIGINT NOT NULL,
	payment_mode TEXT NOT NULL CHECK (payment_mode IN ('cash', 'upi', 'card', 'bank_transfer', 'cheque', 'other')),
	invoice_no TEXT NOT NULL,
	corrects_sale_id BIGINT REFERENCES sales (id),
	created_by BIGINT,
	created_at {{.Timestamp}} NOT NULL,
	UNIQUE (store_id, invoice_no)
);
--bun:split
CREATE INDEX sales_district_month_idx ON sales (district, month);
--bun:split
CREATE INDEX sales_store_month_idx ON sales (store_id, month);
--bun:split
-- One row per district and month that was ever closed; reopened_at set means open again.
-- Closing again clears it; the audit log keeps every close and reopen.
CREATE TABLE month_closes (
	id {{.ID}},
	district TEXT NOT NULL REFERENCES districts (slug),
	month TEXT NOT NULL,
	closed_at {{.Timestamp}} NOT NULL,
	closed_by BIGINT,
	reopened_at {{.Timestamp}},
	reopened_by BIGINT,
	reopen_reason TEXT NOT NULL DEFAULT '',
	UNIQUE (district, month)
);
