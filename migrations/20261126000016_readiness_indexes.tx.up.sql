-- The readiness table of a district (and the dashboard's, over the actor's districts) reads
-- the approved artisans of the district four times, once for the artisan rows and once in
-- each grouped subquery (documents, products and photos, flagged listings); with status
-- alone SQLite walked every approved artisan of the state for each.
CREATE INDEX artisans_status_district_idx ON artisans (status, district, id);
