{{if .PG}}
DROP TRIGGER audit_chain_keep ON audit_chain;
--bun:split
DROP TRIGGER audit_log_no_truncate ON audit_log;
--bun:split
DROP TRIGGER audit_log_append_only ON audit_log;
--bun:split
DROP FUNCTION audit_log_append_only();
{{else}}
DROP TRIGGER audit_chain_keep;
--bun:split
DROP TRIGGER audit_log_no_delete;
--bun:split
DROP TRIGGER audit_log_no_update;
{{end}}
--bun:split
DROP TABLE audit_chain;
--bun:split
ALTER TABLE audit_log DROP COLUMN hash;
--bun:split
ALTER TABLE audit_log DROP COLUMN prev_hash;
