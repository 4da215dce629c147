-- One row whose version moves on with every change to roles or policy, so every server
-- instance sharing the database notices the change and reloads its rules.
CREATE TABLE policy_state (
	id INTEGER PRIMARY KEY,
	version BIGINT NOT NULL
);
--bun:split
INSERT INTO policy_state (id, version) VALUES (1, 1);
