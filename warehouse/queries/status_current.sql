-- `ivig-lit status`: every condition and group, its status next to its baseline; `changed` is `*`
-- where the status differs from the baseline (the same marker as the demo's closing table); `ongoing_rcts`
-- counts the randomised trials ClinicalTrials.gov lists as not yet recruiting, recruiting or active.
SELECT condition_id, status, baseline_grade AS baseline,
       CASE WHEN differs_from_baseline THEN '*' ELSE '' END AS changed,
       n_articles AS articles, n_meta_analysis AS meta,
       n_rct AS rct, n_rct_favours_ivig AS rct_pos, n_rct_no_benefit AS rct_neg, n_cohort AS cohort,
       n_case_series + n_case_report AS cases,
       (SELECT count(*) FROM v_trial t
        WHERE t.is_rct AND t.is_ongoing AND list_contains(t.condition_ids, s.condition_id)) AS ongoing_rcts,
       latest_rct_pmid AS latest_rct, CAST(as_of AS DATE) AS as_of
FROM v_condition_status s
ORDER BY is_group, condition_id;
