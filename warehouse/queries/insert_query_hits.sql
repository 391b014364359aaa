-- Which condition query returned which PMID, from the registered DataFrame `hits` (pmid,
-- condition_id, query_hash): the first time only. Parameters: the time ($now) and the run ($run_id).
INSERT INTO article_query_hits
SELECT pmid, condition_id, query_hash, CAST($now AS TIMESTAMP), $run_id
FROM hits
ON CONFLICT DO NOTHING;
