-- Trials to watch in the week ($start..$end, by the registry's own dates, so a replay gives the same
-- digest): newly registered, completed, stopped (with the reason), results posted, first cited by a
-- PubMed article; then every overdue publication as of $end. One row per (kind, trial).
WITH changes AS (
    SELECT * FROM v_trial_status_change WHERE last_update_posted BETWEEN $start AND $end
), week AS (
    SELECT 'registered' AS kind, nct_id, first_posted AS day, NULL AS detail FROM v_trial
    WHERE first_posted BETWEEN $start AND $end
    UNION ALL
    SELECT DISTINCT 'completed', nct_id, last_update_posted, NULL FROM changes
    WHERE change = 'status' AND new_status = 'COMPLETED'
    UNION ALL
    SELECT DISTINCT 'stopped', nct_id, last_update_posted, new_status || coalesce(': ' || why_stopped, '') FROM changes
    WHERE change = 'status' AND new_status IN ('TERMINATED', 'WITHDRAWN', 'SUSPENDED')
    UNION ALL
    SELECT DISTINCT 'results_posted', nct_id, last_update_posted, NULL FROM changes WHERE results_posted
    UNION ALL
    SELECT 'published', l.nct_id, a.entrez_date, 'PMID ' || a.pmid FROM trial_article_links l
    JOIN v_article a USING (pmid)
    WHERE a.entrez_date BETWEEN $start AND $end
    UNION ALL
    SELECT 'overdue', nct_id, coalesce(completion_date, primary_completion_date), NULL FROM v_trial
    WHERE overall_status = 'COMPLETED' AND len(linked_pmids) = 0
      AND coalesce(completion_date, primary_completion_date) < CAST($end AS DATE) - INTERVAL 12 MONTH
)
SELECT
    w.kind,
    w.nct_id,
    t.brief_title,
    t.overall_status,
    t.is_rct,
    t.phases,
    t.enrollment,
    t.condition_ids,
    w.day,
    w.detail
FROM week w
JOIN v_trial t USING (nct_id)
WHERE len(t.condition_ids) > 0
ORDER BY CASE w.kind WHEN 'registered' THEN 1 WHEN 'completed' THEN 2 WHEN 'stopped' THEN 3
         WHEN 'results_posted' THEN 4 WHEN 'published' THEN 5 ELSE 6 END, w.day, w.nct_id;
