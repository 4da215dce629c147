-- A name search within a district (every district officer's, and the list's district
-- filter) scans only that district's terms: equality on district, then the term's prefix
-- range, the ids read from the index alone. The primary key (term, district, artisan_id)
-- stays for state-wide searches. term is COLLATE "C" on PostgreSQL, as in the key.
CREATE INDEX artisan_search_terms_district_idx ON artisan_search_terms (district, term, artisan_id);
