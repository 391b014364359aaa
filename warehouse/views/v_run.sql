-- One row per pipeline run: what it covered, what it did, how it ended (running, completed, failed,
-- or abandoned: its process died, found and marked by a later command).
CREATE OR REPLACE VIEW v_run AS
SELECT
    run_id,
    flow,
    window_start,
    window_end,
    started_at,
    ended_at,
    status,
    n_searched,
    n_fetched,
    n_new,
    n_revised,
    n_unchanged,
    n_missing,
    missing_pmids,
    n_quarantined,
    n_deleted,
    requests,
    retries,
    error,
    pid,
    host,
    heartbeat_at,
    abandoned_at,
    date_diff('millisecond', started_at, ended_at) / 1000.0 AS seconds
FROM _ivig_runs;
