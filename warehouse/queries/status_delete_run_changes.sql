-- Re-recording a run replaces its rows: remove what an earlier attempt of $run_id wrote.
DELETE FROM status_changes WHERE run_id = $run_id;
