-- Remember withdrawals (parameters: now, PMIDs, as_of, run_id), even of PMIDs not stored yet, with
-- the date of the file that made them; the newest date wins.
INSERT INTO article_deletions
SELECT unnest(CAST($2 AS VARCHAR[])), CAST($3 AS DATE), CAST($1 AS TIMESTAMP), $4
ON CONFLICT (pmid) DO UPDATE SET
    deleted_on = greatest(article_deletions.deleted_on, excluded.deleted_on),
    recorded_at = excluded.recorded_at,
    run_id = excluded.run_id;
