"""A real DuckDB warehouse file per test, and a builder that writes rows into it."""

from tests.assess.warehouse_builder import db, registry, wh

__all__ = ["db", "registry", "wh"]
