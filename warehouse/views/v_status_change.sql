-- Every evidence-status change, with the rule that fired, why, and the PMIDs that caused it.
CREATE OR REPLACE VIEW v_status_change AS
SELECT
    condition_id,
    changed_at,
    old_status,
    new_status,
    reason,
    pmids,
    rule_id,
    old_rule_id,
    rules_version,
    reasons,
    run_id
FROM status_changes;
