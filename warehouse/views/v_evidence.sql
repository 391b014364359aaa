-- One row per (condition, article) that counts as evidence for the status rules: IVIG-focused,
-- not retracted, and not itself a retraction or erratum notice. Curator overrides apply (*_source).
CREATE OR REPLACE VIEW v_evidence AS
SELECT
    ac.condition_id,
    a.pmid,
    a.design,
    a.direction,
    a.pub_year,
    a.pub_date,
    a.entrez_date,
    a.tagger_version,
    a.title,
    a.design_source,
    a.direction_source,
    a.needs_review
FROM v_article_condition ac
JOIN v_article a USING (pmid)
WHERE a.ivig_focus
  AND NOT a.is_retracted
  AND NOT a.is_retraction_notice
  AND NOT a.is_erratum_notice;
