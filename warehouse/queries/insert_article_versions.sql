-- Keep every distinct content of a record, current or stale (a revision adds a row; a repeat adds
-- nothing). Reads the registered DataFrame `incoming_versions`, one row per (pmid, content_hash):
-- record is NULL for a revision that is now current (its JSON is articles.record), which also
-- clears the JSON of an older history row when a record returns to that content.
INSERT INTO article_versions
SELECT pmid, content_hash, pmid_version, CAST(date_revised AS DATE), CAST(now AS TIMESTAMP), run_id, CAST(record AS JSON)
FROM incoming_versions
ON CONFLICT (pmid, content_hash) DO UPDATE SET record = NULL WHERE excluded.record IS NULL;
