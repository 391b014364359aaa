-- The conditions of the articles in the registered DataFrame `tagged`: the rows of `matched`.
INSERT INTO article_conditions (pmid, condition_id, source, evidence, confidence)
SELECT pmid, condition_id, source, evidence, confidence FROM matched;
