DROP TABLE login_attempts;
--bun:split
DROP TABLE audit_log;
--bun:split
DROP TABLE casbin_rule;
--bun:split
DROP TABLE refresh_tokens;
--bun:split
DROP TABLE sessions;
--bun:split
DROP TABLE users;
--bun:split
DROP TABLE roles;
--bun:split
DROP TABLE platforms;
--bun:split
DROP TABLE schemes;
--bun:split
DROP TABLE agencies;
--bun:split
DROP TABLE crafts;
--bun:split
DROP TABLE districts;
