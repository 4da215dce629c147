{{- if .PG}}
DROP TRIGGER artisans_district_documents ON artisans;
--bun:split
DROP FUNCTION documents_follow_artisan();
{{- else}}
DROP TRIGGER artisans_district_documents;
{{- end}}
--bun:split
DROP TABLE documents;
