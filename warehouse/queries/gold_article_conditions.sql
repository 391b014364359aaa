-- Conditions of every article with the evidence that matched them (gold evaluation).
SELECT pmid, condition_id, match_evidence FROM v_article_condition;
