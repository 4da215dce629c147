-- Files attached to an artisan: ID proof, bank passbook, certificates, the photo. The file
-- itself lives under the data folder, named by storage_key: random, never derived from what
-- the user sent. file_name is the sanitised name, for display only. district is a copy of
-- the artisan's, so every read is limited to the reader's districts in SQL without a join;
-- the trigger below keeps it in step when an artisan moves to another district. A deleted
-- document keeps its row and its file (deleted_at set), so the audit log still points at it.
CREATE TABLE documents (
	id {{.ID}},
	artisan_id BIGINT NOT NULL REFERENCES artisans (id),
	district TEXT NOT NULL REFERENCES districts (slug),
	doc_type TEXT NOT NULL CHECK (doc_type IN ('id_proof', 'bank_passbook', 'certificate', 'photo', 'other')),
	file_name TEXT NOT NULL,
	content_type TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
	size_bytes BIGINT NOT NULL CHECK (size_bytes > 0),
	sha256 TEXT NOT NULL,
	storage_key TEXT NOT NULL UNIQUE,
	uploaded_by BIGINT,
	uploaded_at {{.Timestamp}} NOT NULL,
	deleted_at {{.Timestamp}}
);
--bun:split
CREATE INDEX documents_artisan_idx ON documents (artisan_id, uploaded_at);
--bun:split
CREATE INDEX documents_district_idx ON documents (district);
--bun:split
{{- if .PG}}
CREATE FUNCTION documents_follow_artisan() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE documents SET district = NEW.district WHERE artisan_id = NEW.id;
	RETURN NULL;
END
$$;
--bun:split
CREATE TRIGGER artisans_district_documents AFTER UPDATE OF district ON artisans
	FOR EACH ROW WHEN (OLD.district IS DISTINCT FROM NEW.district)
	EXECUTE FUNCTION documents_follow_artisan();
{{- else}}
CREATE TRIGGER artisans_district_documents AFTER UPDATE OF district ON artisans
	FOR EACH ROW WHEN OLD.district <> NEW.district
BEGIN
	UPDATE documents SET district = NEW.district WHERE artisan_id = NEW.id;
END;
{{- end}}
