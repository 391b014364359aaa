UPDATE _ivig_runs SET
    ended_at = CAST(? AS TIMESTAMP),
    status = ?,
    n_searched = ?,
    n_fetched = ?,
    n_new = ?,
    n_revised = ?,
    n_unchanged = ?,
    n_stale = ?,
    n_missing = ?,
    missing_pmids = CAST(? AS VARCHAR[]),
    n_quarantined = ?,
    n_deleted = ?,
    requests = ?,
    retries = ?,
    error = ?
WHERE run_id = ?;
