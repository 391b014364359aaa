-- Files a `baseline` run has loaded to the end, with their checksum: a re-run skips them, and a
-- run that crashed resumes with the first file missing here. A row commits right after the file's last batch
-- (a crash in between reloads that file, which upserts to the same result).
CREATE TABLE _ivig_file_ledger (
    file_name     VARCHAR PRIMARY KEY,   -- e.g. pubmed25n0001.xml.gz (NCBI names are unique)
    md5           VARCHAR NOT NULL,
    size_bytes    BIGINT NOT NULL,
    n_records     INTEGER NOT NULL,      -- records read
    n_kept        INTEGER NOT NULL,      -- records the relevance gate kept
    loaded_at     TIMESTAMP NOT NULL,
    run_id        VARCHAR
);
