-- Content hash of each stored trial among $1 (NCT ids).
SELECT nct_id, content_hash FROM trials WHERE nct_id IN (SELECT unnest(CAST($1 AS VARCHAR[])));
