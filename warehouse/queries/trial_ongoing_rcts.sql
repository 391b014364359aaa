-- Ongoing randomised IVIG trials per tracked condition ($1: one condition id, or NULL for all).
SELECT
    c.condition_id AS condition,
    t.nct_id,
    t.overall_status AS status,
    array_to_string(t.phases, '/') AS phase,
    t.enrollment,
    t.primary_completion_date AS primary_completion,
    t.brief_title AS title
FROM v_trial t, unnest(t.condition_ids) AS c(condition_id)
WHERE t.is_rct AND t.is_ongoing AND ($1 IS NULL OR c.condition_id = $1)
ORDER BY condition, primary_completion NULLS LAST, t.nct_id;
