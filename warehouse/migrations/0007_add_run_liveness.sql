-- Who runs a run, so a run whose process died (kill -9, power loss) can be told from one still
-- working: the process id and host that started it, when it last committed, and when a later
-- process found it dead and marked it abandoned.
ALTER TABLE _ivig_runs ADD COLUMN pid INTEGER;
ALTER TABLE _ivig_runs ADD COLUMN host VARCHAR;
ALTER TABLE _ivig_runs ADD COLUMN heartbeat_at TIMESTAMP;
ALTER TABLE _ivig_runs ADD COLUMN abandoned_at TIMESTAMP;
