-- One row per article (latest revision) with its current tags. Stable public surface.
CREATE OR REPLACE VIEW v_article AS
SELECT
    a.pmid,
    a.title,
    a.journal,
    a.pub_year,
    a.pub_date,
    coalesce(t.design, 'other')        AS design,
    t.design_evidence,
    t.design_confidence,
    coalesce(t.ivig_focus, false)      AS ivig_focus,
    t.ivig_evidence,
    t.ivig_confidence,
    t.review_reasons IS NOT NULL       AS needs_review,
    t.review_reasons,
    t.comparator,
    t.n_participants,
    t.age_group,
    t.direction,
    t.direction_evidence,
    a.is_retracted OR EXISTS (
        SELECT 1 FROM article_links l WHERE l.ref_pmid = a.pmid AND l.ref_type = 'RetractionOf'
    )                                  AS is_retracted,
    a.is_retraction_notice,
    a.is_erratum_notice,
    a.citation_status,
    a.publication_types,
    a.doi,
    a.pmc,
    a.entrez_date,
    a.first_seen,
    a.last_revised,
    t.tagger_version
FROM articles a
LEFT JOIN article_tags t USING (pmid)
WHERE a.deleted_at IS NULL;
