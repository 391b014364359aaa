-- A file loaded to the end: file_name, md5, size_bytes, n_records, n_kept, loaded_at, run_id.
INSERT OR REPLACE INTO _ivig_file_ledger VALUES (?, ?, ?, ?, ?, ?, ?)
