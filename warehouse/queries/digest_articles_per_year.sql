-- IVIG-focused research articles per condition, publication year and design, entered by $end.
SELECT ac.condition_id, a.pub_year, a.design, count(*) AS n
FROM v_article_condition ac
JOIN v_article a USING (pmid)
WHERE a.ivig_focus
  AND NOT a.is_retracted
  AND NOT a.is_retraction_notice
  AND NOT a.is_erratum_notice
  AND a.pub_year IS NOT NULL
  AND (a.entrez_date IS NULL OR a.entrez_date <= $end)
GROUP BY ALL
ORDER BY ALL;
