-- Current tags from the registered DataFrame `tagged`, for articles that already have tags (stored);
-- the rest take insert_tags.sql.
INSERT INTO article_tags
SELECT pmid, tagger_version, design, design_evidence, ivig_focus, ivig_evidence, comparator,
       CAST(n_participants AS INTEGER), age_group, direction, direction_evidence, content_hash,
       CAST(now AS TIMESTAMP), run_id, design_confidence, ivig_confidence, review_reasons
FROM tagged
WHERE stored
ON CONFLICT (pmid) DO UPDATE SET
    tagger_version = excluded.tagger_version,
    design = excluded.design,
    design_evidence = excluded.design_evidence,
    ivig_focus = excluded.ivig_focus,
    ivig_evidence = excluded.ivig_evidence,
    comparator = excluded.comparator,
    n_participants = excluded.n_participants,
    age_group = excluded.age_group,
    direction = excluded.direction,
    direction_evidence = excluded.direction_evidence,
    content_hash = excluded.content_hash,
    tagged_at = excluded.tagged_at,
    run_id = excluded.run_id,
    design_confidence = excluded.design_confidence,
    ivig_confidence = excluded.ivig_confidence,
    review_reasons = excluded.review_reasons;
