-- The newest stored snapshot of each condition and group at or before $as_of (what the digest
-- shows; for the current week it is what v_condition_status shows), with its latest RCT and
-- meta-analysis titles. Not its evidence list: that names every article the rules counted (megabytes
-- at a million articles), and what reports show needs only the counts.
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
FROM condition_status_snapshots s
LEFT JOIN articles rct ON rct.pmid = s.latest_rct_pmid
LEFT JOIN articles ma ON ma.pmid = s.latest_meta_pmid
WHERE s.as_of <= $as_of
QUALIFY row_number() OVER (PARTITION BY s.condition_id ORDER BY s.as_of DESC, s.recorded_at DESC, s.run_id DESC) = 1;
