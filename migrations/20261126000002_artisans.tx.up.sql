CREATE TABLE organisations (
	id {{.ID}},
	name TEXT NOT NULL,
	name_hi TEXT NOT NULL DEFAULT '',
	kind TEXT NOT NULL CHECK (kind IN ('cooperative', 'shg', 'khadi_institution', 'producer_company')),
	district TEXT NOT NULL REFERENCES districts (slug),
	registration_no TEXT NOT NULL DEFAULT '',
	address TEXT NOT NULL DEFAULT '',
	active BOOLEAN NOT NULL DEFAULT TRUE,
	created_at {{.Timestamp}} NOT NULL,
	updated_at {{.Timestamp}} NOT NULL,
	created_by BIGINT,
	version BIGINT NOT NULL DEFAULT 1
);
--bun:split
CREATE INDEX organisations_district_idx ON organisations (district, name);
--bun:split
-- Aadhaar is never stored: only its last four digits and a keyed hash, unique so one person
-- is registered once (NULL, for records without Aadhaar, may repeat on both databases).
-- registration_no stays NULL until approval. name_key is the lower-cased name with single
-- spaces, used for sorting and duplicate checks. COLLATE "C" on PostgreSQL makes the
-- sorted and prefix-searched columns compare by code point as SQLite does, whatever the
-- server's locale, so the same range bounds mean the same on both.
CREATE TABLE artisans (
	id {{.ID}},
	registration_no TEXT {{if .PG}}COLLATE "C" {{end}}UNIQUE,
	name TEXT NOT NULL,
	name_key TEXT {{if .PG}}COLLATE "C" {{end}}NOT NULL,
	name_hi TEXT NOT NULL DEFAULT '',
	relative_name TEXT NOT NULL DEFAULT '',
	gender TEXT NOT NULL CHECK (gender IN ('female', 'male', 'transgender', 'other')),
	date_of_birth TEXT NOT NULL,
	social_category TEXT NOT NULL CHECK (social_category IN ('sc', 'st', 'obc', 'mbc', 'ews', 'general')),
	disability BOOLEAN NOT NULL DEFAULT FALSE,
	mobile TEXT {{if .PG}}COLLATE "C" {{end}}NOT NULL DEFAULT '',
	aadhaar_last4 TEXT NOT NULL DEFAULT '',
	aadhaar_hash TEXT,
	district TEXT NOT NULL REFERENCES districts (slug),
	tehsil TEXT NOT NULL DEFAULT '',
	village TEXT NOT NULL DEFAULT '',
	pin_code TEXT NOT NULL DEFAULT '',
	primary_craft TEXT NOT NULL REFERENCES crafts (slug),
	years_in_craft INTEGER NOT NULL DEFAULT 0,
	pehchan_id TEXT NOT NULL DEFAULT '',
	weaver_id TEXT NOT NULL DEFAULT '',
	udyam TEXT NOT NULL DEFAULT '',
	pan TEXT NOT NULL DEFAULT '',
	gstin TEXT NOT NULL DEFAULT '',
	bank_account TEXT NOT NULL DEFAULT '',
	ifsc TEXT NOT NULL DEFAULT '',
	organisation_id BIGINT REFERENCES organisations (id),
	status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'verified', 'approved', 'rejected', 'inactive')),
	status_changed_at {{.Timestamp}} NOT NULL,
	deactivation_reason TEXT NOT NULL DEFAULT ''
		CHECK (deactivation_reason IN ('', 'deceased', 'migrated', 'duplicate', 'other')),
	deactivation_note TEXT NOT NULL DEFAULT '',
	merged_into BIGINT REFERENCES artisans (id),
	created_at {{.Timestamp}} NOT NULL,
	updated_at {{.Timestamp}} NOT NULL,
	created_by BIGINT,
	version BIGINT NOT NULL DEFAULT 1
);
--bun:split
CREATE UNIQUE INDEX artisans_aadhaar_hash_idx ON artisans (aadhaar_hash);
--bun:split
-- One index per list order, so a page is a short index range scan (keyset pagination).
CREATE INDEX artisans_created_idx ON artisans (created_at, id);
--bun:split
CREATE INDEX artisans_district_created_idx ON artisans (district, created_at, id);
--bun:split
CREATE INDEX artisans_name_idx ON artisans (name_key, id);
--bun:split
CREATE INDEX artisans_registration_sort_idx ON artisans ((COALESCE(registration_no, '~')), id);
--bun:split
CREATE INDEX artisans_mobile_idx ON artisans (mobile, district);
--bun:split
CREATE INDEX artisans_status_idx ON artisans (status, status_changed_at);
--bun:split
CREATE INDEX artisans_primary_craft_idx ON artisans (primary_craft);
--bun:split
CREATE INDEX artisans_organisation_idx ON artisans (organisation_id);
--bun:split
CREATE TABLE artisan_crafts (
	artisan_id BIGINT NOT NULL REFERENCES artisans (id) ON DELETE CASCADE,
	craft TEXT NOT NULL REFERENCES crafts (slug),
	PRIMARY KEY (artisan_id, craft)
);
--bun:split
CREATE INDEX artisan_crafts_craft_idx ON artisan_crafts (craft, artisan_id);
--bun:split
CREATE TABLE artisan_events (
	id {{.ID}},
	artisan_id BIGINT NOT NULL REFERENCES artisans (id) ON DELETE CASCADE,
	at {{.Timestamp}} NOT NULL,
	actor_id BIGINT,
	actor_name TEXT NOT NULL,
	from_status TEXT NOT NULL DEFAULT '',
	to_status TEXT NOT NULL,
	action TEXT NOT NULL,
	reason TEXT NOT NULL DEFAULT '',
	note TEXT NOT NULL DEFAULT ''
);
--bun:split
CREATE INDEX artisan_events_artisan_idx ON artisan_events (artisan_id, id);
--bun:split
-- The last registration number given per district and year. The row is updated in the
-- approving transaction, so a number is given once and never again.
CREATE TABLE registration_sequences (
	district TEXT NOT NULL REFERENCES districts (slug),
	year INTEGER NOT NULL,
	last_seq BIGINT NOT NULL,
	PRIMARY KEY (district, year)
);
--bun:split
-- Exact number of artisans per district and status, kept in the transaction of every
-- change, so the common totals need no COUNT(*) over the whole table.
CREATE TABLE artisan_counts (
	district TEXT NOT NULL,
	status TEXT NOT NULL,
	n BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (district, status)
);
--bun:split
-- Search index: each lower-cased word of the names, and "*"-marked inner suffixes of the
-- words of the artisan's own name for partial matches, with the artisan's district so a
-- search is counted and scoped from this index alone. A prefix search is a range scan on
-- the primary key. No foreign key: the rows are written with their artisan in one
-- transaction, and a key check per term would make bulk loads several times slower.
CREATE TABLE artisan_search_terms (
	term TEXT {{if .PG}}COLLATE "C" {{end}}NOT NULL,
	district TEXT NOT NULL,
	artisan_id BIGINT NOT NULL,
	PRIMARY KEY (term, district, artisan_id)
){{if not .PG}} WITHOUT ROWID{{end}};
--bun:split
CREATE INDEX artisan_search_terms_artisan_idx ON artisan_search_terms (artisan_id, term);
--bun:split
-- Name words are very unevenly common (Devi, Lal, Ram, Sharma): a long list of the most
-- common ones lets PostgreSQL's planner tell a common prefix from a rare one.
{{if .PG}}ALTER TABLE artisan_search_terms ALTER COLUMN term SET STATISTICS 1000{{else}}SELECT 1{{end}};
