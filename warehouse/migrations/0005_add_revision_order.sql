-- Revisions only move forward. A withdrawal (DeleteCitation) carries the date of the file that made
-- it and stands until a revision newer than that date arrives, whichever order files are loaded in;
-- a PMID withdrawn before any record of it arrived is remembered here too.
CREATE TABLE article_deletions (
    pmid         VARCHAR PRIMARY KEY,
    deleted_on   DATE NOT NULL,        -- the date of the file or notice (the newest deletion is kept)
    recorded_at  TIMESTAMP NOT NULL,
    run_id       VARCHAR
);

-- Records older than the stored revision: kept in article_versions, counted here, never current.
ALTER TABLE _ivig_runs ADD COLUMN n_stale INTEGER DEFAULT 0;

-- Withdrawals made before this migration date from when ivig-lit saw them.
INSERT INTO article_deletions
SELECT pmid, CAST(deleted_at AS DATE), deleted_at, last_run_id FROM articles WHERE deleted_at IS NOT NULL;
