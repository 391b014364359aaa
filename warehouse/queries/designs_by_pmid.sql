-- The current design of every tagged article (retag compares before and after).
SELECT pmid, design FROM article_tags;
