-- Evidence for the status rules: one row per (condition, article) for IVIG-focused research
-- articles that are neither retracted nor themselves notices, entered in PubMed by $as_of.
SELECT condition_id, pmid, design, direction, coalesce(pub_date, entrez_date) AS date, tagger_version, title
FROM v_evidence
WHERE entrez_date IS NULL OR entrez_date <= $as_of
ORDER BY condition_id, pmid;
