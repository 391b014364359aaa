-- The demo's closing table: status now, baseline, and the trial counts behind it.
SELECT condition_id, status, baseline_grade AS baseline, n_rct AS rct, n_rct_favours_ivig AS rct_pos,
       n_rct_no_benefit AS rct_neg, n_meta_analysis AS meta, n_articles AS articles,
       CASE WHEN differs_from_baseline THEN '*' ELSE '' END AS changed
FROM v_condition_status
ORDER BY is_group, condition_id;
