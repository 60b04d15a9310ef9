"""Date arithmetic: months at month ends and in leap years, the Community Right to Bid
periods, the intention-to-bid window's edges and the schedule of monitoring returns.
Every expected date is worked out by hand."""

import datetime
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services import acv
from services.periods import (
    add_months,
    earliest_start_still_running,
    last_day_of_months,
    last_day_of_weeks,
    return_periods,
)

D = datetime.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2025, 8, 31), 6, D(2026, 2, 28)),  # no 31 February: the month's last day
        (D(2027, 8, 31), 6, D(2028, 2, 29)),  # ... which is the 29th in a leap year
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2025, 3, 31), 1, D(2025, 4, 30)),
        (D(2025, 11, 15), 3, D(2026, 2, 15)),  # across the new year
        (D(2026, 3, 31), -1, D(2026, 2, 28)),  # backwards
        (D(2026, 1, 10), -13, D(2024, 12, 10)),
        (D(2026, 5, 5), 0, D(2026, 5, 5)),
    ],
)
def test_it_adds_months_keeping_the_day_or_the_months_last_day(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("start", "months", "last"),
    [
        # A period beginning with 1 March runs to 31 August: the day before 1 September.
        (D(2026, 3, 1), 6, D(2026, 8, 31)),
        (D(2025, 9, 1), 6, D(2026, 2, 28)),
        # Beginning with 31 August, 6 months reach "31 February": the end of February.
        (D(2025, 8, 31), 6, D(2026, 2, 28)),
        (D(2023, 8, 31), 6, D(2024, 2, 29)),  # leap year
        (D(2025, 8, 30), 6, D(2026, 2, 28)),
        (D(2025, 8, 28), 6, D(2026, 2, 27)),
        (D(2024, 2, 29), 6, D(2024, 8, 28)),
        (D(2025, 3, 15), 18, D(2026, 9, 14)),
        (D(2024, 2, 29), 60, D(2029, 2, 28)),  # 5 years from a leap day
        (D(2024, 3, 1), 60, D(2029, 2, 28)),
        (D(2026, 1, 1), 3, D(2026, 3, 31)),
    ],
)
def test_a_period_of_months_ends_the_day_before_the_same_date(start, months, last):
    assert last_day_of_months(start, months) == last


def test_six_weeks_beginning_with_a_day_are_42_days_including_it():
    assert last_day_of_weeks(D(2025, 9, 1), 6) == D(2025, 10, 12)
    assert last_day_of_weeks(D(2024, 2, 1), 6) == D(2024, 3, 13)  # through 29 February
    assert (last_day_of_weeks(D(2026, 12, 4), 6) - D(2026, 12, 4)).days + 1 == 42


def test_the_moratorium_dates_after_a_notice_on_31_august():
    window = acv.moratorium(D(2025, 8, 31))
    assert window.interim_last_day == D(2025, 10, 11)
    assert window.full_last_day == D(2026, 2, 28)
    assert window.protected_last_day == D(2027, 2, 28)


def test_the_full_moratorium_ends_on_29_february_in_a_leap_year():
    window = acv.moratorium(D(2023, 8, 31))
    assert window.full_last_day == D(2024, 2, 29)
    assert window.protected_last_day == D(2025, 2, 28)


def test_intentions_are_accepted_from_the_notice_to_the_interim_moratoriums_last_day():
    window = acv.moratorium(D(2026, 3, 2))
    assert window.interim_last_day == D(2026, 4, 12)
    assert not window.accepts_intentions_on(D(2026, 3, 1))  # the day before the notice
    assert window.accepts_intentions_on(D(2026, 3, 2))  # the day of the notice
    assert window.accepts_intentions_on(D(2026, 4, 12))  # the last day is in
    assert not window.accepts_intentions_on(D(2026, 4, 13))  # the day after is out


def test_a_listing_lasts_5_years_including_its_first_day():
    assert acv.listing_last_day(D(2025, 10, 30)) == D(2030, 10, 29)
    assert acv.listing_last_day(D(2024, 2, 29)) == D(2029, 2, 28)


def test_the_council_decides_a_nomination_within_8_weeks():
    assert acv.nomination_decision_due(D(2026, 12, 4)) == D(2027, 1, 28)


dates = st.dates(min_value=D(1990, 1, 1), max_value=D(2090, 12, 31))


@given(start=dates, day=dates, months=st.sampled_from([6, 18, 60]))
def test_the_database_threshold_agrees_with_the_period_arithmetic(start, day, months):
    """A period beginning on ``start`` includes ``day`` exactly when the start lies between
    the threshold used in database queries and ``day``."""
    runs = start <= day <= last_day_of_months(start, months)
    assert runs == (earliest_start_still_running(day, months) <= start <= day)


# The schedule of monitoring returns -------------------------------------------------------


def test_quarterly_returns_over_a_year_each_due_30_days_after_the_period():
    periods = return_periods(
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 12, 31),
        months=3,
        until=D(2026, 12, 31),
        due_days=30,
    )
    assert periods == [
        (D(2026, 1, 1), D(2026, 3, 31), D(2026, 4, 30)),
        (D(2026, 4, 1), D(2026, 6, 30), D(2026, 7, 30)),
        (D(2026, 7, 1), D(2026, 9, 30), D(2026, 10, 30)),
        (D(2026, 10, 1), D(2026, 12, 31), D(2027, 1, 30)),
    ]


def test_monthly_periods_from_the_31st_never_drift_or_overlap():
    periods = return_periods(
        starts_on=D(2026, 1, 31), ends_on=None, months=1, until=D(2026, 5, 1), due_days=14
    )
    assert [(start, end) for start, end, _due in periods] == [
        (D(2026, 1, 31), D(2026, 2, 28)),
        (D(2026, 3, 1), D(2026, 3, 30)),
        (D(2026, 3, 31), D(2026, 4, 30)),
        (D(2026, 5, 1), D(2026, 5, 30)),
    ]
    for (_s, end, _d), (next_start, _e, _n) in itertools.pairwise(periods):
        assert next_start == end + datetime.timedelta(days=1)


def test_the_last_period_stops_at_the_end_of_the_agreement():
    periods = return_periods(
        starts_on=D(2026, 4, 1),
        ends_on=D(2026, 8, 15),
        months=3,
        until=D(2030, 1, 1),
        due_days=30,
    )
    assert periods[-1] == (D(2026, 7, 1), D(2026, 8, 15), D(2026, 9, 14))
    assert len(periods) == 2


def test_an_agreement_with_no_end_is_scheduled_only_up_to_a_date():
    periods = return_periods(
        starts_on=D(2026, 1, 1), ends_on=None, months=12, until=D(2028, 1, 1), due_days=30
    )
    assert [start for start, _end, _due in periods] == [
        D(2026, 1, 1),
        D(2027, 1, 1),
        D(2028, 1, 1),
    ]
