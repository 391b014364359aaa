-- `ivig-lit status --history CONDITION`: its timeline of status changes, oldest first.
SELECT CAST(changed_at AS DATE) AS date, coalesce(old_status, '(none)') AS old_status, new_status, reason,
       rule_id AS rule, array_to_string(pmids, ', ') AS pmids
FROM v_status_change
WHERE condition_id = ?
ORDER BY changed_at, run_id;
