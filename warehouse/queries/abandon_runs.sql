-- Mark runs still `running` that no live process owns as abandoned, with the time they were found.
-- Called only by a process holding the writer lock, which every run holds for its whole life, so
-- any other `running` row belongs to a process that is gone.
UPDATE _ivig_runs SET
    status = 'abandoned',
    abandoned_at = CAST($now AS TIMESTAMP),
    ended_at = coalesce(heartbeat_at, started_at),
    error = 'abandoned: process ' || coalesce(CAST(pid AS VARCHAR), '?') || ' on ' || coalesce(host, '?')
        || ' stopped without recording an end (last commit ' || CAST(coalesce(heartbeat_at, started_at) AS VARCHAR)
        || '); found by ' || $found_by
WHERE status = 'running'
RETURNING run_id;
