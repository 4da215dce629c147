-- One upload of artisans: parsed, checked and saved by a background worker. The artisans
-- themselves are saved in one transaction of their own, so a job left validating or saving
-- by a crash saved nothing and is marked failed at the next start. report holds the
-- problems found, row by row, as JSON (never an Aadhaar number); message the file-level
-- problem, a catalogue key with its arguments as JSON.
CREATE TABLE import_jobs (
	id {{.ID}},
	kind TEXT NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('queued', 'validating', 'saving', 'done', 'failed')),
	file_name TEXT NOT NULL DEFAULT '',
	total_rows INTEGER NOT NULL DEFAULT 0,
	done_rows INTEGER NOT NULL DEFAULT 0,
	created_count INTEGER NOT NULL DEFAULT 0,
	existing_count INTEGER NOT NULL DEFAULT 0,
	error_count INTEGER NOT NULL DEFAULT 0,
	message TEXT NOT NULL DEFAULT '',
	report TEXT NOT NULL DEFAULT '',
	created_by BIGINT NOT NULL REFERENCES users (id),
	district_scope TEXT NOT NULL DEFAULT '',
	created_at {{.Timestamp}} NOT NULL,
	updated_at {{.Timestamp}} NOT NULL,
	finished_at {{.Timestamp}}
);
--bun:split
CREATE INDEX import_jobs_created_by_idx ON import_jobs (created_by, id);
--bun:split
CREATE INDEX import_jobs_status_idx ON import_jobs (status);
