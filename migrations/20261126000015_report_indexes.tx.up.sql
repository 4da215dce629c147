-- The monthly reports read each artisan's status at a month end as its latest status
-- change before then: one backward probe per artisan on (artisan_id, at, id), where the
-- earlier replay of every event by a window function took seconds at 100,000 artisans.
CREATE INDEX artisan_events_artisan_at_idx ON artisan_events (artisan_id, at, id);
--bun:split
-- A month's approvals, and the latest change before a month end (the report's "as of"),
-- read a range of at, not the whole table.
CREATE INDEX artisan_events_at_idx ON artisan_events (at, artisan_id);
--bun:split
CREATE INDEX enrolment_events_at_idx ON enrolment_events (at, enrolment_id);
--bun:split
CREATE INDEX enrolment_disbursements_at_idx ON enrolment_disbursements (at, enrolment_id);
