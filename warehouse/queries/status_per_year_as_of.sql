-- The per-year counts kept with the newest snapshot of each condition at or before $as_of (the
-- snapshots the digest shows); per_year is NULL for snapshots recorded before it was kept.
SELECT s.condition_id, CAST(s.per_year AS VARCHAR)
FROM condition_status_snapshots s
WHERE s.as_of <= $as_of AND NOT s.is_group
QUALIFY row_number() OVER (PARTITION BY s.condition_id ORDER BY s.as_of DESC, s.recorded_at DESC, s.run_id DESC) = 1;
