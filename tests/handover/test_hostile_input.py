"""Whatever a tired officer or a volunteer on a phone types (or a robot sends) into the
handover forms, the answer is a page that explains, never a server error, and nothing is
half-written."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from services.models import (
    AcvNomination,
    EoiPartner,
    EoiStatus,
    ExpressionOfInterest,
    HandoverAgreement,
    IntentionToBid,
    SaleNotice,
)
from tests.factories import (
    AcvNominationFactory,
    ExpressionOfInterestFactory,
    HandoverAgreementFactory,
    IndicatorFactory,
    MonitoringReturnFactory,
    SaleNoticeFactory,
)
from tests.handover.conftest import in_status, listed

pytestmark = pytest.mark.django_db

NASTY = [
    "",
    " ",
    "0",
    "-1",
    "99999999999999999999999999",
    "1e400",
    "NaN",
    "Infinity",
    "£-",
    "31/02/2026",
    "service:",
    "asset:-1",
    "<script>alert(1)</script>",
    "Robert'); DROP TABLE services_service;--",
    "\u202e\u0000",
    "x" * 20_000,
]

FIELDS = {
    "eoi_new": ["subject", "route", "proposal", "capacity_evidence", "offers"],
    "eoi_partners": ["organisation"],
    "eoi_decide": ["decision", "reason"],
    "agreement_new": [
        "description",
        "wards",
        "delivery_model",
        "starts_on_day",
        "starts_on_month",
        "starts_on_year",
        "ends_on_year",
        "council_funding",
        "return_frequency",
        "indicator_1_name",
        "indicator_1_target",
    ],
    "return_send": ["volunteer_hours", "complaints", "narrative", "indicator"],
    "return_review": ["rating", "comment"],
    "nominate": ["asset", "name", "asset_type", "postcode", "ward", "reason", "declared"],
    "nomination_decide": ["decision", "listed_on_day", "listed_on_year", "reason"],
    "sale_notice_new": ["notified_on_day", "notified_on_month", "notified_on_year"],
    "intention_to_bid": ["declared"],
}


@pytest.fixture
def world(draft, group_a, member_a, officer):
    today = timezone.localdate()
    under_review = in_status(
        ExpressionOfInterestFactory(lead_organisation=group_a), EoiStatus.UNDER_REVIEW
    )
    accepted = in_status(
        ExpressionOfInterestFactory(lead_organisation=group_a), EoiStatus.ACCEPTED
    )
    agreement = HandoverAgreementFactory(
        expression_of_interest=ExpressionOfInterestFactory(
            lead_organisation=group_a, status=EoiStatus.ACCEPTED
        )
    )
    indicator = IndicatorFactory(agreement=agreement)
    ended = MonitoringReturnFactory(
        agreement=agreement,
        period_start=today - datetime.timedelta(days=90),
        period_end=today - datetime.timedelta(days=1),
        due_on=today + datetime.timedelta(days=29),
    )
    sent = MonitoringReturnFactory(
        agreement=agreement,
        period_start=today - datetime.timedelta(days=200),
        period_end=today - datetime.timedelta(days=110),
        due_on=today - datetime.timedelta(days=80),
        submitted_at=timezone.now(),
    )
    nomination = AcvNominationFactory(organisation=group_a)
    pub = listed().asset
    notice = SaleNoticeFactory(asset=pub)
    return {
        "indicator": indicator,
        "urls": {
            "eoi_new": ("member", reverse("services:eoi_new", args=[group_a.pk])),
            "eoi_partners": ("member", reverse("services:eoi_partners", args=[draft.pk])),
            "eoi_decide": ("officer", reverse("services:eoi_decide", args=[under_review.pk])),
            "agreement_new": ("officer", reverse("services:agreement_new", args=[accepted.pk])),
            "return_send": ("member", reverse("services:return_send", args=[ended.pk])),
            "return_review": ("officer", reverse("services:return_review", args=[sent.pk])),
            "nominate": ("member", reverse("services:nominate", args=[group_a.pk])),
            "nomination_decide": (
                "officer",
                reverse("services:nomination_decide", args=[nomination.pk]),
            ),
            "sale_notice_new": ("officer", reverse("services:sale_notice_new", args=[pub.pk])),
            "intention_to_bid": (
                "member",
                reverse("services:intention_to_bid", args=[group_a.pk, notice.pk]),
            ),
        },
    }


def counts(form):
    models = [ExpressionOfInterest, EoiPartner, HandoverAgreement, AcvNomination, SaleNotice]
    if form != "intention_to_bid":  # any ticked box is a real declaration
        models.append(IntentionToBid)
    return [model.objects.count() for model in models]


@pytest.mark.parametrize("form", FIELDS)
def test_any_text_in_any_field_is_answered_never_an_error(
    form, world, member_a_client, officer_client
):
    who, address = world["urls"][form]
    client = member_a_client if who == "member" else officer_client
    before = counts(form)
    for value in NASTY:
        data = {
            (f"indicator_{world['indicator'].pk}" if name == "indicator" else name): value
            for name in FIELDS[form]
        }
        response = client.post(address, data)
        assert response.status_code in (200, 302), (form, value, response.status_code)
        if response.status_code == 200:
            assert "There is a problem" in response.text or "cannot" in response.text
    assert counts(form) == before


@pytest.mark.parametrize("value", NASTY)
def test_any_filter_or_page_number_is_answered_never_an_error(
    value, officer_client, anon_client, draft
):
    params = {"status": value, "route": value, "q": value[:100], "overdue": value}
    params |= {"sort": value, "page": value, "ward": value}
    for client, name in [
        (officer_client, "services:pipeline"),
        (officer_client, "services:acv_officer"),
        (anon_client, "services:accountability"),
        (anon_client, "services:acv_register"),
    ]:
        assert client.get(reverse(name), params).status_code == 200, (name, value)
