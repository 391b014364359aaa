-- Every evidence-status change, with the rule that fired, why, and the PMIDs that caused it.
-- provisional: the change rests on an article whose tags still need review (review_pmids); it
-- clears by itself once indexing confirms the tags (a retag without review reasons) or a curator does.
CREATE OR REPLACE VIEW v_status_change AS
WITH c AS (
    SELECT
        s.*,
        (SELECT list(a.pmid ORDER BY a.pmid) FROM v_article a
         WHERE a.needs_review AND list_contains(s.pmids, a.pmid)) AS review_list
    FROM status_changes s
)
SELECT
    condition_id,
    changed_at,
    old_status,
    new_status,
    reason,
    pmids,
    rule_id,
    old_rule_id,
    rules_version,
    reasons,
    run_id,
    review_list IS NOT NULL AND len(review_list) > 0 AS provisional,
    coalesce(review_list, [])                        AS review_pmids
FROM c;
