-- `ivig-lit review` and the digest's "To check": tags that need a curator, most consequential first
-- (possible RCTs and meta-analyses of a tracked condition, then other trials and syntheses, then
-- observational studies, then case reports, then the rest), lowest confidence first within a class.
-- $condition: a condition or group id, or NULL for all; $start/$end: Entrez-date window, or NULL.
-- Conditions are read from the tables for the picked articles only (DuckDB cannot push PMIDs below
-- v_article_condition's GROUP BY), so a digest's week-long window costs a week, not the warehouse.
WITH tracked AS (
    SELECT condition_id FROM conditions
    UNION
    SELECT group_id FROM conditions WHERE group_id IS NOT NULL
),
picked AS (
    SELECT *
    FROM v_article a
    WHERE a.needs_review
      AND NOT a.is_retracted
      AND (CAST($start AS DATE) IS NULL OR a.entrez_date BETWEEN CAST($start AS DATE) AND CAST($end AS DATE))
),
curated AS (
    SELECT pmid, condition_id, arg_max(value, curation_id) AS value
    FROM curations
    WHERE tag = 'condition' AND pmid IN (SELECT pmid FROM picked)
    GROUP BY pmid, condition_id
),
matched AS (  -- v_article_condition's rules, for the picked articles only
    (SELECT pmid, condition_id FROM article_conditions WHERE pmid IN (SELECT pmid FROM picked)
     UNION
     SELECT pmid, condition_id FROM curated WHERE value = 'yes')
    EXCEPT
    SELECT pmid, condition_id FROM curated WHERE value = 'no'
),
conds AS (
    SELECT
        m.pmid,
        list(m.condition_id ORDER BY m.condition_id)                       AS conditions,
        bool_or(t.condition_id IS NOT NULL)                                AS is_tracked,
        bool_or(m.condition_id = CAST($condition AS VARCHAR) OR c.group_id = CAST($condition AS VARCHAR))
                                                                           AS is_selected
    FROM matched m
    LEFT JOIN tracked t USING (condition_id)
    LEFT JOIN conditions c USING (condition_id)
    GROUP BY m.pmid
),
queue AS (
    SELECT
        a.pmid,
        a.design,
        a.ivig_focus,
        coalesce(k.conditions, [])                                         AS conditions,
        round(least(coalesce(a.design_confidence, 1), coalesce(a.ivig_confidence, 1)), 2) AS confidence,
        a.review_reasons                                                   AS reasons,
        'ivig-lit curate ' || a.pmid || CASE
            WHEN coalesce(a.ivig_confidence, 1) < coalesce(a.design_confidence, 1)
                THEN ' --ivig ' || CASE WHEN a.ivig_focus THEN 'yes' ELSE 'no' END
            ELSE ' --design ' || a.design
        END                                                                AS fix,
        a.title,
        a.entrez_date,
        CASE
            WHEN NOT coalesce(k.is_tracked, false) THEN 4
            WHEN a.design IN ('rct', 'meta_analysis') THEN 0
            WHEN a.design IN ('systematic_review', 'controlled_trial') THEN 1
            WHEN a.design IN ('single_arm_trial', 'cohort', 'case_control') THEN 2
            WHEN a.design IN ('case_series', 'case_report') THEN 3
            ELSE 4
        END                                                                AS rank
    FROM picked a
    LEFT JOIN conds k USING (pmid)
    WHERE CAST($condition AS VARCHAR) IS NULL OR coalesce(k.is_selected, false)
)
SELECT pmid, design, ivig_focus, conditions, confidence, reasons, fix, title
FROM queue
ORDER BY rank, confidence, entrez_date DESC NULLS LAST, pmid
LIMIT $limit;
