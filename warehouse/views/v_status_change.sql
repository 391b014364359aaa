-- Every evidence-status change, with the rule that fired, why, and the PMIDs that caused it.
-- provisional: the change rests on an article whose tags still need review (review_pmids); it
-- clears by itself once indexing confirms the tags (a retag without review reasons) or a curator does.
CREATE OR REPLACE VIEW v_status_change AS
WITH review AS (
    -- an equi-join on the changes' PMIDs, so only those articles are read
    SELECT s.run_id, s.condition_id, list(DISTINCT a.pmid ORDER BY a.pmid) AS review_list
    FROM status_changes s, unnest(s.pmids) AS u(pmid)
    JOIN v_article a ON a.pmid = u.pmid
    WHERE a.needs_review
    GROUP BY s.run_id, s.condition_id
)
SELECT
    s.condition_id,
    s.changed_at,
    s.old_status,
    s.new_status,
    s.reason,
    s.pmids,
    s.rule_id,
    s.old_rule_id,
    s.rules_version,
    s.reasons,
    s.run_id,
    r.review_list IS NOT NULL AND len(r.review_list) > 0 AS provisional,
    coalesce(r.review_list, [])                          AS review_pmids
FROM status_changes s
LEFT JOIN review r USING (run_id, condition_id);
