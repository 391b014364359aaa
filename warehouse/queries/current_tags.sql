-- Current tag outcome of the given PMIDs, to tell a changed tagging from a repeat and a stored
-- article's tags from a new one's. Bounded by the batch: conditions are read for its PMIDs alone
-- (a correlated subquery here was decorrelated into a GROUP BY over every article's conditions).
-- Parameter: the PMIDs (VARCHAR[]).
WITH batch AS (
    SELECT unnest(CAST(? AS VARCHAR[])) AS pmid
),
conds AS (
    SELECT pmid, list(DISTINCT condition_id ORDER BY condition_id) AS conditions
    FROM article_conditions
    WHERE pmid IN (SELECT pmid FROM batch)
    GROUP BY pmid
)
SELECT t.pmid, t.tagger_version, t.design, t.design_evidence, t.ivig_focus, t.direction,
       coalesce(c.conditions, []) AS conditions
FROM article_tags t
LEFT JOIN conds c USING (pmid)
WHERE t.pmid IN (SELECT pmid FROM batch);
