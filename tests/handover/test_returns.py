"""Monitoring returns: when one is due and overdue, the group sending it in, the officer's
red, amber or green review, and the officer home page flagging what is late."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from services.actions import HandoverRefused, return_rate, return_submit
from services.models import (
    EoiStatus,
    IndicatorValue,
    MonitoringReturn,
    Rating,
    ReturnState,
)
from services.periods import add_months
from tests.factories import (
    ExpressionOfInterestFactory,
    HandoverAgreementFactory,
    IndicatorFactory,
    MonitoringReturnFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def url(name, *args):
    return reverse(f"services:{name}", args=args)


@pytest.fixture
def agreement(group_a, library):
    eoi = ExpressionOfInterestFactory(
        lead_organisation=group_a, service=library, status=EoiStatus.ACCEPTED
    )
    return HandoverAgreementFactory(
        expression_of_interest=eoi, starts_on=TODAY - datetime.timedelta(days=120)
    )


@pytest.fixture
def visits(agreement):
    return IndicatorFactory(agreement=agreement, name="Saturday visits", target=400)


@pytest.fixture
def due(agreement, visits):
    """A return whose period ended yesterday, due in 29 days."""
    return MonitoringReturnFactory(
        agreement=agreement,
        period_start=TODAY - datetime.timedelta(days=90),
        period_end=TODAY - DAY,
        due_on=TODAY + datetime.timedelta(days=29),
    )


def returned(monitoring_return, by, **fields):
    defaults = {"submitted_at": timezone.now(), "submitted_by": by, "narrative": "Busy."}
    for name, value in (defaults | fields).items():
        setattr(monitoring_return, name, value)
    monitoring_return.save()
    return monitoring_return


# When a return is due and overdue ------------------------------------------------------------


@pytest.mark.parametrize(
    ("period_end", "due_on", "state"),
    [
        (TODAY + DAY, TODAY + 30 * DAY, ReturnState.UPCOMING),
        (TODAY, TODAY + 30 * DAY, ReturnState.DUE),  # its last day: it can be sent
        (TODAY - 30 * DAY, TODAY, ReturnState.DUE),  # due today is not overdue
        (TODAY - 31 * DAY, TODAY - DAY, ReturnState.OVERDUE),  # the day after the due date
    ],
)
def test_a_returns_state_follows_its_dates(agreement, period_end, due_on, state):
    monitoring_return = MonitoringReturnFactory(
        agreement=agreement,
        period_start=period_end - 80 * DAY,
        period_end=period_end,
        due_on=due_on,
    )
    assert monitoring_return.state_on(TODAY) == state
    overdue = MonitoringReturn.objects.overdue_on(TODAY)
    assert (monitoring_return in overdue) == (state == ReturnState.OVERDUE)
    can_send = MonitoringReturn.objects.open_on(TODAY)
    assert (monitoring_return in can_send) == (state != ReturnState.UPCOMING)


def test_a_return_sent_in_is_never_overdue_and_waits_for_review(agreement, member_a):
    late = MonitoringReturnFactory(
        agreement=agreement,
        period_start=TODAY - 120 * DAY,
        period_end=TODAY - 60 * DAY,
        due_on=TODAY - 30 * DAY,
    )
    returned(late, member_a)
    assert late.state_on(TODAY) == ReturnState.WAITING_FOR_REVIEW
    assert late.was_late
    assert not MonitoringReturn.objects.overdue_on(TODAY).exists()
    assert list(MonitoringReturn.objects.waiting_for_review()) == [late]
    returned(late, member_a, rating=Rating.GREEN)
    assert late.state_on(TODAY) == ReturnState.REVIEWED
    assert not MonitoringReturn.objects.waiting_for_review().exists()


# Sending a return in -------------------------------------------------------------------------


def return_data(visits, **changes):
    return {
        f"indicator_{visits.pk}": "412",
        "volunteer_hours": "360",
        "complaints": "1",
        "narrative": "Saturdays are busier than we hoped.",
    } | changes


def test_the_group_sends_its_return(member_a_client, due, visits, member_a, send):
    page = member_a_client.get(url("return_send", due.pk))
    assert "Target: 400" in page.text
    response = send(member_a_client.post, url("return_send", due.pk), return_data(visits))
    assert response["Location"] == url("return_detail", due.pk)
    due.refresh_from_db()
    assert (due.volunteer_hours, due.complaints, due.submitted_by) == (360, 1, member_a)
    assert IndicatorValue.objects.get(monitoring_return=due).value == Decimal("412")
    assert mail.outbox[-1].subject == "Monitoring return received: Central Library"
    page = member_a_client.get(response["Location"])
    assert "Your return has been sent" in page.text
    assert "Waiting for review" in page.text


def test_corrections_keep_the_first_sending_time(member_a_client, due, visits):
    member_a_client.post(url("return_send", due.pk), return_data(visits))
    due.refresh_from_db()
    first = due.submitted_at
    page = member_a_client.get(url("return_send", due.pk))
    assert page.context["form"].initial["volunteer_hours"] == 360
    member_a_client.post(url("return_send", due.pk), return_data(visits, volunteer_hours="365"))
    due.refresh_from_db()
    assert (due.volunteer_hours, due.submitted_at) == (365, first)
    assert IndicatorValue.objects.count() == 1


def test_figures_are_read_as_a_treasurer_types_them(member_a_client, due, visits):
    data = return_data(visits, volunteer_hours="1,200", complaints=" 2 ")
    data[f"indicator_{visits.pk}"] = "1,412.50"
    response = member_a_client.post(url("return_send", due.pk), data)
    assert response["Location"] == url("return_detail", due.pk)
    due.refresh_from_db()
    assert (due.volunteer_hours, due.complaints) == (1200, 2)
    assert IndicatorValue.objects.get(monitoring_return=due).value == Decimal("1412.50")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("volunteer_hours", "", "Enter a number, or 0"),
        ("volunteer_hours", "-3", "Enter 0 or more"),
        ("volunteer_hours", "lots", "Enter a whole number, for example 12"),
        ("volunteer_hours", "1000000", "Enter a number under 1,000,000"),
        ("complaints", "2.5", "Enter a whole number, for example 12"),
        ("narrative", "", "Say how it went"),
        ("indicator", "", "Enter a figure for Saturday visits"),
        ("indicator", "four hundred", "Enter Saturday visits as a number, for example 40"),
        ("indicator", "1" * 13, "Enter a smaller number"),
        ("indicator", "1,5", "Enter Saturday visits as a number, for example 40"),
    ],
)
def test_it_explains_a_bad_return(member_a_client, due, visits, field, value, message):
    field = f"indicator_{visits.pk}" if field == "indicator" else field
    response = member_a_client.post(
        url("return_send", due.pk), return_data(visits, **{field: value})
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    due.refresh_from_db()
    assert due.submitted_at is None
    assert not IndicatorValue.objects.exists()


def test_a_return_cannot_be_sent_before_its_period_ends(member_a_client, agreement, visits):
    future = MonitoringReturnFactory(
        agreement=agreement,
        period_start=TODAY,
        period_end=TODAY + 80 * DAY,
        due_on=TODAY + 110 * DAY,
    )
    response = member_a_client.post(url("return_send", future.pk), return_data(visits))
    assert response["Location"] == url("return_detail", future.pk)
    future.refresh_from_db()
    assert future.submitted_at is None
    with pytest.raises(HandoverRefused, match="has not ended yet"):
        return_submit(
            monitoring_return=future,
            values={visits.pk: 1},
            volunteer_hours=1,
            complaints=0,
            narrative="x",
            by=None,
        )


def test_a_reviewed_return_is_fixed(member_a_client, due, visits, member_a):
    returned(due, member_a, rating=Rating.AMBER, volunteer_hours=10)
    response = member_a_client.post(url("return_send", due.pk), return_data(visits))
    assert response["Location"] == url("return_detail", due.pk)
    due.refresh_from_db()
    assert due.volunteer_hours == 10


def test_returns_are_the_delivering_groups_alone(
    member_b_client, officer_client, anon_client, due, visits
):
    for address in [url("return_detail", due.pk), url("return_send", due.pk)]:
        assert member_b_client.get(address).status_code == 404
        assert anon_client.get(address)["Location"].startswith(reverse("accounts:sign_in"))
    assert officer_client.get(url("return_detail", due.pk)).status_code == 200
    assert officer_client.post(url("return_send", due.pk), return_data(visits)).status_code == 403
    assert member_b_client.post(url("return_send", due.pk), return_data(visits)).status_code == 404
    assert member_b_client.put(url("return_send", due.pk)).status_code == 405
    due.refresh_from_db()
    assert due.submitted_at is None


# The officer's review ------------------------------------------------------------------------


def test_an_officer_rates_a_return_with_a_comment(officer_client, due, member_a, officer, send):
    returned(due, member_a)
    page = officer_client.get(url("return_review", due.pk))
    assert "What the group sent" in page.text
    response = send(
        officer_client.post,
        url("return_review", due.pk),
        {"rating": "amber", "comment": "Complaints about opening times: please post them."},
    )
    assert response["Location"] == url("agreement_detail", due.agreement_id)
    due.refresh_from_db()
    assert (due.rating, due.reviewed_by) == (Rating.AMBER, officer)
    assert mail.outbox[-1].to == ["alice@group-a.test"]
    assert "Amber: some concerns" in mail.outbox[-1].body
    assert "Complaints about opening times" in mail.outbox[-1].body
    detail = officer_client.get(url("return_detail", due.pk))
    assert '<strong class="govuk-tag govuk-tag--orange">Amber: some concerns</strong>' in (
        detail.text
    )


def test_a_rating_needs_a_choice_and_a_comment(officer_client, due, member_a):
    returned(due, member_a)
    response = officer_client.post(url("return_review", due.pk), {"rating": "purple"})
    errors = response.context["form"].errors
    assert errors["comment"] == ["Say why you gave this rating"]
    assert "rating" in errors
    due.refresh_from_db()
    assert due.rating == ""


def test_a_return_not_sent_in_cannot_be_rated(officer_client, due):
    response = officer_client.post(
        url("return_review", due.pk), {"rating": "red", "comment": "Nothing sent"}
    )
    assert response["Location"] == url("return_detail", due.pk)
    with pytest.raises(HandoverRefused):
        return_rate(monitoring_return=due, rating=Rating.RED, comment="x", by=None)
    due.refresh_from_db()
    assert due.rating == ""


def test_only_officers_review(member_a_client, anon_client, due, member_a):
    returned(due, member_a)
    response = member_a_client.post(
        url("return_review", due.pk), {"rating": "green", "comment": "We are great"}
    )
    assert response.status_code == 403
    assert anon_client.get(url("return_review", due.pk)).status_code == 302
    due.refresh_from_db()
    assert due.rating == ""


# Flagged on the officer's home page ----------------------------------------------------------


def test_the_officer_home_flags_overdue_decisions_and_returns(officer_client, agreement, draft):
    MonitoringReturnFactory(
        agreement=agreement,
        period_start=TODAY - 120 * DAY,
        period_end=TODAY - 60 * DAY,
        due_on=TODAY - DAY,
    )
    draft.status = EoiStatus.UNDER_REVIEW
    draft.decision_due_on = TODAY - DAY
    draft.save()
    text = officer_client.get(reverse("home")).text
    assert "1 decision on an expression of interest is overdue." in text
    assert "1 monitoring return is overdue." in text
    assert f'href="{url("eoi_detail", draft.pk)}"' in text
    assert f'href="{url("agreement_detail", agreement.pk)}"' in text


def test_the_officer_home_is_calm_when_nothing_is_late(officer_client, due):
    text = officer_client.get(reverse("home")).text
    assert "No decision on an expression of interest is overdue." in text
    assert "No monitoring return is overdue." in text


# The panel on the group's dashboard ----------------------------------------------------------


def test_the_dashboard_panel_counts_what_the_group_has_to_do(agreement, draft, group_a):
    MonitoringReturnFactory(
        agreement=agreement,
        period_start=TODAY - 120 * DAY,
        period_end=TODAY - 60 * DAY,
        due_on=TODAY - DAY,
    )
    html = Template('{% include "services/_group_handover_panel.html" %}').render(
        Context({"organisation": group_a, "membership": None})
    )
    assert "1 monitoring return is overdue." in html
    assert f'href="{url("group_handover", group_a.pk)}"' in html


def test_schedule_returns_keeps_open_ended_agreements_scheduled_ahead(agreement, settings):
    settings.RETURNS_SCHEDULED_AHEAD_MONTHS = 12
    agreement.starts_on = add_months(TODAY.replace(day=1), -4)
    agreement.ends_on = None
    agreement.return_frequency = "quarterly"
    agreement.save()
    out = io.StringIO()
    call_command("schedule_returns", stdout=out)
    starts = list(agreement.returns.values_list("period_start", flat=True))
    # From the start to a year from today: every quarter beginning by then.
    assert starts[0] == agreement.starts_on
    assert starts[-1] <= add_months(TODAY, 12) < add_months(starts[-1], 3)
    assert out.getvalue() == f"Scheduled {len(starts)} monitoring returns.\n"
    call_command("schedule_returns", stdout=io.StringIO())
    assert agreement.returns.count() == len(starts)
