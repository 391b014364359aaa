-- Take withdrawn articles out of the views (parameters: now, PMIDs, as_of): only those whose stored
-- revision is not newer than the deletion.
UPDATE articles SET deleted_at = CAST($1 AS TIMESTAMP)
WHERE pmid IN (SELECT unnest(CAST($2 AS VARCHAR[])))
  AND deleted_at IS NULL
  AND (date_revised IS NULL OR date_revised <= CAST($3 AS DATE));
