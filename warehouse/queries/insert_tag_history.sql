-- Append the taggings in `tagged` whose outcome differs from the article's previous one.
INSERT INTO article_tag_history
SELECT pmid, CAST(now AS TIMESTAMP), tagger_version, design, design_evidence, ivig_focus, direction,
       CAST(json(conditions) AS VARCHAR[]), content_hash, reason, run_id
FROM tagged
WHERE changed;
