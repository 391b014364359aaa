-- Each record's JSON is stored once: the current revision's in `articles.record`, a superseded or
-- stale revision's in `article_versions.record`. Every distinct content keeps its history row, and
-- the current one's record is NULL there (join `articles` on pmid and content_hash to read it).
-- The table is rebuilt rather than updated, so the doubled JSON leaves the file's live blocks.
CREATE TABLE article_versions_lean (
    pmid          VARCHAR NOT NULL,
    content_hash  VARCHAR NOT NULL,
    pmid_version  INTEGER NOT NULL,
    date_revised  DATE,
    seen_at       TIMESTAMP NOT NULL,
    run_id        VARCHAR,
    record        JSON,                -- NULL for the current revision (its JSON is articles.record)
    PRIMARY KEY (pmid, content_hash)
);

INSERT INTO article_versions_lean
SELECT v.pmid, v.content_hash, v.pmid_version, v.date_revised, v.seen_at, v.run_id,
       CASE WHEN a.pmid IS NULL THEN v.record END
FROM article_versions v
LEFT JOIN articles a ON a.pmid = v.pmid AND a.content_hash = v.content_hash
ORDER BY v.pmid, v.content_hash;

DROP TABLE article_versions;
ALTER TABLE article_versions_lean RENAME TO article_versions;
