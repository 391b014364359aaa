-- Articles that a revised notice no longer names ($pmids: what its replaced links named) lose
-- articles.retracted_by_notice unless another RetractionOf link still names them.
UPDATE articles SET retracted_by_notice = false
WHERE retracted_by_notice
  AND pmid IN (SELECT unnest(CAST($pmids AS VARCHAR[])))
  AND pmid NOT IN (SELECT ref_pmid FROM article_links WHERE ref_type = 'RetractionOf' AND ref_pmid IS NOT NULL);
