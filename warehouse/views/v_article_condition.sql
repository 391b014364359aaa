-- One row per (article, condition), with every way the condition was matched. A curator's newest
-- word on a condition wins: 'yes' adds it (matched_by includes 'curator'), 'no' removes it.
CREATE OR REPLACE VIEW v_article_condition AS
WITH cur AS (
    SELECT pmid, condition_id, arg_max(value, curation_id) AS value, arg_max(curator, curation_id) AS curator
    FROM curations
    WHERE tag = 'condition'
    GROUP BY pmid, condition_id
),
matches AS (
    SELECT pmid, condition_id, source, evidence, confidence
    FROM article_conditions
    UNION ALL
    SELECT pmid, condition_id, 'curator', 'curator:' || curator, 1.0
    FROM cur
    WHERE value = 'yes'
)
SELECT
    c.pmid,
    c.condition_id,
    list(c.source ORDER BY c.source)                      AS matched_by,
    string_agg(c.evidence, '; ' ORDER BY c.source)        AS match_evidence,
    max(c.confidence)                                     AS confidence
FROM matches c
JOIN articles a ON a.pmid = c.pmid AND a.deleted_at IS NULL
WHERE NOT EXISTS (
    SELECT 1 FROM cur WHERE cur.pmid = c.pmid AND cur.condition_id = c.condition_id AND cur.value = 'no'
)
GROUP BY c.pmid, c.condition_id;
