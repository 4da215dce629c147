DROP TABLE artisan_search_terms;
--bun:split
DROP TABLE artisan_counts;
--bun:split
DROP TABLE registration_sequences;
--bun:split
DROP TABLE artisan_events;
--bun:split
DROP TABLE artisan_crafts;
--bun:split
DROP TABLE artisans;
--bun:split
DROP TABLE organisations;
