-- One status-history row: nct_id, observed_at, last_update_posted, status, why_stopped, has_results, completion_date, run_id.
INSERT INTO trial_status_history VALUES ($1, CAST($2 AS TIMESTAMP), $3, $4, $5, $6, $7, $8);
