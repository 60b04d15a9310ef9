"""The public accountability pages: no sign-in; each handed-over service or place, who runs
it, since when, its latest rating and figures, and every return."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from services.models import EoiStatus, IndicatorValue, Rating
from tests.factories import (
    AssetFactory,
    ExpressionOfInterestFactory,
    HandoverAgreementFactory,
    IndicatorFactory,
    MonitoringReturnFactory,
    OrganisationFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def url(name, *args):
    return reverse(f"services:{name}", args=args)


def handed_over(name, group, *, starts_on=None, ends_on=None, asset=None):
    subject = {"service": None, "asset": asset} if asset else {"service__name": name}
    eoi = ExpressionOfInterestFactory(
        lead_organisation=group, status=EoiStatus.ACCEPTED, **subject
    )
    return HandoverAgreementFactory(
        expression_of_interest=eoi,
        service=eoi.service,
        asset=eoi.asset,
        starts_on=starts_on or TODAY - 200 * DAY,
        ends_on=ends_on,
    )


def sent(agreement, *, start, rating="", values=(), **fields):
    monitoring_return = MonitoringReturnFactory(
        agreement=agreement,
        period_start=start,
        period_end=start + 89 * DAY,
        due_on=start + 119 * DAY,
        submitted_at=timezone.now(),
        volunteer_hours=300,
        complaints=2,
        narrative="Saturdays were busy.",
        rating=rating,
        rating_comment="On track." if rating else "",
        **fields,
    )
    for indicator, value in values:
        IndicatorValue.objects.create(
            monitoring_return=monitoring_return, indicator=indicator, value=value
        )
    return monitoring_return


@pytest.fixture
def library(group_a):
    agreement = handed_over("Central Library", group_a)
    visits = IndicatorFactory(agreement=agreement, name="Saturday visits", target=400)
    first = agreement.starts_on
    sent(agreement, start=first, rating=Rating.GREEN, values=[(visits, 380)])
    sent(agreement, start=first + 90 * DAY, values=[(visits, 415)])
    return agreement


def test_anyone_sees_who_runs_each_service_and_how_it_is_doing(anon_client, library):
    response = anon_client.get(url("accountability"))
    assert response.status_code == 200
    [row] = response.context["page_obj"]
    assert (row.subject_name, row.organisation.name) == (
        "Central Library",
        library.organisation.name,
    )
    assert row.latest_rating == Rating.GREEN
    text = response.text
    assert '<strong class="govuk-tag govuk-tag--green">Green: on track</strong>' in text
    # The latest figures are the latest return sent in, reviewed or not.
    assert "Saturday visits: 415 / 400" in text


def test_only_agreements_running_today_are_listed(anon_client, group_a, library):
    handed_over("Future service", group_a, starts_on=TODAY + DAY)
    handed_over("Ended service", group_a, starts_on=TODAY - 400 * DAY, ends_on=TODAY - DAY)
    handed_over("Ends today", group_a, starts_on=TODAY - 400 * DAY, ends_on=TODAY)
    names = [a.subject_name for a in anon_client.get(url("accountability")).context["page_obj"]]
    assert names == ["Central Library", "Ends today"]


def test_a_handed_over_building_is_listed_too(anon_client, group_a):
    hall = AssetFactory(name="Old Town Hall")
    handed_over("", group_a, asset=hall)
    names = [a.subject_name for a in anon_client.get(url("accountability")).context["page_obj"]]
    assert names == ["Old Town Hall"]


def test_the_list_filters_sorts_and_pages(anon_client, group_a, settings):
    settings.PAGE_SIZE = 2
    ward = WardFactory(name="Ladywell")
    other_group = OrganisationFactory(name="Zebra Crossing Trust")
    a = handed_over("Allotments", group_a, starts_on=TODAY - 50 * DAY)
    a.wards.set([ward])
    handed_over("Bowls club", other_group, starts_on=TODAY - 20 * DAY)
    handed_over("Cemetery", group_a, starts_on=TODAY - 90 * DAY)

    def names(**params):
        page = anon_client.get(url("accountability"), params).context["page_obj"]
        return [a.subject_name for a in page]

    assert names() == ["Allotments", "Bowls club"]
    assert names(page=2) == ["Cemetery"]
    assert names(sort="-since") == ["Bowls club", "Allotments"]
    assert names(ward=ward.pk) == ["Allotments"]
    assert names(q="zebra") == ["Bowls club"]
    assert names(q="nothing like it") == []
    assert names(ward="not-a-ward") == ["Allotments", "Bowls club"]


def test_the_empty_list_says_so(anon_client):
    assert "No council service or place is run by a community group yet" in (
        anon_client.get(url("accountability")).text
    )


def test_the_page_of_one_shows_every_return_and_flags_the_overdue(anon_client, library):
    MonitoringReturnFactory(
        agreement=library,
        period_start=library.starts_on + 180 * DAY,
        period_end=TODAY - 2 * DAY,
        due_on=TODAY - DAY,
    )
    MonitoringReturnFactory(  # not ended yet: not shown
        agreement=library,
        period_start=TODAY - DAY,
        period_end=TODAY + 88 * DAY,
        due_on=TODAY + 118 * DAY,
    )
    response = anon_client.get(url("accountability_detail", library.pk))
    assert response.status_code == 200
    history = response.context["history"]
    assert len(history) == 3
    assert [values for _r, values in history][1:] == [[415], [380]]
    assert history[0][0].state == "overdue"
    assert response.context["rated"].rating == Rating.GREEN
    assert response.context["latest"].period_start == library.starts_on + 90 * DAY
    text = response.text
    assert "Overdue" in text and "Saturdays were busy." in text and "On track." in text
    assert "£5,000 a year" in text


def test_an_agreement_not_started_is_not_public(anon_client, group_a):
    future = handed_over("Future service", group_a, starts_on=TODAY + DAY)
    assert anon_client.get(url("accountability_detail", future.pk)).status_code == 404
    assert anon_client.get(url("accountability_detail", 999999)).status_code == 404


def test_the_public_pages_refuse_a_post(anon_client, library):
    assert anon_client.post(url("accountability")).status_code == 405
    assert anon_client.post(url("accountability_detail", library.pk)).status_code == 405
