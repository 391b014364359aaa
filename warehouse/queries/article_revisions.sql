-- What decides whether an incoming record may replace the stored one: the stored revision (date,
-- version, content) and any withdrawal of the PMID. Parameter: the PMIDs (VARCHAR[]).
SELECT
    q.pmid,
    a.content_hash,
    a.date_revised,
    a.pmid_version,
    a.deleted_at,
    d.deleted_on
FROM (SELECT unnest(CAST(? AS VARCHAR[])) AS pmid) q
LEFT JOIN articles a USING (pmid)
LEFT JOIN article_deletions d USING (pmid);
