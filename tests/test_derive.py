"""Derived fields: the codebook's fatalities rule and date precision."""

from datetime import date

import pytest

from extractor.resolve.derive import date_precision, fatalities
from extractor.schemas import CasualtyClaim


def killed(count_min, victims=None, count_max=None, source=None, kind="killed"):
    return CasualtyClaim(kind=kind, count_text=str(count_min), count_min=count_min,
                         count_max=count_max, victims=victims, source=source)


def test_conflicting_claims_take_the_lowest_per_group_and_sum_groups():
    claims = [
        killed(12, "Wagner Group", source="Wagner Orchestra"),
        killed(50, "Wagner Group", source="JNIM"),
        killed(10, "Malian Armed Forces", source="JNIM"),
        killed(3, victims=None, kind="wounded"),
    ]
    assert fatalities(claims) == 22


def test_victims_unknown_overlaps_the_named_groups():
    assert fatalities([killed(4, "Wagner Group"), killed(24)]) == 24
    assert fatalities([killed(30, "Wagner Group"), killed(24)]) == 30
    assert fatalities([killed(24), killed(20)]) == 20


def test_groups_are_compared_through_the_given_mapping():
    claims = [killed(6, "Wagner"), killed(8, "Wagner Group")]
    assert fatalities(claims) == 14
    assert fatalities(claims, group_of=lambda v: "wagner-group") == 6


def test_no_killed_figure_means_zero_and_open_minimum_is_ignored():
    assert fatalities([]) == 0
    assert fatalities([killed(None, "civilians", count_max=40)]) == 0
    assert fatalities([killed(5, "civilians", kind="captured")]) == 0


@pytest.mark.parametrize("start,end,expected", [
    (None, None, "unknown"),
    (date(2024, 7, 27), None, "range"),
    (date(2024, 7, 27), date(2024, 7, 27), "day"),
    (date(2024, 7, 22), date(2024, 7, 28), "week"),
    (date(2024, 11, 20), date(2024, 11, 30), "month"),
    (date(2024, 7, 1), date(2024, 7, 31), "month"),
    (date(2024, 1, 1), date(2024, 12, 31), "year"),
    (date(2023, 1, 1), date(2024, 12, 31), "range"),
])
def test_date_precision(start, end, expected):
    assert date_precision(start, end) == expected
