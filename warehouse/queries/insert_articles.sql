-- Articles new to the warehouse, from the registered DataFrame `incoming` (scalar columns + record
-- JSON): a plain insert, since nothing is stored under their PMIDs. Revisions run this same insert
-- with upsert_articles.sql's ON CONFLICT clause appended (hence no closing semicolon). List columns are derived from the record; the copies of tags, curations and notices
-- (migration 0012) are left to the writes of those (refresh_article_tags, flag_retracted_articles).
INSERT INTO articles (
    pmid, pmid_version, content_hash, title, title_raw, abstract, journal, journal_iso, pub_year, pub_month, pub_day,
    pub_date_raw, pub_date, article_date, entrez_date, date_revised, doi, pmc, languages, publication_types,
    mesh_terms, citation_status, is_book, is_retracted, is_retraction_notice, is_erratum_notice, record,
    first_seen, last_revised, deleted_at, first_run_id, last_run_id
)
SELECT
    i.pmid,
    i.pmid_version,
    i.content_hash,
    i.title,
    i.title_raw,
    i.abstract,
    i.journal,
    i.journal_iso,
    i.pub_year,
    i.pub_month,
    i.pub_day,
    i.pub_date_raw,
    CAST(i.pub_date AS DATE),
    CAST(i.article_date AS DATE),
    CAST(i.entrez_date AS DATE),
    CAST(i.date_revised AS DATE),
    i.doi,
    i.pmc,
    CAST(json_extract_string(i.record, '$.languages[*]') AS VARCHAR[]),
    CAST(json_extract_string(i.record, '$.publication_types[*].name') AS VARCHAR[]),
    CAST(json_extract_string(i.record, '$.mesh[*].descriptor') AS VARCHAR[]),
    i.citation_status,
    i.is_book,
    i.is_retracted,
    i.is_retraction_notice,
    i.is_erratum_notice,
    CAST(i.record AS JSON),
    CAST(i.now AS TIMESTAMP),
    CAST(i.now AS TIMESTAMP),
    CAST(i.deleted_at AS TIMESTAMP),
    i.run_id,
    i.run_id
FROM incoming i
