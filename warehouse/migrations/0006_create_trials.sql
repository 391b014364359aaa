-- ClinicalTrials.gov watch: each study's latest record, a status history row per change, the tracked
-- conditions it maps to (by the tagger's matching on its title and conditions), and the PubMed
-- articles that cite its NCT number.

CREATE TABLE trials (
    nct_id                   VARCHAR PRIMARY KEY,
    brief_title              VARCHAR NOT NULL,
    official_title           VARCHAR,
    overall_status           VARCHAR NOT NULL,     -- RECRUITING, COMPLETED, TERMINATED, ...
    why_stopped              VARCHAR,
    study_type               VARCHAR,              -- INTERVENTIONAL | OBSERVATIONAL | EXPANDED_ACCESS
    allocation               VARCHAR,              -- RANDOMIZED | NON_RANDOMIZED | NA
    phases                   VARCHAR[],
    enrollment               INTEGER,
    enrollment_type          VARCHAR,              -- ACTUAL | ESTIMATED
    conditions               VARCHAR[],
    interventions            VARCHAR[],
    start_date               DATE,                 -- earliest day a partial date ("2027-06") can mean
    primary_completion_date  DATE,
    completion_date          DATE,
    completion_type          VARCHAR,              -- ACTUAL | ESTIMATED
    first_posted             DATE,
    last_update_posted       DATE,
    results_first_posted     DATE,
    has_results              BOOLEAN NOT NULL,
    record                   JSON NOT NULL,        -- the study as the API served it
    content_hash             VARCHAR NOT NULL,
    first_seen               TIMESTAMP NOT NULL,
    last_changed             TIMESTAMP NOT NULL,
    first_run_id             VARCHAR,
    last_run_id              VARCHAR
);

-- One row when a study is first seen and one each time its status, stop reason or results change.
CREATE TABLE trial_status_history (
    nct_id              VARCHAR NOT NULL,
    observed_at         TIMESTAMP NOT NULL,   -- the run's logical time
    last_update_posted  DATE,                 -- the registry's own date of the update
    overall_status      VARCHAR NOT NULL,
    why_stopped         VARCHAR,
    has_results         BOOLEAN NOT NULL,
    completion_date     DATE,
    run_id              VARCHAR,
    PRIMARY KEY (nct_id, observed_at)
);

CREATE TABLE trial_conditions (
    nct_id        VARCHAR NOT NULL,
    condition_id  VARCHAR NOT NULL,
    source        VARCHAR NOT NULL,   -- text | group (the tagger's sources)
    evidence      VARCHAR NOT NULL,
    PRIMARY KEY (nct_id, condition_id, source)
);

-- Articles naming a trial's NCT number (abstract, title, keywords or a DataBankList), whether or not
-- the trial itself is in the warehouse yet.
CREATE TABLE trial_article_links (
    nct_id   VARCHAR NOT NULL,
    pmid     VARCHAR NOT NULL,
    source   VARCHAR NOT NULL,        -- databank | text
    PRIMARY KEY (nct_id, pmid)
);
