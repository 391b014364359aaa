-- The stored conditions of the articles in the registered DataFrame `tagged` that had tags (stored)
-- go, before insert_article_conditions.sql writes their new ones.
DELETE FROM article_conditions WHERE pmid IN (SELECT pmid FROM tagged WHERE stored);
