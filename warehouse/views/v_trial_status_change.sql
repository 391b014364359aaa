-- Every observed change of a watched trial: first seen, a new overall status, a stop reason, results posted; with the registry's update date and the run that saw it.
CREATE OR REPLACE VIEW v_trial_status_change AS
WITH ordered AS (
    SELECT
        h.*,
        lag(overall_status) OVER w AS old_status,
        lag(has_results) OVER w AS had_results,
        lag(why_stopped) OVER w AS old_why_stopped
    FROM trial_status_history h
    WINDOW w AS (PARTITION BY nct_id ORDER BY observed_at)
)
SELECT
    o.nct_id,
    o.observed_at,
    o.last_update_posted,
    o.old_status,
    o.overall_status AS new_status,
    CASE
        WHEN o.old_status IS NULL THEN 'first_seen'
        WHEN o.overall_status <> o.old_status THEN 'status'
        WHEN o.has_results AND NOT o.had_results THEN 'results_posted'
        ELSE 'stop_reason'
    END AS change,
    o.has_results AND NOT coalesce(o.had_results, false) AS results_posted,
    o.why_stopped,
    t.brief_title,
    o.run_id
FROM ordered o
JOIN trials t USING (nct_id);
