-- Articles that entered PubMed in the week ($start..$end, by Entrez date), one row per tracked
-- condition they concern: IVIG-focused research articles, notices excluded (they have a section).
-- Bounded by the week: the week's articles are picked first and their conditions read from the
-- tables for those PMIDs alone, with v_article_condition's rules (a curator's newest 'yes' adds a
-- condition, 'no' removes it), since DuckDB cannot push the week's PMIDs below the view's GROUP BY.
-- Rows are stored in load order, which follows PMIDs and so Entrez dates: the scans skip the rest.
WITH week AS (
    SELECT pmid, title, journal, entrez_date, pub_date, design, direction, doi, n_participants, comparator, pmc
    FROM v_article
    WHERE entrez_date BETWEEN $start AND $end
      AND ivig_focus
      AND NOT is_retraction_notice
      AND NOT is_erratum_notice
),
curated AS (
    SELECT pmid, condition_id, arg_max(value, curation_id) AS value
    FROM curations
    WHERE tag = 'condition' AND pmid IN (SELECT pmid FROM week)
    GROUP BY pmid, condition_id
),
conds AS (
    (SELECT pmid, condition_id FROM article_conditions WHERE pmid IN (SELECT pmid FROM week)
     UNION
     SELECT pmid, condition_id FROM curated WHERE value = 'yes')
    EXCEPT
    SELECT pmid, condition_id FROM curated WHERE value = 'no'
)
SELECT
    c.condition_id,
    a.pmid,
    a.title,
    a.journal,
    a.entrez_date,
    a.pub_date,
    a.design,
    a.direction,
    a.doi,
    a.n_participants,
    a.comparator,
    a.pmc
FROM week a
JOIN conds c USING (pmid)
ORDER BY c.condition_id, a.entrez_date DESC, a.pmid;
