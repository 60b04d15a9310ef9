"""The officer's pages: the pipeline board, decisions, and the handover agreement, which
marks the service as handed over without losing anyone's edits."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from services.actions import ServiceChanged, service_update
from services.forms import ServiceForm
from services.models import (
    DeliveryModel,
    EoiStatus,
    HandoverAgreement,
    Indicator,
    MonitoringReturn,
    ReturnFrequency,
    ReviewStatus,
    Route,
)
from tests.factories import AssetFactory, ExpressionOfInterestFactory
from tests.handover.conftest import in_status

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"services:{name}", args=args)


# Who may see the officer pages --------------------------------------------------------------


def test_anonymous_people_are_asked_to_sign_in(anon_client, draft):
    for address in [
        url("pipeline"),
        url("eoi_decide", draft.pk),
        url("agreement_new", draft.pk),
    ]:
        response = anon_client.get(address)
        assert response["Location"].startswith(reverse("accounts:sign_in")), address


def test_groups_cannot_decide_even_their_own(member_a_client, draft):
    in_status(draft, EoiStatus.UNDER_REVIEW)
    for address in [url("pipeline"), url("eoi_decide", draft.pk), url("agreement_new", draft.pk)]:
        assert member_a_client.get(address).status_code == 403, address
    response = member_a_client.post(
        url("eoi_decide", draft.pk), {"decision": EoiStatus.ACCEPTED, "reason": "We are great"}
    )
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == EoiStatus.UNDER_REVIEW


def test_the_pipeline_refuses_a_post(officer_client):
    assert officer_client.post(url("pipeline")).status_code == 405


def test_a_missing_expression_of_interest_is_not_found(officer_client):
    for name in ["eoi_detail", "eoi_decide", "agreement_new"]:
        assert officer_client.get(url(name, 999999)).status_code == 404


# The pipeline board --------------------------------------------------------------------------


def pipeline_names(response):
    return [eoi.subject_name for eoi in response.context["page_obj"]]


@pytest.fixture
def pipeline(draft, group_b):
    """One expression of interest in each status, one of them overdue."""
    today = timezone.localdate()
    made = {EoiStatus.DRAFT: draft}
    for status in [s for s in EoiStatus.values if s != EoiStatus.DRAFT]:
        eoi = ExpressionOfInterestFactory(
            lead_organisation=group_b, service__name=f"{status.title()} service"
        )
        made[status] = in_status(eoi, status)
    in_status(
        made[EoiStatus.UNDER_REVIEW],
        EoiStatus.UNDER_REVIEW,
        decision_due_on=today - datetime.timedelta(days=1),
    )
    in_status(made[EoiStatus.SUBMITTED], EoiStatus.SUBMITTED, decision_due_on=today)
    return made


def test_the_board_counts_each_status_and_the_overdue(officer_client, pipeline):
    response = officer_client.get(url("pipeline"))
    board = {status: number for status, _label, number in response.context["board"]}
    assert board == dict.fromkeys(EoiStatus.values, 1)
    # Due today is not overdue; due yesterday is.
    assert response.context["overdue_count"] == 1
    assert len(pipeline_names(response)) == 6


def test_the_pipeline_filters_by_status_route_name_and_overdue(officer_client, pipeline):
    response = officer_client.get(url("pipeline"), {"status": EoiStatus.SUBMITTED})
    assert pipeline_names(response) == ["Submitted service"]
    response = officer_client.get(url("pipeline"), {"overdue": "on"})
    assert pipeline_names(response) == ["Under_Review service"]
    response = officer_client.get(url("pipeline"), {"q": "central"})
    assert pipeline_names(response) == ["Central Library"]
    pipeline[EoiStatus.REJECTED].route = Route.RIGHT_TO_CHALLENGE
    pipeline[EoiStatus.REJECTED].save()
    response = officer_client.get(url("pipeline"), {"route": Route.RIGHT_TO_CHALLENGE})
    assert pipeline_names(response) == ["Rejected service"]


def test_the_pipeline_sorts_by_decision_due_with_drafts_last(officer_client, pipeline):
    names = pipeline_names(officer_client.get(url("pipeline")))
    assert names[:2] == ["Under_Review service", "Submitted service"]
    assert pipeline_names(officer_client.get(url("pipeline"), {"sort": "group"}))[0] == (
        "Central Library"
    )


def test_a_bad_filter_is_explained_not_a_crash(officer_client, pipeline):
    response = officer_client.get(url("pipeline"), {"status": "nonsense", "sort": "drop table"})
    assert response.status_code == 200
    assert "status" in response.context["form"].errors


def test_the_pipeline_downloads_as_csv(officer_client, pipeline):
    response = officer_client.get(url("pipeline"), {"export": "csv", "status": "under_review"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["For", "Service or place", "Lead group"]
    assert rows[1][1:3] == ["Under_Review service", "Group B Library Volunteers"]
    assert rows[1][7] == "Yes"  # overdue


def test_an_empty_pipeline_says_what_to_do(officer_client):
    assert "No group has expressed interest yet" in officer_client.get(url("pipeline")).text


# Decisions -----------------------------------------------------------------------------------


def test_an_officer_starts_the_review_then_accepts(officer_client, draft, officer, send):
    in_status(draft, EoiStatus.SUBMITTED)
    page = officer_client.get(url("eoi_decide", draft.pk))
    assert [c for c, _label in page.context["form"].fields["decision"].choices] == [
        EoiStatus.UNDER_REVIEW
    ]
    send(officer_client.post, url("eoi_decide", draft.pk), {"decision": "under_review"})
    draft.refresh_from_db()
    assert draft.status == EoiStatus.UNDER_REVIEW
    assert mail.outbox[-1].subject == "Expression of interest in Central Library: under review"

    response = send(
        officer_client.post,
        url("eoi_decide", draft.pk),
        {"decision": "accepted", "reason": "A strong proposal with local support."},
    )
    assert response["Location"] == url("eoi_detail", draft.pk)
    draft.refresh_from_db()
    assert (draft.status, draft.decided_by) == (EoiStatus.ACCEPTED, officer)
    assert "A strong proposal with local support." in mail.outbox[-1].body
    page = officer_client.get(response["Location"])
    assert "Make the handover agreement" in page.text


def test_a_decision_without_reasons_is_explained(officer_client, draft):
    in_status(draft, EoiStatus.UNDER_REVIEW)
    response = officer_client.post(url("eoi_decide", draft.pk), {"decision": "rejected"})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["Give the reasons for the decision"]
    draft.refresh_from_db()
    assert draft.status == EoiStatus.UNDER_REVIEW


def test_a_move_not_offered_is_refused(officer_client, draft):
    in_status(draft, EoiStatus.SUBMITTED)
    response = officer_client.post(
        url("eoi_decide", draft.pk), {"decision": "accepted", "reason": "Skip the review"}
    )
    assert "decision" in response.context["form"].errors
    draft.refresh_from_db()
    assert draft.status == EoiStatus.SUBMITTED


@pytest.mark.parametrize("status", [EoiStatus.DRAFT, EoiStatus.ACCEPTED, EoiStatus.WITHDRAWN])
def test_there_is_nothing_to_decide_before_submission_or_after_a_decision(
    officer_client, draft, status
):
    in_status(draft, status)
    response = officer_client.post(
        url("eoi_decide", draft.pk), {"decision": "rejected", "reason": "No"}
    )
    assert response["Location"] == url("eoi_detail", draft.pk)
    draft.refresh_from_db()
    assert draft.status == status


# The handover agreement ----------------------------------------------------------------------


def agreement_data(**changes):
    return {
        "description": "The group opens the library on Saturdays; the council keeps the staff.",
        "wards": [],
        "delivery_model": DeliveryModel.CO_PRODUCED,
        "starts_on_day": "1",
        "starts_on_month": "4",
        "starts_on_year": "2026",
        "ends_on_day": "31",
        "ends_on_month": "3",
        "ends_on_year": "2027",
        "council_funding": "£12,500",
        "return_frequency": ReturnFrequency.QUARTERLY,
        "indicator_1_name": "Saturday visits",
        "indicator_1_unit": "visits",
        "indicator_1_target": "400",
        "indicator_2_name": "Volunteers on the rota",
    } | changes


@pytest.fixture
def accepted(draft):
    return in_status(draft, EoiStatus.ACCEPTED, decision_reason="Good")


def test_an_officer_makes_the_agreement_and_the_service_is_handed_over(
    officer_client, accepted, library, ward, officer, send
):
    page = officer_client.get(url("agreement_new", accepted.pk))
    assert page.context["form"].initial["delivery_model"] == DeliveryModel.CO_PRODUCED
    assert [w.pk for w in page.context["form"].initial["wards"]] == [ward.pk]
    version = library.version

    response = send(
        officer_client.post, url("agreement_new", accepted.pk), agreement_data(wards=[ward.pk])
    )

    agreement = HandoverAgreement.objects.get()
    assert response["Location"] == url("agreement_detail", agreement.pk)
    assert (agreement.organisation, agreement.service, agreement.created_by) == (
        accepted.lead_organisation,
        library,
        officer,
    )
    assert agreement.council_funding == 12500
    assert [(i.name, i.unit, i.target) for i in agreement.indicators.all()] == [
        ("Saturday visits", "visits", 400),
        ("Volunteers on the rota", "", None),
    ]
    assert list(agreement.returns.values_list("period_start", "period_end", "due_on")) == [
        (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30), datetime.date(2026, 7, 30)),
        (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30), datetime.date(2026, 10, 30)),
        (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31), datetime.date(2027, 1, 30)),
        (datetime.date(2027, 1, 1), datetime.date(2027, 3, 31), datetime.date(2027, 4, 30)),
    ]
    library.refresh_from_db()
    assert library.review_status == ReviewStatus.HANDED_OVER
    assert library.delivery_model == DeliveryModel.CO_PRODUCED
    assert library.version == version + 1
    assert mail.outbox[-1].subject == "Handover agreement made: Central Library"
    assert mail.outbox[-1].to == ["alice@group-a.test"]


def test_the_agreements_indicators_keep_history_naming_who_made_them(
    officer_client, accepted, officer
):
    officer_client.post(url("agreement_new", accepted.pk), agreement_data())
    records = Indicator.history.order_by("history_id")
    assert [(r.name, r.history_type, r.history_user) for r in records] == [
        ("Saturday visits", "+", officer),
        ("Volunteers on the rota", "+", officer),
    ]


def test_an_officers_edit_started_before_the_handover_is_not_lost(
    officer_client, accepted, library
):
    """The edit form was opened before the agreement: saving it must not silently put the
    service back to "open to expressions of interest"."""
    stale_form = ServiceForm(instance=library)
    data = {name: stale_form[name].value() for name in ServiceForm.Meta.fields if name != "wards"}
    data |= {"version": library.version, "name": "Central Library (renamed)", "wards": []}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    officer_client.post(url("agreement_new", accepted.pk), agreement_data())

    form = ServiceForm(data, instance=type(library).objects.get(pk=library.pk))
    assert form.is_valid(), form.errors
    with pytest.raises(ServiceChanged):
        service_update(form=form, expected_version=form.cleaned_data["version"])
    library.refresh_from_db()
    assert library.review_status == ReviewStatus.HANDED_OVER
    assert library.name == "Central Library"


def test_an_agreement_for_a_building_leaves_services_alone(officer_client, group_a, library):
    hall = AssetFactory(name="Old Town Hall")
    eoi = in_status(
        ExpressionOfInterestFactory(
            lead_organisation=group_a, service=None, asset=hall, route=Route.ASSET_TRANSFER
        ),
        EoiStatus.ACCEPTED,
    )
    page = officer_client.get(url("agreement_new", eoi.pk))
    assert page.context["form"].initial["delivery_model"] == DeliveryModel.TRANSFERRED
    officer_client.post(url("agreement_new", eoi.pk), agreement_data())
    agreement = HandoverAgreement.objects.get()
    assert (agreement.asset, agreement.service) == (hall, None)
    library.refresh_from_db()
    assert library.review_status == ReviewStatus.OPEN_TO_EOI


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"description": ""}, "description", "Say who delivers what"),
        ({"starts_on_day": ""}, "starts_on", "Enter a real date, for example 27 3 2026."),
        ({"starts_on_month": "13"}, "starts_on", "Enter a real date, for example 27 3 2026."),
        ({"starts_on_year": "1999"}, "starts_on", "Enter a start date between 1 January 2000"),
        ({"ends_on_year": "2025"}, "ends_on", "The end date must be after the start date"),
        ({"ends_on_year": "2126"}, "ends_on", "Enter an end date within 99 years of the start"),
        ({"council_funding": "-5"}, "council_funding", "The funding cannot be negative"),
        ({"council_funding": "lots"}, "council_funding", "Enter an amount in pounds"),
        (
            {
                "indicator_1_name": "",
                "indicator_1_unit": "",
                "indicator_1_target": "",
                "indicator_2_name": "",
            },
            "indicator_1_name",
            "Give at least one indicator the group will report on",
        ),
        ({"indicator_2_name": "saturday VISITS"}, "indicator_2_name", "its own name"),
        ({"indicator_3_target": "40"}, "indicator_3_name", "Give this indicator a name"),
        ({"indicator_1_target": "many"}, "indicator_1_target", "Enter the target as a number"),
        ({"return_frequency": "weekly"}, "return_frequency", "Select a valid choice"),
    ],
)
def test_it_explains_a_bad_agreement(officer_client, accepted, library, changes, field, message):
    response = officer_client.post(url("agreement_new", accepted.pk), agreement_data(**changes))
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors[field]), response.context[
        "form"
    ].errors
    assert not HandoverAgreement.objects.exists()
    assert not MonitoringReturn.objects.exists()
    library.refresh_from_db()
    assert library.review_status == ReviewStatus.OPEN_TO_EOI


def test_only_an_accepted_one_becomes_an_agreement_and_only_once(officer_client, draft):
    in_status(draft, EoiStatus.UNDER_REVIEW)
    response = officer_client.post(url("agreement_new", draft.pk), agreement_data())
    assert response["Location"] == url("eoi_detail", draft.pk)
    assert not HandoverAgreement.objects.exists()

    in_status(draft, EoiStatus.ACCEPTED)
    officer_client.post(url("agreement_new", draft.pk), agreement_data())
    response = officer_client.post(url("agreement_new", draft.pk), agreement_data())
    agreement = HandoverAgreement.objects.get()
    assert response["Location"] == url("agreement_detail", agreement.pk)


def test_an_agreement_with_no_end_has_returns_scheduled_two_years_ahead(
    officer_client, accepted, settings
):
    settings.RETURNS_SCHEDULED_AHEAD_MONTHS = 24
    today = timezone.localdate()
    start = today.replace(day=1)
    officer_client.post(
        url("agreement_new", accepted.pk),
        agreement_data(
            ends_on_day="",
            ends_on_month="",
            ends_on_year="",
            starts_on_day="1",
            starts_on_month=str(start.month),
            starts_on_year=str(start.year),
            return_frequency=ReturnFrequency.YEARLY,
        ),
    )
    agreement = HandoverAgreement.objects.get()
    assert agreement.ends_on is None
    assert agreement.returns.count() == 3  # this year's, next year's and the one after


def test_other_groups_cannot_see_an_agreement(member_b_client, officer_client, accepted):
    officer_client.post(url("agreement_new", accepted.pk), agreement_data())
    agreement = HandoverAgreement.objects.get()
    assert member_b_client.get(url("agreement_detail", agreement.pk)).status_code == 404
    assert officer_client.get(url("agreement_detail", agreement.pk)).status_code == 200
