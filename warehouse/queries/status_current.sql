-- `ivig-lit status`: every condition and group, its status next to its baseline; `changed` is `*`
-- where the status differs from the baseline (the same marker as the demo's closing table).
SELECT condition_id, status, baseline_grade AS baseline,
       CASE WHEN differs_from_baseline THEN '*' ELSE '' END AS changed,
       n_articles AS articles, n_meta_analysis AS meta,
       n_rct AS rct, n_rct_favours_ivig AS rct_pos, n_rct_no_benefit AS rct_neg, n_cohort AS cohort,
       n_case_series + n_case_report AS cases, latest_rct_pmid AS latest_rct, CAST(as_of AS DATE) AS as_of
FROM v_condition_status
ORDER BY is_group, condition_id;
