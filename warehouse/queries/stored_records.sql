-- The stored JSON record of each of $pmids (retag rebuilds articles from it).
SELECT CAST(record AS VARCHAR) FROM articles WHERE pmid IN (SELECT unnest(CAST($pmids AS VARCHAR[])));
