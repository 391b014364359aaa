-- One row per (article, condition), with every way the condition was matched.
CREATE OR REPLACE VIEW v_article_condition AS
SELECT
    c.pmid,
    c.condition_id,
    list(c.source ORDER BY c.source)                      AS matched_by,
    string_agg(c.evidence, '; ' ORDER BY c.source)        AS match_evidence,
    max(c.confidence)                                     AS confidence
FROM article_conditions c
JOIN articles a ON a.pmid = c.pmid AND a.deleted_at IS NULL
GROUP BY c.pmid, c.condition_id;
