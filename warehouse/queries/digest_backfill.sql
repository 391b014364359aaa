-- The warehouse's first completed nightly run (the backfill), when it ran in the week $start..$end
-- or the morning after: how much it loaded, so that week's digest does not read "0 new articles".
-- Articles are counted only when that run falls in the week (any other week reads no article).
WITH first_run AS (
    SELECT run_id, started_at, n_new FROM v_run
    WHERE flow = 'nightly' AND status = 'completed'
    ORDER BY started_at
    LIMIT 1
),
in_week AS (
    SELECT * FROM first_run
    WHERE CAST(started_at AS DATE) BETWEEN $start AND CAST($end AS DATE) + INTERVAL 1 DAY
),
loaded AS (
    SELECT
        count(*) FILTER (WHERE t.ivig_focus AND a.deleted_at IS NULL) AS n_ivig,
        max(a.entrez_date)                                          AS up_to
    FROM articles a
    JOIN in_week f ON a.first_run_id = f.run_id
    LEFT JOIN article_tags t USING (pmid)
)
SELECT CAST(f.started_at AS DATE) AS day, f.n_new, l.n_ivig, l.up_to
FROM in_week f, loaded l;
