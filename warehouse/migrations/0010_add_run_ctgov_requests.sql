-- What a nightly run asked of ClinicalTrials.gov, beside its E-utilities requests and retries, so a
-- run's request cost covers both services (each has its own rate limit). NULL for runs before this.
ALTER TABLE _ivig_runs ADD COLUMN ctgov_requests INTEGER;
ALTER TABLE _ivig_runs ADD COLUMN ctgov_retries INTEGER;
