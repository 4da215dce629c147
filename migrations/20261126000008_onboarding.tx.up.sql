-- E-commerce onboarding: where each artisan stands on each platform, and every move.
--
-- The documents a platform needs, as codes the app can check against the artisan's record
-- and uploads (platforms.documents_needed stays the free text for people). The rows are
-- written here, not by the reference seed, because the seed keeps edited rows and this list
-- is edited as a whole by the state admin (PATCH /api/v1/platforms/{slug}). A platform row
-- may not exist yet when this runs (the seed comes after the migrations on a new
-- database), so there is no foreign key; the app only reads codes of known platforms.
CREATE TABLE platform_documents (
	platform TEXT NOT NULL,
	document TEXT NOT NULL CHECK (document IN ('pan', 'gstin', 'bank_account', 'aadhaar', 'mobile', 'udyam',
		'artisan_id', 'id_proof', 'photos', 'catalogue')),
	PRIMARY KEY (platform, document)
);
--bun:split
INSERT INTO platform_documents (platform, document) VALUES
	('amazon', 'pan'), ('amazon', 'aadhaar'), ('amazon', 'gstin'), ('amazon', 'bank_account'),
	('amazon', 'photos'), ('amazon', 'catalogue'),
	('flipkart', 'pan'), ('flipkart', 'gstin'), ('flipkart', 'bank_account'), ('flipkart', 'catalogue'),
	('gem', 'pan'), ('gem', 'mobile'), ('gem', 'bank_account'), ('gem', 'udyam'),
	('ondc', 'gstin'), ('ondc', 'bank_account'), ('ondc', 'id_proof'), ('ondc', 'catalogue'),
	('india-handmade', 'artisan_id'), ('india-handmade', 'pan'), ('india-handmade', 'gstin'),
	('india-handmade', 'bank_account');
--bun:split
-- One record per artisan and platform; none means not_started. The district is the
-- artisan's, read through a join, so a transferred artisan takes the records along.
CREATE TABLE onboardings (
	id {{.ID}},
	artisan_id BIGINT NOT NULL REFERENCES artisans (id),
	platform TEXT NOT NULL REFERENCES platforms (slug),
	stage TEXT NOT NULL CHECK (stage IN ('not_started', 'documents', 'training', 'account_created',
		'catalogue', 'listed', 'first_sale', 'active', 'blocked')),
	reason TEXT NOT NULL DEFAULT '',
	note TEXT NOT NULL DEFAULT '',
	seller_id TEXT NOT NULL DEFAULT '',
	live_listings INTEGER NOT NULL DEFAULT 0 CHECK (live_listings >= 0),
	last_sale_on TEXT NOT NULL DEFAULT '',
	stage_since {{.Timestamp}} NOT NULL,
	version BIGINT NOT NULL DEFAULT 1,
	created_at {{.Timestamp}} NOT NULL,
	updated_at {{.Timestamp}} NOT NULL,
	updated_by BIGINT,
	CHECK ((stage = 'blocked') = (reason <> '')),
	UNIQUE (artisan_id, platform)
);
--bun:split
-- The board and the funnel count by platform and stage, then narrow to a district
-- through artisans (artisans_district_created_idx).
CREATE INDEX onboardings_platform_stage_idx ON onboardings (platform, stage, artisan_id);
--bun:split
CREATE INDEX onboardings_stage_idx ON onboardings (stage, reason);
--bun:split
CREATE TABLE onboarding_events (
	id {{.ID}},
	onboarding_id BIGINT NOT NULL REFERENCES onboardings (id) ON DELETE CASCADE,
	at {{.Timestamp}} NOT NULL,
	actor_id BIGINT,
	actor_name TEXT NOT NULL,
	from_stage TEXT NOT NULL,
	to_stage TEXT NOT NULL,
	reason TEXT NOT NULL DEFAULT '',
	note TEXT NOT NULL DEFAULT ''
);
--bun:split
CREATE INDEX onboarding_events_onboarding_idx ON onboarding_events (onboarding_id, at, id);
--bun:split
-- Moves during a month: the funnel reads the events of a month range.
CREATE INDEX onboarding_events_at_idx ON onboarding_events (at, onboarding_id);
