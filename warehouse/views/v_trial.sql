-- One row per watched ClinicalTrials.gov study: status, design, dates, the tracked conditions it maps to, the PubMed articles citing its NCT number, and whether its publication is overdue (completed over 12 months before today, nothing linked).
CREATE OR REPLACE VIEW v_trial AS
WITH conds AS (
    SELECT nct_id, list(DISTINCT condition_id ORDER BY condition_id) AS condition_ids
    FROM trial_conditions GROUP BY nct_id
), links AS (
    SELECT nct_id, list(pmid ORDER BY pmid) AS linked_pmids FROM trial_article_links GROUP BY nct_id
)
SELECT
    t.nct_id,
    t.brief_title,
    t.overall_status,
    t.why_stopped,
    t.study_type,
    t.allocation,
    t.phases,
    t.enrollment,
    t.enrollment_type,
    coalesce(c.condition_ids, []) AS condition_ids,
    t.conditions,
    t.interventions,
    t.study_type = 'INTERVENTIONAL' AND t.allocation = 'RANDOMIZED' AS is_rct,
    t.overall_status IN ('NOT_YET_RECRUITING', 'RECRUITING', 'ENROLLING_BY_INVITATION', 'ACTIVE_NOT_RECRUITING',
                         'SUSPENDED') AS is_ongoing,
    t.start_date,
    t.primary_completion_date,
    t.completion_date,
    t.completion_type,
    t.first_posted,
    t.last_update_posted,
    t.has_results,
    t.results_first_posted,
    coalesce(l.linked_pmids, []) AS linked_pmids,
    t.overall_status = 'COMPLETED' AND l.linked_pmids IS NULL
        AND coalesce(t.completion_date, t.primary_completion_date) < current_date - INTERVAL 12 MONTH AS is_overdue,
    'https://clinicaltrials.gov/study/' || t.nct_id AS url,
    t.first_seen,
    t.last_changed
FROM trials t
LEFT JOIN conds c USING (nct_id)
LEFT JOIN links l USING (nct_id);
