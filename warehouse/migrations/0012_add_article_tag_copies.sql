-- v_article reads one table. Each article row carries a copy of its current tags (article_tags),
-- of the curators' newest word on them (curations) and whether a retraction notice names it
-- (article_links), so a query over the view scans `articles` alone: DuckDB removes no unused LEFT
-- JOIN, and the view's joins cost every query a hash of a million tag rows, `count(*)` included.
-- The tables stay the record; the writes that change them refresh the copies of the PMIDs they
-- touch (queries/refresh_article_tags.sql, replace_article_links.sql), and this fills them in.
ALTER TABLE articles ADD COLUMN tagger_version VARCHAR;
ALTER TABLE articles ADD COLUMN tagger_design VARCHAR;
ALTER TABLE articles ADD COLUMN design_evidence VARCHAR;
ALTER TABLE articles ADD COLUMN design_confidence DOUBLE;
ALTER TABLE articles ADD COLUMN tagger_ivig_focus BOOLEAN;
ALTER TABLE articles ADD COLUMN ivig_evidence VARCHAR;
ALTER TABLE articles ADD COLUMN ivig_confidence DOUBLE;
ALTER TABLE articles ADD COLUMN review_reasons VARCHAR;
ALTER TABLE articles ADD COLUMN comparator VARCHAR;
ALTER TABLE articles ADD COLUMN n_participants INTEGER;
ALTER TABLE articles ADD COLUMN age_group VARCHAR;
ALTER TABLE articles ADD COLUMN tagger_direction VARCHAR;
ALTER TABLE articles ADD COLUMN direction_evidence VARCHAR;
ALTER TABLE articles ADD COLUMN curated_design VARCHAR;      -- the newest override per tag, or NULL
ALTER TABLE articles ADD COLUMN curated_ivig_focus VARCHAR;  -- 'yes' | 'no'
ALTER TABLE articles ADD COLUMN curated_direction VARCHAR;
ALTER TABLE articles ADD COLUMN curated_by VARCHAR;          -- set once any curation names the article
ALTER TABLE articles ADD COLUMN curated_at TIMESTAMP;
ALTER TABLE articles ADD COLUMN curation_note VARCHAR;
ALTER TABLE articles ADD COLUMN retracted_by_notice BOOLEAN DEFAULT false;

UPDATE articles SET
    tagger_version = t.tagger_version,
    tagger_design = t.design,
    design_evidence = t.design_evidence,
    design_confidence = t.design_confidence,
    tagger_ivig_focus = t.ivig_focus,
    ivig_evidence = t.ivig_evidence,
    ivig_confidence = t.ivig_confidence,
    review_reasons = t.review_reasons,
    comparator = t.comparator,
    n_participants = t.n_participants,
    age_group = t.age_group,
    tagger_direction = t.direction,
    direction_evidence = t.direction_evidence
FROM article_tags t
WHERE articles.pmid = t.pmid;

UPDATE articles SET
    curated_design = c.design,
    curated_ivig_focus = c.ivig_focus,
    curated_direction = c.direction,
    curated_by = c.curator,
    curated_at = c.curated_at,
    curation_note = c.note
FROM (
    SELECT
        pmid,
        arg_max(value, curation_id) FILTER (WHERE tag = 'design')     AS design,
        arg_max(value, curation_id) FILTER (WHERE tag = 'ivig_focus') AS ivig_focus,
        arg_max(value, curation_id) FILTER (WHERE tag = 'direction')  AS direction,
        arg_max(curator, curation_id)                                 AS curator,
        max(curated_at)                                               AS curated_at,
        arg_max(note, curation_id)                                    AS note
    FROM curations
    GROUP BY pmid
) c
WHERE articles.pmid = c.pmid;

UPDATE articles SET retracted_by_notice = true
WHERE pmid IN (SELECT ref_pmid FROM article_links WHERE ref_type = 'RetractionOf');
