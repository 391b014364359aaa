-- Before revisions from the registered DataFrame `incoming` replace stored articles: the JSON each
-- replaces moves from `articles.record` into that content's history row (its only copy from now on).
INSERT INTO article_versions
SELECT a.pmid, a.content_hash, a.pmid_version, a.date_revised, a.last_revised, a.last_run_id, a.record
FROM articles a
JOIN incoming i USING (pmid)
WHERE a.content_hash <> i.content_hash
ON CONFLICT (pmid, content_hash) DO UPDATE SET record = excluded.record;
