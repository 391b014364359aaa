-- Each snapshot keeps its condition's IVIG-focused research articles per publication year and design
-- ({"2019": {"rct": 2, "cohort": 5}, ...}, entered by the snapshot's as_of), counted when the run
-- records its status, so the digest's per-year charts read a few rows instead of the warehouse.
-- NULL for snapshots recorded before this migration (the digest then counts from the views).
ALTER TABLE condition_status_snapshots ADD COLUMN per_year JSON;
