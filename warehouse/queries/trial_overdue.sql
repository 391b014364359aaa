-- Trials completed more than 12 months before $1 (as of) that no PubMed article cites yet ($2: one
-- condition id, or NULL for all).
SELECT
    nct_id,
    array_to_string(condition_ids, ', ') AS conditions,
    coalesce(completion_date, primary_completion_date) AS completed,
    has_results AS results_posted,
    brief_title AS title
FROM v_trial
WHERE overall_status = 'COMPLETED'
  AND len(linked_pmids) = 0
  AND coalesce(completion_date, primary_completion_date) < CAST($1 AS DATE) - INTERVAL 12 MONTH
  AND ($2 IS NULL OR list_contains(condition_ids, $2))
ORDER BY completed, nct_id;
