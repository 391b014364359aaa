-- Trials and syntheses that joined a condition's evidence in the week without changing its status:
-- the first $shown of them, each with how many the week holds (n_in_week), so a week when a bulk
-- load added thousands lists a readable few and costs their titles, not thousands.
WITH week AS (
    SELECT condition_id, pmid, design, direction, status, added_at, count(*) OVER () AS n_in_week
    FROM notable_additions
    WHERE added_at >= CAST($start AS TIMESTAMP)  -- a range on the column itself, which zone maps can
      AND added_at < CAST($end AS TIMESTAMP) + INTERVAL 1 DAY  -- use (a CAST of it they cannot)
    ORDER BY added_at, condition_id, pmid
    LIMIT $shown
)
SELECT w.condition_id, w.pmid, w.design, w.direction, w.status, coalesce(a.title, '') AS title, w.n_in_week
FROM week w
LEFT JOIN articles a USING (pmid)
ORDER BY w.added_at, w.condition_id, w.pmid;
