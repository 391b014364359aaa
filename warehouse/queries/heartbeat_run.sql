-- A running run's last commit (written in each of its load transactions).
UPDATE _ivig_runs SET heartbeat_at = CAST($now AS TIMESTAMP) WHERE run_id = $run_id AND status = 'running';
