"""Rendering a ``Spec`` as PubMed XML: one ``PubmedArticle`` or ``PubmedBookArticle`` element."""

from __future__ import annotations

import datetime as dt
import random
from xml.sax.saxutils import escape

from ivig_lit.emulator.generate.specs import MONTH_ABBR, Spec
from ivig_lit.emulator.generate.templates import (
    CASE_CONCLUSIONS,
    COMPARATORS,
    CONCLUSIONS,
    IVIG_NAMES,
    METHODS,
    OFF_TOPIC,
    OFF_TOPIC_SENTENCES,
    RESULTS,
    TITLES,
)
from ivig_lit.emulator.generate.vocabulary import (
    ERRATUM,
    FORE_NAMES,
    JOURNAL_ARTICLE,
    JOURNALS,
    LAST_NAMES,
    Q_DRUG_THERAPY,
    Q_THERAPEUTIC_USE,
    RETRACTED,
    RETRACTION_NOTICE,
    VERNACULAR,
    Vocabulary,
)


def render_record(spec: Spec, seed: int, vocab: Vocabulary) -> str:
    """One ``PubmedArticle`` (or ``PubmedBookArticle``) element as XML text, in ``vocab``'s terms."""
    rng = random.Random(f"{seed}:{spec.pmid}")  # text draws come first so every version reads the same
    title, vernacular, sections, keywords = _text(spec, rng, vocab)
    journal = rng.choice(JOURNALS)
    authors = _authors(rng)
    pub = spec.pub or spec.crdt
    indexed = spec.status == "MEDLINE" and spec.kind in ("paper", "near_miss", "off_topic", "book")
    mesh, suppl = _mesh(spec, rng, vocab) if indexed else ([], [])
    if spec.kind == "book":
        return _book_xml(spec, title, sections, authors, pub)
    pts = _publication_types(spec, indexed, vocab)
    revised = spec.revised or spec.crdt
    edat = spec.edat or spec.crdt
    volume, first_page = rng.randrange(1, 90), rng.randrange(1, 900)
    x = [f'<PubmedArticle><MedlineCitation Status="{spec.status}" Owner="NLM">']
    x.append(f'<PMID Version="1">{spec.pmid}</PMID>')
    if indexed:
        x.append(_date("DateCompleted", min(revised, spec.crdt + dt.timedelta(days=40))))
    x.append(_date("DateRevised", revised))
    x.append('<Article PubModel="Print-Electronic"><Journal>')
    x.append(f'<ISSN IssnType="Electronic">9{journal[2][-3:]}-{spec.crdt.year % 10000:04d}</ISSN>')
    x.append(f'<JournalIssue CitedMedium="Internet"><Volume>{volume}</Volume><Issue>{rng.randrange(1, 13)}</Issue>')
    x.append(_pub_date(pub) + "</JournalIssue>")
    x.append(f"<Title>{escape(journal[0])}</Title><ISOAbbreviation>{escape(journal[1])}</ISOAbbreviation></Journal>")
    x.append(f"<ArticleTitle>{title}</ArticleTitle>")
    x.append(f"<Pagination><StartPage>{first_page}</StartPage><EndPage>{first_page + rng.randrange(2, 12)}</EndPage>")
    x.append(f"<MedlinePgn>{first_page}-{first_page + 9}</MedlinePgn></Pagination>")
    x.append(f'<ELocationID EIdType="doi" ValidYN="Y">10.99999/ivl.{spec.pmid}</ELocationID>')
    if sections:
        x.append("<Abstract>" + "".join(_abstract_text(label, text) for label, text in sections) + "</Abstract>")
    x.append('<AuthorList CompleteYN="Y">' + "".join(authors) + "</AuthorList>")
    x.append(f"<Language>{spec.language}</Language><PublicationTypeList>")
    x.extend(f'<PublicationType UI="{ui}">{escape(name)}</PublicationType>' for name, ui in pts)
    x.append("</PublicationTypeList>")
    if vernacular:
        x.append(f"<VernacularTitle>{escape(vernacular)}</VernacularTitle>")
    x.append(_date("ArticleDate", pub if isinstance(pub, dt.date) else spec.crdt, 'DateType="Electronic"'))
    x.append(f"</Article><MedlineJournalInfo><Country>{rng.choice(('England', 'United States', 'Germany'))}</Country>")
    x.append(f"<MedlineTA>{escape(journal[1])}</MedlineTA><NlmUniqueID>{journal[2]}</NlmUniqueID></MedlineJournalInfo>")
    if indexed and spec.kind != "off_topic" and spec.flavor not in ("no_ivig",):
        name, ui = vocab.ivig_mesh
        x.append(f'<ChemicalList><Chemical><RegistryNumber>0</RegistryNumber><NameOfSubstance UI="{ui}">')
        x.append(f"{name}</NameOfSubstance></Chemical></ChemicalList>")
    if suppl:
        x.append("<SupplMeshList>")
        x.extend(f'<SupplMeshName Type="Disease" UI="{ui}">{escape(n)}</SupplMeshName>' for n, ui in suppl)
        x.append("</SupplMeshList>")
    if indexed:
        x.append("<CitationSubset>IM</CitationSubset>")
    x.append(_comments(spec, journal))
    if mesh:
        x.append("<MeshHeadingList>" + "".join(mesh) + "</MeshHeadingList>")
    if keywords:
        x.append('<KeywordList Owner="NOTNLM">')
        x.extend(f'<Keyword MajorTopicYN="N">{escape(k)}</Keyword>' for k in keywords)
        x.append("</KeywordList>")
    x.append("</MedlineCitation><PubmedData><History>")
    history = [
        ("received", spec.crdt - dt.timedelta(days=150)),
        ("accepted", spec.crdt - dt.timedelta(days=20)),
        ("medline", revised if indexed else spec.crdt),
        ("pubmed", spec.crdt),
        ("entrez", edat),
    ]
    x.extend(_date("PubMedPubDate", d, f'PubStatus="{s}"') for s, d in sorted(history, key=lambda h: h[1]))
    status = "aheadofprint" if spec.status == "Publisher" else "ppublish"
    x.append(f"</History><PublicationStatus>{status}</PublicationStatus><ArticleIdList>")
    x.append(f'<ArticleId IdType="pubmed">{spec.pmid}</ArticleId>')
    x.append(f'<ArticleId IdType="doi">10.99999/ivl.{spec.pmid}</ArticleId>')
    if spec.pmid % 3 == 0:
        x.append(f'<ArticleId IdType="pmc">PMC{spec.pmid - 80_000_000}</ArticleId>')
    x.append("</ArticleIdList></PubmedData></PubmedArticle>\n")
    return "".join(x)


def _text(
    spec: Spec, rng: random.Random, vocab: Vocabulary
) -> tuple[str, str | None, list[tuple[str | None, str]], list[str]]:
    """(title XML, vernacular title, abstract sections, keywords) of a record."""
    v = _variables(spec, rng, vocab)
    if spec.kind == "off_topic":
        title, _, _ = rng.choice(OFF_TOPIC)
        body = " ".join(s.format(**v) for s in rng.sample(OFF_TOPIC_SENTENCES, 3))
        return escape(title), None, [(None, body)], []
    if spec.kind == "near_miss":
        title, text = _near_miss_text(spec.flavor, v)
        return escape(title), None, [(None, text)], [v["cond"]] if spec.condition else []
    if spec.kind == "retraction_notice":
        title = f"Retraction Note: Intravenous immunoglobulin in {v['cond']}: a randomised controlled trial."
        text = (
            f"This article, a trial of {v['ivig']} in {v['cond']}, has been retracted at the request of the editors "
            "after irregularities were found in the trial data; the conclusions can no longer be relied upon."
        )
        return escape(title), None, [(None, text)], []
    if spec.kind == "erratum_notice":
        title = f"Erratum: Intravenous immunoglobulin in {v['cond']}."
        text = "In the original article the maintenance dose of IVIG in the Methods was misstated; it is 1 g/kg."
        return escape(title), None, [(None, text)], []
    design, direction = spec.design, spec.direction
    title = rng.choice(TITLES[design]).format(**v)
    background = (
        f"{v['ivig_cap']} is used in {v['cond']}{v['abbr']}, but evidence for its effect on {v['outcome']} "
        "remains limited."
    )
    methods = rng.choice(METHODS[design]).format(**v)
    if design == "rct" and spec.flavor == "crossover":
        methods = METHODS["rct"][1].format(**v)
    if design in ("case_report", "case_series"):
        results, conclusion = "", rng.choice(CASE_CONCLUSIONS[direction])
    elif design in ("review", "guideline", "other", "preclinical"):
        results = ""
        conclusion = rng.choice(CONCLUSIONS[direction]).format(**v)
    else:
        results = rng.choice(RESULTS[direction]).format(**v)
        conclusion = rng.choice(CONCLUSIONS[direction]).format(**v)
    if spec.flavor == "markup":
        title = escape(title[:-1]) + ": the role of <i>FCGR2B</i> variants."
        results += (
            " Circulating CD19<sup>+</sup> B cells and serum IgG<sub>1</sub> rose after treatment (<b>Table 2</b>)."
        )
    elif spec.flavor == "mathml":
        title = escape(title)
        results += (
            ' The dose followed <mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML"><mml:mi>D</mml:mi>'
            "<mml:mo>=</mml:mo><mml:mn>2</mml:mn><mml:mi>g/kg</mml:mi></mml:math> per course."
        )
    else:
        title = escape(title)
    vernacular = None
    if spec.language != "eng":
        native, english = VERNACULAR[spec.language]
        title, vernacular = f"[{escape(english.format(cond=v['cond']))}].", native.format(cond=v["cond"])
    if rng.random() < 0.6:
        sections = [("BACKGROUND", background), ("METHODS", methods)]
        sections += [("RESULTS", results)] if results else []
        sections.append(("CONCLUSIONS", conclusion))
    else:
        sections = [(None, " ".join(p for p in (background, methods, results, conclusion) if p))]
    markup_ok = spec.flavor in ("markup", "mathml")
    sections = [(label, text if markup_ok and label in ("RESULTS", None) else escape(text)) for label, text in sections]
    return title, vernacular, sections, [v["cond"], "intravenous immunoglobulin", design.replace("_", " ")]


def _variables(spec: Spec, rng: random.Random, vocab: Vocabulary) -> dict[str, str]:
    ct = vocab.conditions.get(spec.condition or "")
    cond = rng.choice(ct.names) if ct else "neuromuscular disease"
    ivig = rng.choice(IVIG_NAMES)
    pct2 = rng.randrange(10, 45)
    year = spec.crdt.year
    return {
        "cond": cond, "cond_cap": cond[0].upper() + cond[1:],
        "abbr": f" ({ct.abbreviation})" if ct and ct.abbreviation else "",
        "ivig": ivig, "ivig_cap": ivig[0].upper() + ivig[1:],
        "outcome": ct.outcome if ct else "disability", "population": ct.population if ct else "patients",
        "comparator": "placebo" if spec.flavor == "crossover" else rng.choice(COMPARATORS),
        "n": str(rng.randrange(3, 9) if spec.design in ("case_series",) else rng.randrange(20, 240)),
        "m": str(rng.randrange(20, 120)), "k": str(rng.randrange(3, 12)), "n2": str(rng.randrange(300, 2500)),
        "pct": str(pct2 + rng.randrange(15, 40)), "pct2": str(pct2),
        "p_sig": f"0.0{rng.randrange(1, 4)}", "p_ns": f"0.{rng.randrange(21, 89)}",
        "diff": f"{rng.randrange(1, 9)}.{rng.randrange(10)}", "lo": f"0.{rng.randrange(1, 9)}",
        "hi": f"{rng.randrange(2, 12)}.{rng.randrange(10)}",
        "weeks": str(rng.randrange(4, 25)), "age": str(rng.randrange(18, 84)), "sex": rng.choice(("man", "woman")),
        "y1": str(max(1980, year - rng.randrange(4, 15))), "y2": str(year - 1), "year": str(year),
        "month": _MONTH_NAMES[rng.randrange(12)], "acronym": f"IG-{(spec.condition or 'x')[:4].upper()}",
    }  # fmt: skip


def _near_miss_text(flavor: str, v: dict[str, str]) -> tuple[str, str]:
    """Records the tagger should not count as IVIG evidence for a condition."""
    if flavor == "plasma_exchange":
        return (
            f"Plasma exchange versus supportive care in {v['cond']}: a randomised trial.",
            f"Plasma exchange and {v['ivig']} are both established treatments for {v['cond']}. In this randomised "
            f"trial we assigned {v['n']} patients to plasma exchange or supportive care. Plasma exchange shortened "
            "the time to walking unaided (p=0.01). Plasma exchange is effective; IVIG was not studied.",
        )
    if flavor == "eculizumab":
        return (
            "Eculizumab in refractory generalized myasthenia gravis.",
            f"Patients with refractory generalized myasthenia gravis had failed at least two therapies, often "
            f"including {v['ivig']}. In this randomised, double-blind trial, {v['n']} patients received eculizumab "
            "or placebo; eculizumab improved the MG-ADL score.",
        )
    if flavor == "scig":
        return (
            "Subcutaneous immunoglobulin maintenance in chronic inflammatory demyelinating polyneuropathy.",
            f"Patients with CIDP stable on {v['ivig']} were switched to subcutaneous immunoglobulin (SCIG) at "
            f"0.2 or 0.4 g/kg weekly. Of {v['n']} patients, most remained stable on SCIG.",
        )
    if flavor == "group_b_strep":
        return (
            "Adjunctive intravenous immunoglobulin in neonatal group B streptococcal sepsis.",
            f"Group B streptococcus (GBS) remains a leading cause of neonatal sepsis. We randomised {v['n']} "
            f"neonates with suspected GBS infection to {v['ivig']} or placebo; mortality did not differ.",
        )
    if flavor == "milligram":
        return (
            "High-dose intravenous immunoglobulin and aspirin in Kawasaki disease.",
            f"Children with Kawasaki disease received {v['ivig']} 2 g/kg with aspirin 30-50 MG/kg/day and were "
            f"followed for coronary aneurysms. Of {v['n']} children, few developed aneurysms.",
        )
    return (
        f"Rituximab in {v['cond']}: a retrospective study.",
        f"We reviewed {v['n']} patients with {v['cond']} treated with rituximab after failing corticosteroids. "
        "Most improved within six months.",
    )


def _abstract_text(label: str | None, text: str) -> str:
    if label is None:
        return f"<AbstractText>{text}</AbstractText>"
    return f'<AbstractText Label="{label}" NlmCategory="{label}">{text}</AbstractText>'


def _authors(rng: random.Random) -> list[str]:
    out = []
    for n in range(rng.randrange(1, 7)):
        last, fore = rng.choice(LAST_NAMES), rng.choice(FORE_NAMES)
        aff = (
            f"<AffiliationInfo><Affiliation>Department of Neurology, University Hospital {rng.choice(LAST_NAMES)}."
            "</Affiliation></AffiliationInfo>"
            if n == 0
            else ""
        )
        out.append(
            f'<Author ValidYN="Y"><LastName>{last}</LastName><ForeName>{fore}</ForeName>'
            f"<Initials>{fore[0]}</Initials>{aff}</Author>"
        )
    return out


def _publication_types(spec: Spec, indexed: bool, vocab: Vocabulary) -> list[tuple[str, str]]:
    if spec.kind == "retraction_notice":
        return [RETRACTION_NOTICE]
    if spec.kind == "erratum_notice":
        return [ERRATUM]
    pts = [JOURNAL_ARTICLE]
    if indexed and spec.kind in ("paper", "book"):
        pts += vocab.publication_types[spec.design]
    if spec.retracted_by is not None:
        pts.append(RETRACTED)
    return sorted(set(pts))


def _mesh(spec: Spec, rng: random.Random, vocab: Vocabulary) -> tuple[list[str], list[tuple[str, str]]]:
    """MeSH headings (sorted, as NLM lists them) and supplementary concepts of an indexed record."""
    headings: list[tuple[str, str, bool, tuple[str, str] | None]] = []
    ct = vocab.conditions.get(spec.condition or "")
    if spec.kind == "off_topic":
        _, name, ui = OFF_TOPIC[spec.pmid % len(OFF_TOPIC)]
        headings += [(name, ui, True, None), ("Humans", "D006801", False, None)]
    else:
        if ct and spec.flavor not in ("group_b_strep", "milligram"):
            headings += [(n, ui, i == 0, Q_DRUG_THERAPY) for i, (n, ui) in enumerate(ct.mesh)]
        if spec.flavor not in ("no_ivig", "plasma_exchange", "eculizumab"):
            headings.append((*vocab.ivig_mesh, spec.flavor == "", Q_THERAPEUTIC_USE))
        if spec.flavor == "plasma_exchange":
            headings.append(("Plasmapheresis", "D010956", True, None))
        if spec.design == "preclinical" and spec.kind == "paper":
            headings.append(("Animals", "D000818", False, None))
        else:
            headings.append(("Humans", "D006801", False, None))
            headings += [h for h in (("Male", "D008297", False, None), ("Female", "D005260", False, None),
                                     ("Adult", "D000328", False, None), ("Middle Aged", "D008875", False, None))
                         if rng.random() < 0.7]  # fmt: skip
        if spec.kind == "paper":
            headings += [(n, ui, False, None) for n, ui in vocab.design_mesh[spec.design]]
            if spec.design in ("rct", "controlled_trial", "cohort", "single_arm_trial"):
                headings.append(("Treatment Outcome", "D016896", False, None))
    xml = []
    for name, ui, major, qualifier in sorted(set(headings)):
        q = ""
        if qualifier:
            flag = "Y" if major else "N"
            q = f'<QualifierName UI="{qualifier[1]}" MajorTopicYN="{flag}">{escape(qualifier[0])}</QualifierName>'
        xml.append(
            f'<MeshHeading><DescriptorName UI="{ui}" MajorTopicYN="{"Y" if major and not q else "N"}">'
            f"{escape(name)}</DescriptorName>{q}</MeshHeading>"
        )
    suppl = list(ct.supplementary) if ct and spec.kind == "paper" else []
    return xml, suppl


def _comments(spec: Spec, journal: tuple[str, str, str]) -> str:
    refs = []
    if spec.retracted_by is not None:
        refs.append(("RetractionIn", spec.retracted_by))
    if spec.refers_to is not None:
        refs.append(spec.refers_to)
    if not refs:
        return ""
    body = "".join(
        f'<CommentsCorrections RefType="{ref}"><RefSource>{escape(journal[1])}. {spec.crdt.year}</RefSource>'
        f'<PMID Version="1">{pmid}</PMID></CommentsCorrections>'
        for ref, pmid in refs
    )
    return f"<CommentsCorrectionsList>{body}</CommentsCorrectionsList>"


def _book_xml(
    spec: Spec, title: str, sections: list[tuple[str | None, str]], authors: list[str], pub: dt.date | str
) -> str:
    year = pub.year if isinstance(pub, dt.date) else spec.crdt.year
    abstract = "".join(_abstract_text(label, text) for label, text in sections)
    history = "".join(_date("PubMedPubDate", spec.crdt, f'PubStatus="{s}"') for s in ("pubmed", "medline", "entrez"))
    return (
        f'<PubmedBookArticle><BookDocument><PMID Version="1">{spec.pmid}</PMID>'
        f'<ArticleIdList><ArticleId IdType="bookaccession">NBK9{spec.pmid % 100000:05d}</ArticleId></ArticleIdList>'
        f"<Book><Publisher><PublisherName>Neurology Open Books</PublisherName><PublisherLocation>Springfield"
        f"</PublisherLocation></Publisher><BookTitle>Immunotherapy in Neuromuscular Disease</BookTitle>"
        f"<PubDate><Year>{year}</Year></PubDate><Medium>Internet</Medium></Book>"
        f'<LocationLabel Type="chapter">{spec.pmid % 40}</LocationLabel><ArticleTitle>{title}</ArticleTitle>'
        f'<Language>eng</Language><AuthorList Type="authors">{"".join(authors)}</AuthorList>'
        f'<PublicationType UI="D016454">Review</PublicationType><Abstract>{abstract}</Abstract></BookDocument>'
        f"<PubmedBookData><History>{history}</History><PublicationStatus>ppublish</PublicationStatus>"
        f'<ArticleIdList><ArticleId IdType="pubmed">{spec.pmid}</ArticleId></ArticleIdList></PubmedBookData>'
        "</PubmedBookArticle>\n"
    )


def _date(tag: str, d: dt.date, attrs: str = "") -> str:
    open_tag = f"<{tag} {attrs}>" if attrs else f"<{tag}>"
    return f"{open_tag}<Year>{d.year}</Year><Month>{d.month:02d}</Month><Day>{d.day:02d}</Day></{tag}>"


def _pub_date(pub: dt.date | str) -> str:
    if isinstance(pub, str):
        return f"<PubDate><MedlineDate>{pub}</MedlineDate></PubDate>"
    return f"<PubDate><Year>{pub.year}</Year><Month>{MONTH_ABBR[pub.month - 1]}</Month></PubDate>"


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")  # fmt: skip
