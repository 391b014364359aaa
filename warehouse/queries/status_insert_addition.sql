-- A trial or synthesis joined a condition's evidence without changing its status.
INSERT INTO notable_additions (run_id, condition_id, added_at, pmid, design, direction, status, reason)
VALUES ($run_id, $condition_id, $added_at, $pmid, $design, $direction, $status, $reason);
