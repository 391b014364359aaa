-- Registry -> conditions table (from the registered DataFrame `registry_rows`).
INSERT INTO conditions
SELECT condition_id, label, group_id, query, baseline_text, baseline_grade, baseline_source, CAST(now AS TIMESTAMP)
FROM registry_rows
ON CONFLICT (condition_id) DO UPDATE SET
    label = excluded.label,
    group_id = excluded.group_id,
    query = excluded.query,
    baseline_text = excluded.baseline_text,
    baseline_grade = excluded.baseline_grade,
    baseline_source = excluded.baseline_source,
    updated_at = excluded.updated_at
WHERE conditions.label IS DISTINCT FROM excluded.label
   OR conditions.group_id IS DISTINCT FROM excluded.group_id
   OR conditions.query IS DISTINCT FROM excluded.query
   OR conditions.baseline_text IS DISTINCT FROM excluded.baseline_text
   OR conditions.baseline_grade IS DISTINCT FROM excluded.baseline_grade
   OR conditions.baseline_source IS DISTINCT FROM excluded.baseline_source;
