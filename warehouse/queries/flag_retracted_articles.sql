-- Keep articles.retracted_by_notice (v_article's is_retracted, migration 0012) equal to "a RetractionOf
-- link names it", for the articles a batch can change: those its notices name ($named) and its own
-- articles ($pmids), which a notice stored before them may name.
UPDATE articles SET retracted_by_notice = true
WHERE NOT retracted_by_notice
  AND (pmid IN (SELECT unnest(CAST($named AS VARCHAR[])))
       OR (pmid IN (SELECT unnest(CAST($pmids AS VARCHAR[])))
           AND pmid IN (SELECT ref_pmid FROM article_links WHERE ref_type = 'RetractionOf')));
