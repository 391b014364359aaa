-- The CommentsCorrections of the stored revisions that the articles in the registered DataFrame
-- `incoming` replace go; what they named is returned, so the notices' targets can be re-checked.
DELETE FROM article_links
WHERE pmid IN (SELECT pmid FROM incoming)
RETURNING ref_type, ref_pmid;
