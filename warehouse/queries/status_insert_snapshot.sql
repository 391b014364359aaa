-- One condition's (or group's) status for a run.
INSERT INTO condition_status_snapshots (
    run_id, as_of, condition_id, label, is_group, status, rule_id, rules_version, baseline_grade,
    n_articles, design_counts, direction_counts, contributing_pmids, latest_rct_pmid, latest_meta_pmid,
    evidence, per_year
) VALUES (
    $run_id, $as_of, $condition_id, $label, $is_group, $status, $rule_id, $rules_version, $baseline_grade,
    $n_articles, $design_counts, $direction_counts, $contributing_pmids, $latest_rct_pmid, $latest_meta_pmid,
    $evidence, $per_year
);
