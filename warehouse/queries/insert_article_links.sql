-- CommentsCorrections of the batch's current revisions, from the registered DataFrame `incoming_links`
-- (built from the parsed records, so no stored JSON is read back).
INSERT INTO article_links SELECT pmid, ref_type, ref_pmid, ref_source FROM incoming_links;
