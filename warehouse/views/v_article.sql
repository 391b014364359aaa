-- One row per article (latest revision) with its current tags. Stable public surface.
-- A curator's override (newest row per tag in `curations`) wins over the tagger; *_source says
-- which one a value comes from. Any curation of an article confirms it: needs_review clears.
-- Reads `articles` alone: each row keeps a copy of its tags, curations and retraction notices
-- (migration 0012), so no query over the view pays a join.
CREATE OR REPLACE VIEW v_article AS
SELECT
    pmid,
    title,
    journal,
    pub_year,
    pub_date,
    coalesce(curated_design, tagger_design, 'other')                    AS design,
    design_evidence,
    design_confidence,
    coalesce(curated_ivig_focus = 'yes', tagger_ivig_focus, false)      AS ivig_focus,
    ivig_evidence,
    ivig_confidence,
    review_reasons IS NOT NULL AND curated_by IS NULL                   AS needs_review,
    review_reasons,
    comparator,
    n_participants,
    age_group,
    coalesce(curated_direction, tagger_direction)                       AS direction,
    direction_evidence,
    is_retracted OR retracted_by_notice                                 AS is_retracted,
    is_retraction_notice,
    is_erratum_notice,
    citation_status,
    publication_types,
    doi,
    pmc,
    entrez_date,
    first_seen,
    last_revised,
    tagger_version,
    CASE WHEN curated_design IS NOT NULL THEN 'curator' ELSE 'tagger' END     AS design_source,
    CASE WHEN curated_ivig_focus IS NOT NULL THEN 'curator' ELSE 'tagger' END AS ivig_source,
    CASE WHEN curated_direction IS NOT NULL THEN 'curator' ELSE 'tagger' END  AS direction_source,
    tagger_design,
    curated_by,
    curated_at,
    curation_note
FROM articles
WHERE deleted_at IS NULL;
