-- Evidence for the status rules: one row per (condition, article) for IVIG-focused research
-- articles that are neither retracted nor themselves notices, entered in PubMed by $as_of. The
-- abstract of a meta-analysis comes along: the rules read how many RCTs it pooled.
SELECT e.condition_id, e.pmid, e.design, e.direction, coalesce(e.pub_date, e.entrez_date) AS date,
       e.tagger_version, e.title, CASE WHEN e.design = 'meta_analysis' THEN a.abstract END AS abstract
FROM v_evidence e
LEFT JOIN articles a USING (pmid)
WHERE e.entrez_date IS NULL OR e.entrez_date <= $as_of
ORDER BY e.condition_id, e.pmid;
