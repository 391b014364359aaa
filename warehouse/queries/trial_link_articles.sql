-- Every NCT number a live article cites: 'text' when its title, abstract or keywords name it,
-- 'databank' when only its DataBankList files it under ClinicalTrials.gov (the parser's trial_ids).
-- A cheap substring test skips the texts that name no NCT number at all.
INSERT INTO trial_article_links
WITH cited AS (
    SELECT pmid, upper(unnest(regexp_extract_all(text, '[Nn][Cc][Tt][0-9]{8}'))) AS nct_id, 'text' AS source
    FROM (
        SELECT pmid, coalesce(title, '') || ' ' || coalesce(abstract, '') || ' '
                     || coalesce(CAST((record->'$.keywords') AS VARCHAR), '') AS text
        FROM articles
        WHERE deleted_at IS NULL
    )
    WHERE text ILIKE '%nct%'
    UNION ALL
    SELECT pmid, unnest(CAST((record->'$.trial_ids') AS VARCHAR[])) AS nct_id, 'databank' AS source
    FROM articles
    WHERE deleted_at IS NULL AND (record->'$.trial_ids') IS NOT NULL
)
SELECT DISTINCT ON (nct_id, pmid) nct_id, pmid, source
FROM cited
ORDER BY nct_id, pmid, source DESC;
