-- Re-recording a run replaces its rows: remove what an earlier attempt of $run_id wrote.
DELETE FROM condition_status_snapshots WHERE run_id = $run_id;
