-- Corrections go with the columns that describe them. The enrolments keep their totals:
-- taking a correction back out could push a total past its sanction.
DROP INDEX enrolment_disbursements_corrects_idx;
--bun:split
DELETE FROM enrolment_disbursements WHERE corrects_id IS NOT NULL;
--bun:split
{{if .PG}}
ALTER TABLE enrolment_disbursements DROP CONSTRAINT enrolment_disbursements_amount_check;
--bun:split
ALTER TABLE enrolment_disbursements DROP COLUMN reason;
--bun:split
ALTER TABLE enrolment_disbursements DROP COLUMN corrects_id;
--bun:split
ALTER TABLE enrolment_disbursements ADD CONSTRAINT enrolment_disbursements_amount_paise_check CHECK (amount_paise > 0);
{{else}}
CREATE TABLE enrolment_disbursements_old (
	id {{.ID}},
	enrolment_id BIGINT NOT NULL REFERENCES enrolments (id) ON DELETE CASCADE,
	amount_paise BIGINT NOT NULL CHECK (amount_paise > 0),
	paid_on TEXT NOT NULL,
	reference TEXT NOT NULL,
	at {{.Timestamp}} NOT NULL,
	actor_id BIGINT
);
--bun:split
INSERT INTO enrolment_disbursements_old (id, enrolment_id, amount_paise, paid_on, reference, at, actor_id)
SELECT id, enrolment_id, amount_paise, paid_on, reference, at, actor_id FROM enrolment_disbursements;
--bun:split
DROP TABLE enrolment_disbursements;
--bun:split
ALTER TABLE enrolment_disbursements_old RENAME TO enrolment_disbursements;
--bun:split
CREATE INDEX enrolment_disbursements_enrolment_idx ON enrolment_disbursements (enrolment_id, id);
{{end}}
