-- Trials and syntheses that joined a condition's evidence in the week without changing its status.
SELECT n.condition_id, n.pmid, n.design, n.direction, n.status, coalesce(a.title, '') AS title
FROM notable_additions n
LEFT JOIN articles a USING (pmid)
WHERE CAST(n.added_at AS DATE) BETWEEN $start AND $end
ORDER BY n.added_at, n.condition_id, n.pmid;
