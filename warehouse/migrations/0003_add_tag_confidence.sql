-- Confidence of each tag (0..1, from the strength and agreement of its signals) and why a curator
-- should look at it (NULL when nothing needs review).
ALTER TABLE article_tags ADD COLUMN design_confidence DOUBLE;
ALTER TABLE article_tags ADD COLUMN ivig_confidence DOUBLE;
ALTER TABLE article_tags ADD COLUMN review_reasons VARCHAR;
ALTER TABLE article_conditions ADD COLUMN confidence DOUBLE;
