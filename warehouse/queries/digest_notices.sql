-- Retraction and erratum notices entered in the week that concern a tracked article (or were found
-- by a condition query themselves), and tracked articles whose record became retracted in the week.
-- Bounded by the week: conditions are looked up by joining from the week's few articles. The first
-- $shown are listed (by kind, then PMID), each row with how many the week holds (n_in_week), so a
-- week when a bulk load brought thousands costs a readable few.
WITH notices AS (
    SELECT
        a.pmid,
        CASE WHEN a.is_retraction_notice THEN 'retraction_notice' ELSE 'erratum_notice' END AS kind,
        a.title,
        from_json(a.record -> 'comments_corrections', '[{"ref_type": "VARCHAR", "pmid": "VARCHAR"}]') AS refs
    FROM articles a
    WHERE (a.is_retraction_notice OR a.is_erratum_notice)
      AND a.deleted_at IS NULL
      AND a.entrez_date BETWEEN $start AND $end
),
targets AS (
    SELECT n.pmid, list([t.pmid, t.title] ORDER BY t.pmid) AS targets
    FROM notices n, unnest(n.refs) AS r(ref)
    JOIN articles t ON t.pmid = ref.pmid
    WHERE ref.ref_type IN ('RetractionOf', 'ErratumFor')
    GROUP BY n.pmid
),
retracted AS (
    SELECT a.pmid, a.title
    FROM articles a
    WHERE a.last_revised >= CAST($start AS TIMESTAMP)  -- a range on the column itself: zone maps skip
      AND a.last_revised < CAST($end AS TIMESTAMP) + INTERVAL 1 DAY  -- row groups loaded in other weeks
      AND a.is_retracted
      AND a.deleted_at IS NULL
),
tracked AS (
    SELECT DISTINCT c.pmid
    FROM article_conditions c
    JOIN (SELECT pmid FROM notices UNION ALL SELECT pmid FROM retracted) w USING (pmid)
),
listed AS (
    SELECT n.pmid, n.kind, n.title, t.targets
    FROM notices n
    LEFT JOIN targets t USING (pmid)
    WHERE t.targets IS NOT NULL OR n.pmid IN (SELECT pmid FROM tracked)
    UNION ALL
    SELECT r.pmid, 'retracted', r.title, NULL
    FROM retracted r
    WHERE r.pmid IN (SELECT pmid FROM tracked)
)
SELECT pmid, kind, title, targets, count(*) OVER () AS n_in_week
FROM listed
ORDER BY kind, pmid
LIMIT $shown;
