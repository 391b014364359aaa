-- Copy the curators' newest word on each given PMID ($pmids) into its article row, which v_article
-- reads (migration 0012): run in the transaction that appended the curations.
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
    WHERE pmid IN (SELECT unnest(CAST($pmids AS VARCHAR[])))
    GROUP BY pmid
) c
WHERE articles.pmid = c.pmid;
