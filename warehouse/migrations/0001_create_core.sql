-- Core tables: articles and their revisions, conditions, how articles were found and tagged,
-- runs, watermarks and quarantine. Bookkeeping tables start with _ivig_.

CREATE TABLE articles (
    pmid                 VARCHAR PRIMARY KEY,
    pmid_version         INTEGER NOT NULL,
    content_hash         VARCHAR NOT NULL,     -- hash of the latest revision's content
    title                VARCHAR NOT NULL,     -- markup-free
    title_raw            VARCHAR NOT NULL,     -- inner XML as published (may hold <i>, <sup>...)
    abstract             VARCHAR,              -- sections joined, labels kept ("METHODS: ...")
    journal              VARCHAR,
    journal_iso          VARCHAR,
    pub_year             INTEGER,
    pub_month            INTEGER,
    pub_day              INTEGER,
    pub_date_raw         VARCHAR,
    pub_date             DATE,                 -- earliest date the partial date can mean
    article_date         DATE,                 -- electronic publication
    entrez_date          DATE,
    date_revised         DATE,
    doi                  VARCHAR,
    pmc                  VARCHAR,
    languages            VARCHAR[],
    publication_types    VARCHAR[],
    mesh_terms           VARCHAR[],
    citation_status      VARCHAR,
    is_book              BOOLEAN NOT NULL,
    is_retracted         BOOLEAN NOT NULL,
    is_retraction_notice BOOLEAN NOT NULL,
    is_erratum_notice    BOOLEAN NOT NULL,
    record               JSON NOT NULL,        -- the whole parsed record
    first_seen           TIMESTAMP NOT NULL,
    last_revised         TIMESTAMP NOT NULL,   -- when ivig-lit last saw its content change
    deleted_at           TIMESTAMP,            -- withdrawn by a DeleteCitation
    first_run_id         VARCHAR,
    last_run_id          VARCHAR
);

-- One row per distinct content of a record: revisions stay visible.
CREATE TABLE article_versions (
    pmid          VARCHAR NOT NULL,
    content_hash  VARCHAR NOT NULL,
    pmid_version  INTEGER NOT NULL,
    date_revised  DATE,
    seen_at       TIMESTAMP NOT NULL,
    run_id        VARCHAR,
    record        JSON NOT NULL,
    PRIMARY KEY (pmid, content_hash)
);

-- CommentsCorrections of each article's latest revision: retractions, errata, updates, comments.
CREATE TABLE article_links (
    pmid      VARCHAR NOT NULL,
    ref_type  VARCHAR NOT NULL,   -- RetractionIn, RetractionOf, ErratumIn, ErratumFor, UpdateIn, ...
    ref_pmid  VARCHAR,
    ref_source VARCHAR
);

CREATE TABLE conditions (
    condition_id    VARCHAR PRIMARY KEY,
    label           VARCHAR NOT NULL,
    group_id        VARCHAR,
    query           VARCHAR NOT NULL,        -- full PubMed query (condition AND IVIG block)
    baseline_text   VARCHAR NOT NULL,
    baseline_grade  VARCHAR NOT NULL,
    baseline_source VARCHAR,
    updated_at      TIMESTAMP NOT NULL
);

-- Which condition query returned which article, and when first.
CREATE TABLE article_query_hits (
    pmid          VARCHAR NOT NULL,
    condition_id  VARCHAR NOT NULL,
    query_hash    VARCHAR NOT NULL,
    first_seen    TIMESTAMP NOT NULL,
    run_id        VARCHAR,
    PRIMARY KEY (pmid, condition_id, query_hash)
);

-- The tagger's conditions for an article, one row per way it was matched.
CREATE TABLE article_conditions (
    pmid          VARCHAR NOT NULL,
    condition_id  VARCHAR NOT NULL,
    source        VARCHAR NOT NULL,   -- query | mesh | supplementary | text | group
    evidence      VARCHAR NOT NULL,   -- e.g. 'mh:Guillain-Barre Syndrome', 'text:title:guillain-barre'
    PRIMARY KEY (pmid, condition_id, source)
);

-- Current tags of each article (one row per article).
CREATE TABLE article_tags (
    pmid                VARCHAR PRIMARY KEY,
    tagger_version      VARCHAR NOT NULL,
    design              VARCHAR NOT NULL,
    design_evidence     VARCHAR NOT NULL,
    ivig_focus          BOOLEAN NOT NULL,
    ivig_evidence       VARCHAR NOT NULL,
    comparator          VARCHAR,
    n_participants      INTEGER,
    age_group           VARCHAR,
    direction           VARCHAR,          -- favours_ivig | no_benefit | inconclusive | unknown (trials, meta-analyses)
    direction_evidence  VARCHAR,
    content_hash        VARCHAR NOT NULL, -- the revision these tags were computed from
    tagged_at           TIMESTAMP NOT NULL,
    run_id              VARCHAR
);

-- Every distinct tagging of an article, appended when the outcome changes.
CREATE TABLE article_tag_history (
    pmid                VARCHAR NOT NULL,
    tagged_at           TIMESTAMP NOT NULL,
    tagger_version      VARCHAR NOT NULL,
    design              VARCHAR NOT NULL,
    design_evidence     VARCHAR NOT NULL,
    ivig_focus          BOOLEAN NOT NULL,
    direction           VARCHAR,
    conditions          VARCHAR[] NOT NULL,
    content_hash        VARCHAR NOT NULL,
    reason              VARCHAR NOT NULL, -- new | revised | retag
    run_id              VARCHAR
);

CREATE TABLE _ivig_runs (
    run_id          VARCHAR PRIMARY KEY,
    flow            VARCHAR NOT NULL,     -- nightly | load-xml | retag | weekly-digest
    window_start    DATE,
    window_end      DATE,
    started_at      TIMESTAMP NOT NULL,
    ended_at        TIMESTAMP,
    status          VARCHAR NOT NULL,     -- running | completed | failed
    n_searched      INTEGER DEFAULT 0,    -- distinct PMIDs the searches returned
    n_fetched       INTEGER DEFAULT 0,
    n_new           INTEGER DEFAULT 0,
    n_revised       INTEGER DEFAULT 0,
    n_unchanged     INTEGER DEFAULT 0,
    n_missing       INTEGER DEFAULT 0,
    missing_pmids   VARCHAR[],
    n_quarantined   INTEGER DEFAULT 0,
    n_deleted       INTEGER DEFAULT 0,
    requests        INTEGER DEFAULT 0,
    retries         INTEGER DEFAULT 0,
    error           VARCHAR,
    parameters      JSON                  -- never holds secrets
);

-- Per condition and search kind (crdt: new records, mdat: revised records): how far data is committed.
CREATE TABLE _ivig_watermarks (
    condition_id  VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,
    watermark     DATE NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    run_id        VARCHAR,
    PRIMARY KEY (condition_id, kind)
);

CREATE TABLE _ivig_quarantine (
    pmid        VARCHAR,
    stage       VARCHAR NOT NULL,   -- parse | tag | load
    reason      VARCHAR NOT NULL,
    source      VARCHAR,
    line        INTEGER,
    run_id      VARCHAR,
    quarantined_at TIMESTAMP NOT NULL
);
