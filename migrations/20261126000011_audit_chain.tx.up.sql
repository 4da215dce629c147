-- The audit log becomes a hash chain: each entry stores the hash of the one before it and
-- its own hash over a canonical form of its fields (app/audit_chain.go), so an entry edited
-- or removed in the database breaks a link that `shilpkosh audit verify` finds.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE audit_log ADD COLUMN hash TEXT NOT NULL DEFAULT '';
--bun:split
-- One row: where the chain starts (entries up to start_id were written before it existed
-- and are not covered) and its head, the hash of the last entry. Appends lock this row, so
-- two writers never chain onto the same entry; the head also shows entries cut off the end.
CREATE TABLE audit_chain (
	id INTEGER PRIMARY KEY,
	start_id BIGINT NOT NULL,
	last_hash TEXT NOT NULL
);
--bun:split
INSERT INTO audit_chain (id, start_id, last_hash)
SELECT 1, COALESCE(MAX(id), 0), '' FROM audit_log;
--bun:split
{{if .PG}}
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit_log is append-only';
END
$$;
--bun:split
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
--bun:split
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
--bun:split
CREATE TRIGGER audit_chain_keep BEFORE DELETE ON audit_chain
	FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
{{else}}
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
--bun:split
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
--bun:split
CREATE TRIGGER audit_chain_keep BEFORE DELETE ON audit_chain
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
{{end}}
