-- One row per article (latest revision) with its current tags. Stable public surface.
-- A curator's override (newest row per tag in `curations`) wins over the tagger; *_source says
-- which one a value comes from. Any curation of an article confirms it: needs_review clears.
CREATE OR REPLACE VIEW v_article AS
WITH cur AS (
    SELECT
        pmid,
        arg_max(value, curation_id) FILTER (WHERE tag = 'design')      AS design,
        arg_max(value, curation_id) FILTER (WHERE tag = 'ivig_focus')  AS ivig_focus,
        arg_max(value, curation_id) FILTER (WHERE tag = 'direction')   AS direction,
        arg_max(curator, curation_id)                                  AS curated_by,
        max(curated_at)                                                AS curated_at,
        arg_max(note, curation_id)                                     AS curation_note
    FROM curations
    GROUP BY pmid
),
retracted_by_notice AS (
    -- a join, not a correlated EXISTS: DuckDB plans EXISTS as a delim join that materialises every
    -- column of every article, so even count(*) over the view took seconds at 1M articles
    SELECT DISTINCT ref_pmid AS pmid FROM article_links WHERE ref_type = 'RetractionOf'
)
SELECT
    a.pmid,
    a.title,
    a.journal,
    a.pub_year,
    a.pub_date,
    coalesce(cur.design, t.design, 'other')                            AS design,
    t.design_evidence,
    t.design_confidence,
    coalesce(cur.ivig_focus = 'yes', t.ivig_focus, false)              AS ivig_focus,
    t.ivig_evidence,
    t.ivig_confidence,
    t.review_reasons IS NOT NULL AND cur.pmid IS NULL                  AS needs_review,
    t.review_reasons,
    t.comparator,
    t.n_participants,
    t.age_group,
    coalesce(cur.direction, t.direction)                               AS direction,
    t.direction_evidence,
    a.is_retracted OR rn.pmid IS NOT NULL                              AS is_retracted,
    a.is_retraction_notice,
    a.is_erratum_notice,
    a.citation_status,
    a.publication_types,
    a.doi,
    a.pmc,
    a.entrez_date,
    a.first_seen,
    a.last_revised,
    t.tagger_version,
    CASE WHEN cur.design IS NOT NULL THEN 'curator' ELSE 'tagger' END     AS design_source,
    CASE WHEN cur.ivig_focus IS NOT NULL THEN 'curator' ELSE 'tagger' END AS ivig_source,
    CASE WHEN cur.direction IS NOT NULL THEN 'curator' ELSE 'tagger' END  AS direction_source,
    t.design                                                           AS tagger_design,
    cur.curated_by,
    cur.curated_at,
    cur.curation_note
FROM articles a
LEFT JOIN article_tags t USING (pmid)
LEFT JOIN cur USING (pmid)
LEFT JOIN retracted_by_notice rn USING (pmid)
WHERE a.deleted_at IS NULL;
