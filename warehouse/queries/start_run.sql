-- A run starts as `running`, committed at once, with the process that owns it.
INSERT INTO _ivig_runs (run_id, flow, window_start, window_end, started_at, status, parameters, pid, host, heartbeat_at)
VALUES ($run_id, $flow, $window_start, $window_end, CAST($now AS TIMESTAMP), 'running', CAST($parameters AS JSON),
        $pid, $host, CAST($now AS TIMESTAMP));
