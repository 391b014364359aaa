-- A condition's status differs from its previous snapshot (or it has none yet).
INSERT INTO status_changes (
    run_id, condition_id, changed_at, old_status, new_status, old_rule_id, rule_id, old_rules_version,
    rules_version, reason, reasons, pmids, detail
) VALUES (
    $run_id, $condition_id, $changed_at, $old_status, $new_status, $old_rule_id, $rule_id, $old_rules_version,
    $rules_version, $reason, $reasons, $pmids, $detail
);
