-- The latest recorded evidence status of each condition and group, with counts by design, the
-- newest RCT and meta-analysis, and the registry baseline it started from. A group's status reads
-- the articles about the group as a whole; member_statuses lists its members' own.
CREATE OR REPLACE VIEW v_condition_status AS
WITH latest AS (
    SELECT *
    FROM condition_status_snapshots
    QUALIFY row_number() OVER (PARTITION BY condition_id ORDER BY as_of DESC, recorded_at DESC, run_id DESC) = 1
),
titles AS (  -- the few latest trials and meta-analyses, found in one scan of the articles, not two
    SELECT pmid, title, pub_date FROM articles
    WHERE pmid IN (SELECT latest_rct_pmid FROM latest UNION ALL SELECT latest_meta_pmid FROM latest)
)
SELECT
    s.condition_id,
    s.label,
    s.is_group,
    s.status,
    s.rule_id,
    s.rules_version,
    s.n_articles,
    coalesce(CAST(s.design_counts ->> 'meta_analysis' AS INTEGER), 0)      AS n_meta_analysis,
    coalesce(CAST(s.design_counts ->> 'systematic_review' AS INTEGER), 0)  AS n_systematic_review,
    coalesce(CAST(s.design_counts ->> 'rct' AS INTEGER), 0)                AS n_rct,
    coalesce(CAST(s.design_counts ->> 'controlled_trial' AS INTEGER), 0)   AS n_controlled_trial,
    coalesce(CAST(s.design_counts ->> 'single_arm_trial' AS INTEGER), 0)   AS n_single_arm_trial,
    coalesce(CAST(s.design_counts ->> 'cohort' AS INTEGER), 0)             AS n_cohort,
    coalesce(CAST(s.design_counts ->> 'case_control' AS INTEGER), 0)       AS n_case_control,
    coalesce(CAST(s.design_counts ->> 'case_series' AS INTEGER), 0)        AS n_case_series,
    coalesce(CAST(s.design_counts ->> 'case_report' AS INTEGER), 0)        AS n_case_report,
    coalesce(CAST(s.design_counts ->> 'review' AS INTEGER), 0)             AS n_review,
    coalesce(CAST(s.design_counts ->> 'guideline' AS INTEGER), 0)          AS n_guideline,
    coalesce(CAST(s.direction_counts -> 'rct' ->> 'favours_ivig' AS INTEGER), 0) AS n_rct_favours_ivig,
    coalesce(CAST(s.direction_counts -> 'rct' ->> 'no_benefit' AS INTEGER), 0)   AS n_rct_no_benefit,
    s.latest_rct_pmid,
    rct.title                                                             AS latest_rct_title,
    rct.pub_date                                                          AS latest_rct_date,
    s.latest_meta_pmid                                                    AS latest_meta_analysis_pmid,
    ma.title                                                              AS latest_meta_analysis_title,
    ma.pub_date                                                           AS latest_meta_analysis_date,
    s.baseline_grade,
    c.baseline_text,
    s.baseline_grade IS NOT NULL AND s.baseline_grade <> s.status         AS differs_from_baseline,
    s.as_of,
    s.run_id,
    (SELECT list(m.condition_id || ': ' || m.status ORDER BY m.condition_id)
     FROM latest m JOIN conditions mc ON mc.condition_id = m.condition_id
     WHERE mc.group_id = s.condition_id)                                  AS member_statuses
FROM latest s
LEFT JOIN conditions c ON c.condition_id = s.condition_id
LEFT JOIN titles rct ON rct.pmid = s.latest_rct_pmid
LEFT JOIN titles ma ON ma.pmid = s.latest_meta_pmid;
