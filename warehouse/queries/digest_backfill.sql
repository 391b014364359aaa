-- The warehouse's first completed nightly run (the backfill), when it ran in the week $start..$end
-- or the morning after: how much it loaded, so that week's digest does not read "0 new articles".
WITH first_run AS (
    SELECT run_id, started_at, n_new FROM v_run
    WHERE flow = 'nightly' AND status = 'completed'
    ORDER BY started_at
    LIMIT 1
)
SELECT
    CAST(f.started_at AS DATE) AS day,
    f.n_new,
    (SELECT count(*) FROM articles a JOIN article_tags t USING (pmid)
     WHERE a.first_run_id = f.run_id AND t.ivig_focus AND a.deleted_at IS NULL) AS n_ivig,
    (SELECT max(a.entrez_date) FROM articles a WHERE a.first_run_id = f.run_id) AS up_to
FROM first_run f
WHERE CAST(f.started_at AS DATE) BETWEEN $start AND CAST($end AS DATE) + INTERVAL 1 DAY;
