import datetime as dt

import pytest
from hypothesis import given, strategies as st

from scorecard_xl.compute.months import (financial_year_label, financial_year_start, month_index, month_key, month_label,
                                         parse_financial_year, parse_month)

FEB_21 = month_index(2021, 2)


@pytest.mark.parametrize("text", ["Feb-21", "Feb 2021", "2021-02", "feb-21", "FEB 21", "February 2021",
                                  "2021-02-01", "02/2021", "Feb-2021", "Feb. 21", " Feb-21 "])
def test_month_text_forms(text):
    assert parse_month(text) == FEB_21


def test_sept_is_accepted():
    assert parse_month("Sept-20") == month_index(2020, 9)
    assert parse_month("Sep-20") == month_index(2020, 9)


@pytest.mark.parametrize("value", [dt.date(2021, 2, 1), dt.datetime(2021, 2, 28, 13, 5)])
def test_real_dates(value):
    assert parse_month(value) == FEB_21


@pytest.mark.parametrize("text", ["", "Febr-21", "2021-13", "13/2021", "M1", "Value", "Total", None, 44228])
def test_not_a_month(text):
    assert parse_month(text) is None


def test_english_names_whatever_the_locale(monkeypatch):
    import locale
    try:
        locale.setlocale(locale.LC_TIME, "fr_FR.UTF-8")
    except locale.Error:
        pass  # the names are ours, not the locale's: the assertion holds either way
    assert month_label(FEB_21) == "Feb-21"
    locale.setlocale(locale.LC_TIME, "C")


@given(st.integers(min_value=2000 * 12, max_value=2099 * 12 + 11))
def test_label_and_key_round_trip(index):
    assert parse_month(month_label(index)) == index
    assert parse_month(month_key(index)) == index


def test_financial_year_april_to_march():
    assert financial_year_start(month_index(2021, 3)) == month_index(2020, 4)
    assert financial_year_start(month_index(2021, 4)) == month_index(2021, 4)
    assert financial_year_start(month_index(2020, 12)) == month_index(2020, 4)
    assert financial_year_label(month_index(2021, 1)) == "2020/21"
    assert parse_financial_year("2020/21") == month_index(2020, 4)
    assert parse_financial_year("2020-2021") == month_index(2020, 4)
    assert parse_financial_year("2020/22") is None
