-- The latest status-history state of each trial among $1 (NCT ids).
SELECT nct_id, overall_status, why_stopped, has_results, completion_date
FROM trial_status_history
WHERE nct_id IN (SELECT unnest(CAST($1 AS VARCHAR[])))
QUALIFY row_number() OVER (PARTITION BY nct_id ORDER BY observed_at DESC) = 1;
