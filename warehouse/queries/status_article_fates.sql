-- What became of each article a status reads or read: retracted, withdrawn, when first loaded, and
-- its latest tagging (reason new | revised | retag) with the tagger version of the one before.
WITH history AS (
    SELECT
        pmid,
        reason,
        tagger_version,
        lag(tagger_version) OVER (PARTITION BY pmid ORDER BY tagged_at) AS prior_tagger_version,
        row_number() OVER (PARTITION BY pmid ORDER BY tagged_at DESC) AS newest
    FROM article_tag_history
    WHERE pmid IN (SELECT unnest($pmids))
)
SELECT
    a.pmid,
    a.is_retracted,
    a.deleted_at IS NOT NULL AS deleted,
    a.first_run_id,
    h.reason,
    h.tagger_version,
    h.prior_tagger_version
FROM articles a
LEFT JOIN history h ON h.pmid = a.pmid AND h.newest = 1
WHERE a.pmid IN (SELECT unnest($pmids));
