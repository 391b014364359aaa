-- Status changes after the initial assessment (the demo's replay).
SELECT CAST(changed_at AS DATE) AS date, condition_id, old_status, new_status, reason,
       array_to_string(pmids, ', ') AS pmids
FROM v_status_change
WHERE old_status IS NOT NULL
ORDER BY changed_at, condition_id;
