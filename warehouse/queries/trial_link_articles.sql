-- Every NCT number in a live article's stored record: 'text' when the title, abstract or keywords
-- name it, 'databank' when only another part of the record does (PubMed's DataBankList). A cheap
-- substring test skips the records that name no NCT number at all.
INSERT INTO trial_article_links
SELECT DISTINCT ON (nct_id, pmid)
    nct_id,
    pmid,
    CASE WHEN strpos(upper(coalesce(title, '') || ' ' || coalesce(abstract, '') || ' '
                           || coalesce(CAST(record->'$.keywords' AS VARCHAR), '')), nct_id) > 0
         THEN 'text' ELSE 'databank' END AS source
FROM (
    SELECT pmid, title, abstract, record,
           upper(unnest(regexp_extract_all(CAST(record AS VARCHAR), '[Nn][Cc][Tt][0-9]{8}'))) AS nct_id
    FROM articles
    WHERE deleted_at IS NULL AND CAST(record AS VARCHAR) ILIKE '%nct%'
)
ORDER BY nct_id, pmid, source DESC;
