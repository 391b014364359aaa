-- Status changes recorded for runs whose logical date falls in the week (first snapshots excluded:
-- they are where a history starts, not news). provisional: rests on tags awaiting review.
SELECT condition_id, changed_at, old_status, new_status, rule_id, reason, pmids, provisional, review_pmids
FROM v_status_change
WHERE CAST(changed_at AS DATE) BETWEEN $start AND $end
  AND reason <> 'initial'
ORDER BY changed_at, condition_id;
