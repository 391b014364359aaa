-- Articles to export, with what a reference manager and a reviewer need. Filters (NULL = any):
-- $condition (a condition or group id), $designs (list of design ids), $since (Entrez date on or
-- after), $ivig_only (IVIG-focused only).
SELECT
    v.pmid,
    v.title,
    CAST(a.record->'$.authors' AS VARCHAR)                      AS authors_json,
    v.journal,
    a.journal_iso,
    v.pub_year,
    a.pub_month,
    a.pub_day,
    v.doi,
    v.pmc,
    a.abstract,
    CAST(json_extract_string(a.record, '$.keywords[*]') AS VARCHAR[]) AS keywords,
    v.publication_types,
    v.design,
    v.ivig_focus,
    (SELECT list(DISTINCT c.condition_id ORDER BY c.condition_id)
     FROM v_article_condition c WHERE c.pmid = v.pmid)          AS conditions,
    v.n_participants,
    v.comparator,
    v.direction,
    v.is_retracted,
    v.entrez_date
FROM v_article v
JOIN articles a USING (pmid)
WHERE ($condition IS NULL OR v.pmid IN (SELECT pmid FROM v_article_condition WHERE condition_id = $condition))
  AND ($designs IS NULL OR list_contains(CAST($designs AS VARCHAR[]), v.design))
  AND ($since IS NULL OR v.entrez_date >= CAST($since AS DATE))
  AND (NOT $ivig_only OR v.ivig_focus)
  AND NOT v.is_retraction_notice
  AND NOT v.is_erratum_notice
ORDER BY v.entrez_date DESC NULLS LAST, v.pmid;
