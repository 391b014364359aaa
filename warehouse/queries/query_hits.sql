-- Every condition whose query has ever returned each of $pmids.
SELECT pmid, condition_id FROM article_query_hits WHERE pmid IN (SELECT unnest(CAST($pmids AS VARCHAR[])));
