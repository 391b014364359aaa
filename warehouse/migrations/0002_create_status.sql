-- Evidence status history: one snapshot per condition (and group) per recorded run, a change record
-- whenever a status differs from the previous snapshot, and the notable additions (new RCTs,
-- meta-analyses, systematic reviews) that left a status as it was.

CREATE TABLE condition_status_snapshots (
    run_id              VARCHAR NOT NULL,
    as_of               TIMESTAMP NOT NULL,   -- the run's logical date, not the wall clock
    condition_id        VARCHAR NOT NULL,     -- a condition id or a group id
    label               VARCHAR NOT NULL,
    is_group            BOOLEAN NOT NULL,
    status              VARCHAR NOT NULL,
    rule_id             VARCHAR NOT NULL,     -- the rule that fired
    rules_version       VARCHAR NOT NULL,
    baseline_grade      VARCHAR,              -- NULL for groups
    n_articles          INTEGER NOT NULL,
    design_counts       JSON NOT NULL,        -- {"rct": 3, "cohort": 12, ...}
    direction_counts    JSON NOT NULL,        -- {"rct": {"favours_ivig": 2, "no_benefit": 1}, ...}
    contributing_pmids  VARCHAR[] NOT NULL,   -- the PMIDs the fired rule counted
    latest_rct_pmid     VARCHAR,
    latest_meta_pmid    VARCHAR,
    evidence            JSON NOT NULL,        -- {pmid: [design, direction, tagger_version, date]} the rules read
    recorded_at         TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (run_id, condition_id)
);

CREATE TABLE status_changes (
    run_id          VARCHAR NOT NULL,
    condition_id    VARCHAR NOT NULL,
    changed_at      TIMESTAMP NOT NULL,       -- the as_of of the run that saw the change
    old_status      VARCHAR,                  -- NULL for a condition's first snapshot
    new_status      VARCHAR NOT NULL,
    old_rule_id     VARCHAR,
    rule_id         VARCHAR NOT NULL,
    old_rules_version VARCHAR,
    rules_version   VARCHAR NOT NULL,
    reason          VARCHAR NOT NULL,         -- initial | rule_upgrade | retraction | new_trial | tagger_upgrade | retag | new_article
    reasons         VARCHAR[] NOT NULL,       -- every cause found, most telling first
    pmids           VARCHAR[] NOT NULL,       -- the articles that caused it
    detail          JSON NOT NULL,            -- {pmid: {"reason": ..., "before": [...], "after": [...]}}
    PRIMARY KEY (run_id, condition_id)
);

CREATE TABLE notable_additions (
    run_id          VARCHAR NOT NULL,
    condition_id    VARCHAR NOT NULL,
    added_at        TIMESTAMP NOT NULL,
    pmid            VARCHAR NOT NULL,
    design          VARCHAR NOT NULL,
    direction       VARCHAR,
    status          VARCHAR NOT NULL,         -- the (unchanged) status it joined
    reason          VARCHAR NOT NULL,         -- new_trial | retag | tagger_upgrade
    PRIMARY KEY (run_id, condition_id, pmid)
);
