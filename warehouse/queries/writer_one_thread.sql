-- The baseline writer shares the cores with the Dask workers: DuckDB's own threads (the commit's
-- checkpoint uses every core by default) would compete with them and add ~10 MiB per thread to the
-- writer's peak. Applies to this connection only; each transaction opens its own.
SET threads = 1
