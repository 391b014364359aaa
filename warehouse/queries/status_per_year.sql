-- IVIG-focused research articles per condition, publication year and design, entered by $as_of:
-- counted once per recorded run and kept with its snapshots (the digest's per-year charts).
SELECT condition_id, pub_year, design, count(*) AS n
FROM v_evidence
WHERE pub_year IS NOT NULL
  AND (entrez_date IS NULL OR entrez_date <= $as_of)
GROUP BY ALL
ORDER BY ALL;
