-- Tags of every article as a warehouse user reads them (gold evaluation through load-xml).
SELECT pmid, design, design_evidence, ivig_focus, ivig_evidence FROM v_article;
