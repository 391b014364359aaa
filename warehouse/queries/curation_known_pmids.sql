-- Which of the given PMIDs a curator may curate: stored and not withdrawn.
SELECT pmid FROM articles WHERE deleted_at IS NULL AND pmid IN (SELECT unnest(CAST(? AS VARCHAR[])));
