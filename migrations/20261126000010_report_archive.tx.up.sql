-- Generated monthly reports, kept for download and for /verify/{code}. A regenerated
-- report never overwrites: the new row is added and the old one marked superseded, so a
-- printed copy can always be checked. The PDF itself is in the database, not under the
-- data folder, because every server instance sharing the database must serve it.
-- district is '' for the state summary. code is the verification code printed on the
-- PDF: a shortened SHA-256 of the PDF as rendered without the code itself; sha256 is the
-- digest of the stored file. Who generated it and when live here, never in the PDF, so
-- identical data gives identical bytes.
CREATE TABLE report_archive (
	id {{.ID}},
	kind TEXT NOT NULL CHECK (kind IN ('district', 'state')),
	district TEXT NOT NULL DEFAULT '',
	month TEXT NOT NULL,
	lang TEXT NOT NULL CHECK (lang IN ('en', 'hi')),
	sha256 TEXT NOT NULL,
	code TEXT NOT NULL,
	size_bytes BIGINT NOT NULL,
	content {{if .PG}}BYTEA{{else}}BLOB{{end}} NOT NULL,
	generated_by BIGINT REFERENCES users (id),
	generated_by_name TEXT NOT NULL,
	generated_at {{.Timestamp}} NOT NULL,
	superseded_at {{.Timestamp}},
	superseded_by BIGINT REFERENCES report_archive (id)
);
--bun:split
-- At most one current report per kind, district, month and language: two generations
-- racing cannot both stay current.
CREATE UNIQUE INDEX report_archive_current_idx ON report_archive (kind, district, month, lang) WHERE superseded_at IS NULL;
--bun:split
CREATE INDEX report_archive_code_idx ON report_archive (code);
--bun:split
CREATE INDEX report_archive_list_idx ON report_archive (month, district, kind);
--bun:split
-- The scheduled run of a month's reports. The primary key is the claim: the instance
-- whose INSERT lands runs the month; the others see the row and do nothing. lease_until
-- is pushed forward as the run progresses; a claim whose run crashed (finished_at still
-- empty, lease past) may be taken over by a conditional UPDATE, so the month is retried,
-- and reports already archived are found unchanged rather than generated twice.
CREATE TABLE report_runs (
	month TEXT PRIMARY KEY,
	claimed_by TEXT NOT NULL,
	claimed_at {{.Timestamp}} NOT NULL,
	lease_until {{.Timestamp}} NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 1,
	done INTEGER NOT NULL DEFAULT 0,
	finished_at {{.Timestamp}},
	last_error TEXT NOT NULL DEFAULT ''
);
