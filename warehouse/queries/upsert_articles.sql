-- Revisions of stored articles: appended to insert_articles.sql (the same rows from the registered
-- DataFrame `incoming`), so a PMID already stored is updated in place. first_seen and first_run_id
-- survive updates. Only rows that may become current arrive here (older revisions are filtered out
-- by `warehouse.upsert_articles`), and each says whether a withdrawal still stands over it (deleted_at).
ON CONFLICT (pmid) DO UPDATE SET
    pmid_version = excluded.pmid_version,
    content_hash = excluded.content_hash,
    title = excluded.title,
    title_raw = excluded.title_raw,
    abstract = excluded.abstract,
    journal = excluded.journal,
    journal_iso = excluded.journal_iso,
    pub_year = excluded.pub_year,
    pub_month = excluded.pub_month,
    pub_day = excluded.pub_day,
    pub_date_raw = excluded.pub_date_raw,
    pub_date = excluded.pub_date,
    article_date = excluded.article_date,
    entrez_date = excluded.entrez_date,
    date_revised = excluded.date_revised,
    doi = excluded.doi,
    pmc = excluded.pmc,
    languages = excluded.languages,
    publication_types = excluded.publication_types,
    mesh_terms = excluded.mesh_terms,
    citation_status = excluded.citation_status,
    is_book = excluded.is_book,
    is_retracted = excluded.is_retracted,
    is_retraction_notice = excluded.is_retraction_notice,
    is_erratum_notice = excluded.is_erratum_notice,
    record = excluded.record,
    last_revised = excluded.last_revised,
    deleted_at = excluded.deleted_at,
    last_run_id = excluded.last_run_id;
