-- The snapshot before this run for each condition: the newest from another run at or before $as_of.
SELECT condition_id, status, rule_id, rules_version, contributing_pmids, CAST(evidence AS VARCHAR)
FROM condition_status_snapshots
WHERE run_id <> $run_id AND as_of <= $as_of
QUALIFY row_number() OVER (PARTITION BY condition_id ORDER BY as_of DESC, recorded_at DESC, run_id DESC) = 1;
