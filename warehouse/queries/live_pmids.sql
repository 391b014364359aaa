-- Every article not withdrawn by a DeleteCitation, in PMID order (what retag walks).
SELECT pmid FROM articles WHERE deleted_at IS NULL ORDER BY pmid;
