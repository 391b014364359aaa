"""Digest charts: whole-number axes, small inline SVG, the same bytes for the same data."""

from __future__ import annotations

import pytest
from lxml import etree

from ivig_lit.report.charts import _integer_ticks, render_per_year_chart

PER_YEAR = {y: {"rct": y % 3, "cohort": y % 5, "case_report": 2} for y in range(1985, 2027)}


@pytest.mark.parametrize(
    ("top", "ticks"),
    [(0, [0, 1]), (1, [0, 1]), (3, [0, 1, 2, 3]), (7, [0, 2, 4, 6, 8]), (23, [0, 5, 10, 15, 20, 25]),
     (140, [0, 50, 100, 150])],
)  # fmt: skip
def test_axis_ticks_are_whole_numbers_reaching_the_tallest_bar(top: int, ticks: list[int]) -> None:
    assert _integer_ticks(top) == ticks


def test_a_per_year_chart_is_small_well_formed_svg_labelled_with_the_condition() -> None:
    svg = render_per_year_chart("Guillain-Barré syndrome", PER_YEAR)
    root = etree.fromstring(svg.encode())
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and len(svg) < 15_000
    assert "Guillain-Barré syndrome" in svg


def test_the_y_axis_labels_of_a_chart_are_integers() -> None:
    root = etree.fromstring(render_per_year_chart("CIDP", {2020: {"rct": 1}, 2021: {"cohort": 2}}).encode())
    labels = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("text-anchor") == "end"]
    assert labels == ["0", "1", "2"]


def test_the_same_data_gives_the_same_bytes() -> None:
    assert render_per_year_chart("x", PER_YEAR) == render_per_year_chart("x", PER_YEAR)


def test_condition_names_are_escaped_in_svg() -> None:
    assert "<b>" not in render_per_year_chart("<b>CIDP</b> & co", PER_YEAR)
