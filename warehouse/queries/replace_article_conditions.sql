-- The conditions of the articles in the registered DataFrame `tagged` become the rows of `matched`.
DELETE FROM article_conditions WHERE pmid IN (SELECT pmid FROM tagged);
INSERT INTO article_conditions (pmid, condition_id, source, evidence, confidence)
SELECT pmid, condition_id, source, evidence, confidence FROM matched;
