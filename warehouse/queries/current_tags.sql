-- Current tag outcome of the given PMIDs, to tell a changed tagging from a repeat.
SELECT t.pmid, t.tagger_version, t.design, t.design_evidence, t.ivig_focus, t.direction,
       coalesce((SELECT list(DISTINCT c.condition_id ORDER BY c.condition_id)
                 FROM article_conditions c WHERE c.pmid = t.pmid), []) AS conditions
FROM article_tags t
WHERE t.pmid IN (SELECT unnest(CAST(? AS VARCHAR[])));
