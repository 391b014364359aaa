-- Append one curator override (the views apply the newest per pmid, tag and condition).
INSERT INTO curations (pmid, tag, condition_id, value, curator, note, curated_at, origin, run_id)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);
