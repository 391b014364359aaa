-- The warehouse's first completed nightly run (the backfill), when it ran in the week $start..$end
-- or the morning after: how much it loaded, so that week's digest does not read "0 new articles".
-- Articles are counted only when that run falls in the week (any other week reads no article).
-- Tags are read through a semi join on the run's articles, so DuckDB hashes those (none in any
-- other week) rather than every article's tags, as a LEFT JOIN to article_tags did.
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
    SELECT a.pmid, a.deleted_at, a.entrez_date
    FROM articles a
    JOIN in_week f ON a.first_run_id = f.run_id
)
SELECT
    CAST(f.started_at AS DATE) AS day,
    f.n_new,
    (SELECT count(*) FROM article_tags t
     WHERE t.ivig_focus AND t.pmid IN (SELECT pmid FROM loaded WHERE deleted_at IS NULL)) AS n_ivig,
    (SELECT max(entrez_date) FROM loaded) AS up_to
FROM in_week f;
