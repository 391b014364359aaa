-- The newest stored snapshot of each condition and group at or before $as_of (what the digest
-- shows; for the current week it is what v_condition_status shows), with its latest RCT and
-- meta-analysis titles. Not its evidence list: that names every article the rules counted (megabytes
-- at a million articles), and what reports show needs only the counts.
WITH latest AS (
    SELECT *
    FROM condition_status_snapshots
    WHERE as_of <= $as_of
    QUALIFY row_number() OVER (PARTITION BY condition_id ORDER BY as_of DESC, recorded_at DESC, run_id DESC) = 1
),
titles AS (  -- the few latest trials and meta-analyses, found in one scan of the articles, not two
    SELECT pmid, title FROM articles
    WHERE pmid IN (SELECT latest_rct_pmid FROM latest UNION ALL SELECT latest_meta_pmid FROM latest)
)
SELECT
    s.condition_id,
    s.label,
    s.status,
    s.rule_id,
    s.rules_version,
    s.as_of,
    CAST(s.design_counts AS VARCHAR),
    CAST(s.direction_counts AS VARCHAR),
    s.contributing_pmids,
    s.latest_rct_pmid,
    rct.title,
    s.latest_meta_pmid,
    ma.title
FROM latest s
LEFT JOIN titles rct ON rct.pmid = s.latest_rct_pmid
LEFT JOIN titles ma ON ma.pmid = s.latest_meta_pmid;
