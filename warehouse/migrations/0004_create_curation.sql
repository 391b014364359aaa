-- Curator overrides: an append-only log of corrections and confirmations. Views apply the newest
-- row per (pmid, tag, condition) over the tagger's output, so re-tagging never erases a curator's
-- word. tag: design | ivig_focus | direction | condition | confirm.
CREATE SEQUENCE curation_seq;
CREATE TABLE curations (
    curation_id   BIGINT PRIMARY KEY DEFAULT nextval('curation_seq'),
    pmid          VARCHAR NOT NULL,
    tag           VARCHAR NOT NULL,
    condition_id  VARCHAR,            -- for tag = 'condition' only
    value         VARCHAR,            -- design id; 'yes' | 'no' (ivig_focus, condition); direction id; NULL (confirm)
    curator       VARCHAR NOT NULL,
    note          VARCHAR,
    curated_at    TIMESTAMP NOT NULL,
    origin        VARCHAR NOT NULL,   -- 'cli' or 'FILE:LINE' of a bulk file
    run_id        VARCHAR
);
