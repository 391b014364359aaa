-- Which of $pmids the warehouse already holds (live or withdrawn).
SELECT pmid FROM articles WHERE pmid IN (SELECT unnest(CAST($pmids AS VARCHAR[])));
