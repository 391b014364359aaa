-- Articles that entered PubMed in the week ($start..$end, by Entrez date), one row per tracked
-- condition they concern: IVIG-focused research articles, notices excluded (they have a section).
SELECT
    ac.condition_id,
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
FROM v_article_condition ac
JOIN v_article a USING (pmid)
WHERE a.entrez_date BETWEEN $start AND $end
  AND a.ivig_focus
  AND NOT a.is_retraction_notice
  AND NOT a.is_erratum_notice
ORDER BY ac.condition_id, a.entrez_date DESC, a.pmid;
