-- CommentsCorrections of the incoming revisions replace the previous ones.
DELETE FROM article_links WHERE pmid IN (SELECT pmid FROM incoming);
INSERT INTO article_links
SELECT i.pmid, l.ref_type, l.ref_pmid, l.ref_source
FROM incoming i,
     LATERAL (
         SELECT
             json_extract_string(c, '$.ref_type') AS ref_type,
             json_extract_string(c, '$.pmid')     AS ref_pmid,
             json_extract_string(c, '$.source')   AS ref_source
         FROM (SELECT unnest(CAST(json_extract(i.record, '$.comments_corrections') AS JSON[])) AS c)
     ) l;
