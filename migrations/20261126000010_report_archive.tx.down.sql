DROP TABLE report_runs;
--bun:split
DROP TABLE report_archive;
