-- Scheme details an administrator edits, and the eligibility rules checked when an artisan
-- applies. List-valued rules are "|"-separated slugs; an empty list or a zero age means no
-- restriction, so the seeded schemes stay valid and open to everyone until edited.
ALTER TABLE schemes ADD COLUMN benefit_type TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE schemes ADD COLUMN rule_sectors TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE schemes ADD COLUMN rule_crafts TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE schemes ADD COLUMN rule_min_age INTEGER NOT NULL DEFAULT 0;
--bun:split
ALTER TABLE schemes ADD COLUMN rule_max_age INTEGER NOT NULL DEFAULT 0;
--bun:split
ALTER TABLE schemes ADD COLUMN rule_genders TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE schemes ADD COLUMN rule_categories TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE schemes ADD COLUMN rule_districts TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE schemes ADD COLUMN rule_approved BOOLEAN NOT NULL DEFAULT TRUE;
--bun:split
ALTER TABLE schemes ADD COLUMN rule_bank_account BOOLEAN NOT NULL DEFAULT FALSE;
--bun:split
ALTER TABLE schemes ADD COLUMN starts_on TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE schemes ADD COLUMN ends_on TEXT NOT NULL DEFAULT '';
--bun:split
-- An enrolment of an artisan in a scheme. district is copied from the artisan, so scope
-- applies in SQL without a join. The CHECK is the last guard that money paid out never
-- exceeds the sanction.
CREATE TABLE enrolments (
	id {{.ID}},
	artisan_id BIGINT NOT NULL REFERENCES artisans (id),
	scheme TEXT NOT NULL REFERENCES schemes (slug),
	district TEXT NOT NULL REFERENCES districts (slug),
	status TEXT NOT NULL CHECK (status IN ('applied', 'verified', 'sanctioned', 'disbursed', 'rejected')),
	applied_at {{.Timestamp}} NOT NULL,
	status_changed_at {{.Timestamp}} NOT NULL,
	sanctioned_paise BIGINT NOT NULL DEFAULT 0,
	disbursed_paise BIGINT NOT NULL DEFAULT 0,
	reject_reason TEXT NOT NULL DEFAULT '',
	created_by BIGINT,
	version BIGINT NOT NULL DEFAULT 1,
	CHECK (sanctioned_paise >= 0 AND disbursed_paise >= 0 AND disbursed_paise <= sanctioned_paise)
);
--bun:split
-- One open enrolment per artisan per scheme; a rejected or fully disbursed one may be
-- followed by a new application.
CREATE UNIQUE INDEX enrolments_open_idx ON enrolments (artisan_id, scheme)
	WHERE status IN ('applied', 'verified', 'sanctioned');
--bun:split
CREATE INDEX enrolments_scheme_idx ON enrolments (scheme, status, id);
--bun:split
CREATE INDEX enrolments_district_idx ON enrolments (district, applied_at, id);
--bun:split
CREATE INDEX enrolments_artisan_idx ON enrolments (artisan_id, scheme);
--bun:split
CREATE TABLE enrolment_disbursements (
	id {{.ID}},
	enrolment_id BIGINT NOT NULL REFERENCES enrolments (id) ON DELETE CASCADE,
	amount_paise BIGINT NOT NULL CHECK (amount_paise > 0),
	paid_on TEXT NOT NULL,
	reference TEXT NOT NULL,
	at {{.Timestamp}} NOT NULL,
	actor_id BIGINT
);
--bun:split
CREATE INDEX enrolment_disbursements_enrolment_idx ON enrolment_disbursements (enrolment_id, id);
--bun:split
CREATE TABLE enrolment_events (
	id {{.ID}},
	enrolment_id BIGINT NOT NULL REFERENCES enrolments (id) ON DELETE CASCADE,
	at {{.Timestamp}} NOT NULL,
	actor_id BIGINT,
	actor_name TEXT NOT NULL,
	from_status TEXT NOT NULL DEFAULT '',
	to_status TEXT NOT NULL,
	action TEXT NOT NULL,
	amount_paise BIGINT NOT NULL DEFAULT 0,
	reason TEXT NOT NULL DEFAULT ''
);
--bun:split
CREATE INDEX enrolment_events_enrolment_idx ON enrolment_events (enrolment_id, id);
