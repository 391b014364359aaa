"""Builders for tagging tests: small Article records from our own example sentences."""

from __future__ import annotations

import pytest

from ivig_lit.parse.models import AbstractSection, Article, MeshHeading, PublicationType
from ivig_lit.registry import Registry, load_registry


def make_article(
    title: str = "",
    abstract: str | list[tuple[str, str]] = "",
    *,
    publication_types: tuple[str, ...] = ("Journal Article",),
    mesh: tuple[str, ...] = (),
) -> Article:
    """An article with an unstructured abstract (a string) or a structured one ((category, text) pairs)."""
    if isinstance(abstract, str):
        sections = (AbstractSection(None, None, abstract),) if abstract else ()
    else:
        sections = tuple(AbstractSection(cat, cat, text) for cat, text in abstract)
    return Article(
        pmid="1",
        title=title,
        abstract=sections,
        publication_types=tuple(PublicationType(p) for p in publication_types),
        mesh=tuple(MeshHeading(m) for m in mesh),
    )


@pytest.fixture(scope="session")
def registry() -> Registry:
    return load_registry()


@pytest.fixture(scope="session")
def make():
    """``make(title, abstract, publication_types=..., mesh=...)`` -> Article."""
    return make_article
