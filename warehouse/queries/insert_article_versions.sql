-- Keep every distinct content of a record, current or stale (a revision adds a row; a repeat adds
-- nothing). Reads the registered DataFrame `incoming_versions`.
INSERT INTO article_versions
SELECT pmid, content_hash, pmid_version, CAST(date_revised AS DATE), CAST(now AS TIMESTAMP), run_id, CAST(record AS JSON)
FROM incoming_versions
ON CONFLICT DO NOTHING;
