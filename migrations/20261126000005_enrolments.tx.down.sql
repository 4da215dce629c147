DROP TABLE enrolment_events;
--bun:split
DROP TABLE enrolment_disbursements;
--bun:split
DROP TABLE enrolments;
--bun:split
ALTER TABLE schemes DROP COLUMN ends_on;
--bun:split
ALTER TABLE schemes DROP COLUMN starts_on;
--bun:split
ALTER TABLE schemes DROP COLUMN rule_bank_account;
--bun:split
ALTER TABLE schemes DROP COLUMN rule_approved;
--bun:split
ALTER TABLE schemes DROP COLUMN rule_districts;
--bun:split
ALTER TABLE schemes DROP COLUMN rule_categories;
--bun:split
ALTER TABLE schemes DROP COLUMN rule_genders;
--bun:split
ALTER TABLE schemes DROP COLUMN rule_max_age;
--bun:split
ALTER TABLE schemes DROP COLUMN rule_min_age;
--bun:split
ALTER TABLE schemes DROP COLUMN rule_crafts;
--bun:split
ALTER TABLE schemes DROP COLUMN rule_sectors;
--bun:split
ALTER TABLE schemes DROP COLUMN benefit_type;
