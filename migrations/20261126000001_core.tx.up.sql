CREATE TABLE districts (
	slug TEXT PRIMARY KEY,
	name_en TEXT NOT NULL,
	name_hi TEXT NOT NULL,
	division TEXT NOT NULL,
	lgd_code TEXT NOT NULL DEFAULT '',
	census2011_code TEXT NOT NULL DEFAULT '',
	rto_code TEXT NOT NULL DEFAULT '',
	aliases TEXT NOT NULL DEFAULT '',
	active BOOLEAN NOT NULL DEFAULT TRUE,
	version BIGINT NOT NULL DEFAULT 1
);
--bun:split
CREATE TABLE crafts (
	slug TEXT PRIMARY KEY,
	sector TEXT NOT NULL CHECK (sector IN ('handicraft', 'handloom', 'khadi')),
	name_en TEXT NOT NULL,
	name_hi TEXT NOT NULL,
	main_centres TEXT NOT NULL DEFAULT '',
	gi_tag BOOLEAN NOT NULL DEFAULT FALSE,
	active BOOLEAN NOT NULL DEFAULT TRUE,
	version BIGINT NOT NULL DEFAULT 1
);
--bun:split
CREATE TABLE agencies (
	slug TEXT PRIMARY KEY,
	name_en TEXT NOT NULL,
	name_hi TEXT NOT NULL,
	level TEXT NOT NULL,
	role TEXT NOT NULL DEFAULT ''
);
--bun:split
CREATE TABLE schemes (
	slug TEXT PRIMARY KEY,
	name_en TEXT NOT NULL,
	name_hi TEXT NOT NULL,
	sponsor TEXT NOT NULL,
	agency TEXT NOT NULL REFERENCES agencies (slug),
	sectors TEXT NOT NULL DEFAULT '',
	eligibility TEXT NOT NULL DEFAULT '',
	benefit TEXT NOT NULL DEFAULT '',
	stages TEXT NOT NULL DEFAULT '',
	active BOOLEAN NOT NULL DEFAULT TRUE,
	version BIGINT NOT NULL DEFAULT 1
);
--bun:split
CREATE TABLE platforms (
	slug TEXT PRIMARY KEY,
	name_en TEXT NOT NULL,
	name_hi TEXT NOT NULL,
	programme TEXT NOT NULL DEFAULT '',
	kind TEXT NOT NULL DEFAULT '',
	documents_needed TEXT NOT NULL DEFAULT '',
	notes TEXT NOT NULL DEFAULT '',
	active BOOLEAN NOT NULL DEFAULT TRUE,
	version BIGINT NOT NULL DEFAULT 1
);
--bun:split
CREATE TABLE roles (
	slug TEXT PRIMARY KEY,
	name_en TEXT NOT NULL,
	name_hi TEXT NOT NULL,
	scope_kind TEXT NOT NULL CHECK (scope_kind IN ('state', 'district', 'store'))
);
--bun:split
INSERT INTO roles (slug, name_en, name_hi, scope_kind) VALUES
	('state_admin', 'State administrator', 'राज्य प्रशासक', 'state'),
	('board_official', 'Board official', 'बोर्ड अधिकारी', 'state'),
	('dic_officer', 'DIC officer', 'जिला उद्योग केंद्र अधिकारी', 'district'),
	('data_entry', 'Data-entry operator', 'डेटा एंट्री ऑपरेटर', 'district'),
	('store_manager', 'Store manager', 'स्टोर प्रबंधक', 'store'),
	('auditor', 'Auditor', 'लेखा परीक्षक', 'state');
--bun:split
CREATE TABLE users (
	id {{.ID}},
	username TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	lang TEXT NOT NULL DEFAULT 'en',
	active BOOLEAN NOT NULL DEFAULT TRUE,
	store_id BIGINT,
	password_changed_at {{.Timestamp}} NOT NULL,
	created_at {{.Timestamp}} NOT NULL,
	updated_at {{.Timestamp}} NOT NULL,
	version BIGINT NOT NULL DEFAULT 1
);
--bun:split
CREATE TABLE sessions (
	id TEXT PRIMARY KEY,
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at {{.Timestamp}} NOT NULL,
	expires_at {{.Timestamp}} NOT NULL,
	revoked_at {{.Timestamp}},
	revoked_reason TEXT NOT NULL DEFAULT '',
	ip TEXT NOT NULL DEFAULT '',
	user_agent TEXT NOT NULL DEFAULT ''
);
--bun:split
CREATE INDEX sessions_user_idx ON sessions (user_id);
--bun:split
CREATE TABLE refresh_tokens (
	id {{.ID}},
	session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
	token_hash TEXT NOT NULL UNIQUE,
	created_at {{.Timestamp}} NOT NULL,
	expires_at {{.Timestamp}} NOT NULL,
	used_at {{.Timestamp}}
);
--bun:split
CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id);
--bun:split
CREATE TABLE casbin_rule (
	id {{.ID}},
	ptype TEXT NOT NULL,
	v0 TEXT NOT NULL DEFAULT '',
	v1 TEXT NOT NULL DEFAULT '',
	v2 TEXT NOT NULL DEFAULT '',
	v3 TEXT NOT NULL DEFAULT '',
	v4 TEXT NOT NULL DEFAULT '',
	v5 TEXT NOT NULL DEFAULT ''
);
--bun:split
CREATE UNIQUE INDEX casbin_rule_unique_idx ON casbin_rule (ptype, v0, v1, v2, v3, v4, v5);
--bun:split
CREATE TABLE audit_log (
	id {{.ID}},
	at {{.Timestamp}} NOT NULL,
	actor_id BIGINT,
	actor_name TEXT NOT NULL,
	entity TEXT NOT NULL,
	entity_id TEXT NOT NULL,
	action TEXT NOT NULL,
	district TEXT NOT NULL DEFAULT '',
	before_json TEXT NOT NULL DEFAULT '',
	after_json TEXT NOT NULL DEFAULT '',
	ip TEXT NOT NULL DEFAULT ''
);
--bun:split
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id);
--bun:split
CREATE INDEX audit_log_at_idx ON audit_log (at, id);
--bun:split
CREATE TABLE login_attempts (
	id {{.ID}},
	at {{.Timestamp}} NOT NULL,
	username TEXT NOT NULL,
	ip TEXT NOT NULL,
	success BOOLEAN NOT NULL,
	reason TEXT NOT NULL DEFAULT ''
);
--bun:split
CREATE INDEX login_attempts_username_idx ON login_attempts (username, at);
--bun:split
CREATE INDEX login_attempts_ip_idx ON login_attempts (ip, at);
