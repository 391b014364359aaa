"""Parse stage: PubMed XML -> frozen Article records."""

from ivig_lit.parse._dates import parse_full_date, parse_pub_date
from ivig_lit.parse.pubmed_xml import iter_articles, parse_article_xml

__all__ = ["iter_articles", "parse_article_xml", "parse_full_date", "parse_pub_date"]
