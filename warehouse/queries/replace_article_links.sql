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
-- Keep articles.retracted_by_notice (v_article's is_retracted, migration 0012) equal to "a RetractionOf
-- link names it": unflag what no link names any more (a revised notice; flagged rows are few), then
-- flag the incoming articles and those their links name.
UPDATE articles SET retracted_by_notice = false
WHERE retracted_by_notice
  AND pmid NOT IN (SELECT ref_pmid FROM article_links WHERE ref_type = 'RetractionOf' AND ref_pmid IS NOT NULL);
UPDATE articles SET retracted_by_notice = true
WHERE NOT retracted_by_notice
  AND pmid IN (SELECT ref_pmid FROM article_links WHERE ref_type = 'RetractionOf')
  AND (pmid IN (SELECT pmid FROM incoming)
       OR pmid IN (SELECT ref_pmid FROM article_links WHERE ref_type = 'RetractionOf'
                                                        AND pmid IN (SELECT pmid FROM incoming)));
