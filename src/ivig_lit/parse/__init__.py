"""Parse stage: PubMed XML -> frozen Article records."""

from ivig_lit.parse.pubmed_xml import iter_articles, parse_article_xml

__all__ = ["iter_articles", "parse_article_xml"]
