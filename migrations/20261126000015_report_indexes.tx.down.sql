DROP INDEX enrolment_disbursements_at_idx;
--bun:split
DROP INDEX enrolment_events_at_idx;
--bun:split
DROP INDEX artisan_events_at_idx;
--bun:split
DROP INDEX artisan_events_artisan_at_idx;
