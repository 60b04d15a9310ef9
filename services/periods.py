"""Date arithmetic for the handover: periods of weeks and months counted the way the law
counts them, and the schedule of monitoring returns. Plain functions of dates: no
database, no clock.

The Localism Act 2011 says "the period of six weeks beginning with the date on which the
local authority receives notification": the day itself is the first day of the period.
Every "last day" here is inclusive: the period includes it, and the day after it is
outside.
"""

import calendar
import datetime


def add_months(day, months):
    """The same day of the month ``months`` later (or earlier, for a negative number).
    Where that month is too short, its last day: 31 August + 6 months is 28 February, or
    29 February in a leap year."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_day_of_weeks(start, weeks):
    """The last day of a period of ``weeks`` weeks beginning with ``start``: 6 weeks
    beginning with Monday 1 September 2025 run to Sunday 12 October 2025."""
    return start + datetime.timedelta(weeks=weeks, days=-1)


def last_day_of_months(start, months):
    """The last day of a period of ``months`` months beginning with ``start``.

    It is the day before the same date ``months`` later: 6 months beginning with 1 March
    run to 31 August. Where the later month has no such date (6 months beginning with
    31 August reach "31 February"), the period runs to the end of that month: 28
    February, or 29 in a leap year.
    """
    year, month = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month + 1
    days_in_month = calendar.monthrange(year, month)[1]
    if start.day > days_in_month:
        return datetime.date(year, month, days_in_month)
    return datetime.date(year, month, start.day) - datetime.timedelta(days=1)


def return_periods(*, starts_on, ends_on, months, until, due_days):
    """The monitoring periods of an agreement: [(period_start, period_end, due_on)].

    Periods of ``months`` months follow each other from ``starts_on`` without gaps,
    counted from the start date each time (so they never drift at month ends). The last
    one stops at ``ends_on``. Only periods beginning on or before ``until`` are given,
    so an agreement with no end date has a finite schedule. Each return is due
    ``due_days`` days after its period ends.
    """
    periods = []
    period_start = starts_on
    number = 1
    while period_start <= until and (ends_on is None or period_start <= ends_on):
        period_end = last_day_of_months(starts_on, months * number)
        if ends_on is not None:
            period_end = min(period_end, ends_on)
        periods.append((period_start, period_end, period_end + datetime.timedelta(days=due_days)))
        period_start = period_end + datetime.timedelta(days=1)
        number += 1
    return periods


def earliest_start_still_running(day, months):
    """The earliest first day of a period of ``months`` months that still includes
    ``day``: a period beginning on or after it has ``day`` at or before its last day, one
    beginning earlier has ended. Lets the database find running periods with a plain
    date comparison."""
    return add_months(day, -months) + datetime.timedelta(days=1)
