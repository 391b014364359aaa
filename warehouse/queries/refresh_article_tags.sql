-- Copy the current tags of the given PMIDs ($pmids) into their article rows, which v_article reads
-- (migration 0012): run in the transaction that stored the tags.
UPDATE articles SET
    tagger_version = t.tagger_version,
    tagger_design = t.design,
    design_evidence = t.design_evidence,
    design_confidence = t.design_confidence,
    tagger_ivig_focus = t.ivig_focus,
    ivig_evidence = t.ivig_evidence,
    ivig_confidence = t.ivig_confidence,
    review_reasons = t.review_reasons,
    comparator = t.comparator,
    n_participants = t.n_participants,
    age_group = t.age_group,
    tagger_direction = t.direction,
    direction_evidence = t.direction_evidence
FROM article_tags t
WHERE articles.pmid = t.pmid
  AND t.pmid IN (SELECT unnest(CAST($pmids AS VARCHAR[])));
