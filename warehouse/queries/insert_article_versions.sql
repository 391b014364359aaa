-- Keep every distinct content of a record (a revision adds a row; a repeat adds nothing).
INSERT INTO article_versions
SELECT pmid, content_hash, pmid_version, CAST(date_revised AS DATE), CAST(now AS TIMESTAMP), run_id, CAST(record AS JSON)
FROM incoming
ON CONFLICT DO NOTHING;
