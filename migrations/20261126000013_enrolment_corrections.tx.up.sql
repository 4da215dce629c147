-- A payment recorded wrongly in a month since closed is amended by a correction: a
-- negative entry in an open month that points at the payment it corrects and says why.
-- Reports that sum the payments of a period then count the correction in its own month
-- and leave the closed one as it was. SQLite cannot change a CHECK, so it rebuilds the
-- table.
{{if .PG}}
ALTER TABLE enrolment_disbursements DROP CONSTRAINT enrolment_disbursements_amount_paise_check;
--bun:split
ALTER TABLE enrolment_disbursements ADD COLUMN corrects_id BIGINT REFERENCES enrolment_disbursements (id);
--bun:split
ALTER TABLE enrolment_disbursements ADD COLUMN reason TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE enrolment_disbursements ADD CONSTRAINT enrolment_disbursements_amount_check
	CHECK (corrects_id IS NULL AND amount_paise > 0 OR corrects_id IS NOT NULL AND amount_paise < 0);
{{else}}
CREATE TABLE enrolment_disbursements_new (
	id {{.ID}},
	enrolment_id BIGINT NOT NULL REFERENCES enrolments (id) ON DELETE CASCADE,
	amount_paise BIGINT NOT NULL,
	paid_on TEXT NOT NULL,
	reference TEXT NOT NULL,
	at {{.Timestamp}} NOT NULL,
	actor_id BIGINT,
	corrects_id BIGINT REFERENCES enrolment_disbursements (id),
	reason TEXT NOT NULL DEFAULT '',
	CHECK (corrects_id IS NULL AND amount_paise > 0 OR corrects_id IS NOT NULL AND amount_paise < 0)
);
--bun:split
INSERT INTO enrolment_disbursements_new (id, enrolment_id, amount_paise, paid_on, reference, at, actor_id)
SELECT id, enrolment_id, amount_paise, paid_on, reference, at, actor_id FROM enrolment_disbursements;
--bun:split
DROP TABLE enrolment_disbursements;
--bun:split
ALTER TABLE enrolment_disbursements_new RENAME TO enrolment_disbursements;
--bun:split
CREATE INDEX enrolment_disbursements_enrolment_idx ON enrolment_disbursements (enrolment_id, id);
{{end}}
--bun:split
CREATE INDEX enrolment_disbursements_corrects_idx ON enrolment_disbursements (corrects_id);
