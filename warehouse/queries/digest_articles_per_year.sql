-- IVIG-focused research articles per condition, publication year and design, entered by $end.
SELECT condition_id, pub_year, design, count(*) AS n
FROM v_evidence
WHERE pub_year IS NOT NULL
  AND (entrez_date IS NULL OR entrez_date <= $end)
GROUP BY ALL
ORDER BY ALL;
