"""MeSH tree explosion: ``term[mh]`` means the descriptor and everything under it in the tree, as
PubMed searches it by default. The tree is the subset in ``mesh_tree.toml`` (data, not code)."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from ivig_lit.query.text import normalize_text


@cache
def _children() -> dict[str, tuple[str, ...]]:
    data = tomllib.loads((resources.files("ivig_lit.query") / "mesh_tree.toml").read_text(encoding="utf-8"))
    return {normalize_text(k): tuple(normalize_text(c) for c in v) for k, v in data["children"].items()}


@cache
def descendants(name: str) -> frozenset[str]:
    """A descriptor (normalized name) and all descriptors below it in the shipped tree."""
    children = _children()
    out, todo = {name}, [name]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in out:
                out.add(child)
                todo.append(child)
    return frozenset(out)
