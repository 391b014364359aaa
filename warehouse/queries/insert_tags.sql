-- First tags from the registered DataFrame `tagged`, of articles that had none (not stored): a plain
-- insert; upsert_tags.sql replaces stored ones.
INSERT INTO article_tags
SELECT pmid, tagger_version, design, design_evidence, ivig_focus, ivig_evidence, comparator,
       CAST(n_participants AS INTEGER), age_group, direction, direction_evidence, content_hash,
       CAST(now AS TIMESTAMP), run_id, design_confidence, ivig_confidence, review_reasons
FROM tagged
WHERE NOT stored;
