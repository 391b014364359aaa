-- Insert or update one trial; first_seen and first_run_id survive updates.
INSERT INTO trials VALUES (
    $nct_id, $brief_title, $official_title, $overall_status, $why_stopped, $study_type, $allocation,
    $phases, $enrollment, $enrollment_type, $conditions, $interventions,
    $start_date, $primary_completion_date, $completion_date, $completion_type, $first_posted,
    $last_update_posted, $results_first_posted, $has_results, $record, $content_hash,
    CAST($now AS TIMESTAMP), CAST($now AS TIMESTAMP), $run_id, $run_id
)
ON CONFLICT (nct_id) DO UPDATE SET
    brief_title = excluded.brief_title,
    official_title = excluded.official_title,
    overall_status = excluded.overall_status,
    why_stopped = excluded.why_stopped,
    study_type = excluded.study_type,
    allocation = excluded.allocation,
    phases = excluded.phases,
    enrollment = excluded.enrollment,
    enrollment_type = excluded.enrollment_type,
    conditions = excluded.conditions,
    interventions = excluded.interventions,
    start_date = excluded.start_date,
    primary_completion_date = excluded.primary_completion_date,
    completion_date = excluded.completion_date,
    completion_type = excluded.completion_type,
    first_posted = excluded.first_posted,
    last_update_posted = excluded.last_update_posted,
    results_first_posted = excluded.results_first_posted,
    has_results = excluded.has_results,
    record = excluded.record,
    content_hash = excluded.content_hash,
    last_changed = excluded.last_changed,
    last_run_id = excluded.last_run_id;
