-- Evidence for the status rules: one row per (condition, article) for IVIG-focused research
-- articles that are neither retracted nor themselves notices, entered in PubMed by $as_of.
SELECT
    ac.condition_id,
    a.pmid,
    a.design,
    a.direction,
    coalesce(a.pub_date, a.entrez_date) AS date,
    a.tagger_version,
    a.title
FROM v_article_condition ac
JOIN v_article a USING (pmid)
WHERE a.ivig_focus
  AND NOT a.is_retracted
  AND NOT a.is_retraction_notice
  AND NOT a.is_erratum_notice
  AND (a.entrez_date IS NULL OR a.entrez_date <= $as_of)
ORDER BY ac.condition_id, a.pmid;
