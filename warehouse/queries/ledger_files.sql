-- Files loaded to the end, with the MD5 each was loaded from (baseline skips these).
SELECT file_name, md5 FROM _ivig_file_ledger
