"""Every handover page takes the same number of queries with a few rows as with many: no
query per expression of interest, partner, return, indicator, listing or notice."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from services.models import (
    EoiPartner,
    EoiStatus,
    EoiTransition,
    Indicator,
    IndicatorValue,
    IntentionToBid,
    MonitoringReturn,
    NominationStatus,
    PartnerStatus,
    Rating,
    SaleNotice,
)
from tests.conftest import client_for
from tests.factories import (
    AcvNominationFactory,
    AssetFactory,
    CapacityOfferFactory,
    EoiPartnerFactory,
    ExpressionOfInterestFactory,
    HandoverAgreementFactory,
    OrganisationFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def build(size, group, member, officer):
    """``size`` of everything: expressions of interest (each with ``size`` partners,
    offers and steps), invitations, nominations, listed assets for sale with intentions,
    agreements with ``size`` indicators and returns, all involving ``group``. Inner rows go
    in with bulk_create, so the bigger size stays quick."""
    wards = [WardFactory() for _ in range(size)]
    others = [OrganisationFactory() for _ in range(size)]
    eois, invited = [], []
    for i in range(size):
        eoi = ExpressionOfInterestFactory(
            lead_organisation=group,
            service__wards=wards,
            status=EoiStatus.UNDER_REVIEW,
            submitted_at=timezone.now(),
            decision_due_on=TODAY - DAY if i % 2 else TODAY + DAY,
        )
        eoi.offers.set([CapacityOfferFactory(organisation=group, service=eoi.service)])
        EoiPartner.objects.bulk_create(
            EoiPartner(expression_of_interest=eoi, organisation=o, status=PartnerStatus.ACCEPTED)
            for o in others
        )
        EoiTransition.objects.bulk_create(
            EoiTransition(expression_of_interest=eoi, from_status="draft", to_status=s, by=member)
            for s in ["submitted", "under_review"]
        )
        # ... and an invitation to the group from someone else's.
        theirs = ExpressionOfInterestFactory(lead_organisation=others[i])
        EoiPartnerFactory(expression_of_interest=theirs, organisation=group)
        eois.append(eoi)
        invited.append(theirs)
    assets = []
    for i in range(size):
        asset = AssetFactory(ward=wards[i], owned_by_council=False)
        AcvNominationFactory(
            asset=asset,
            organisation=group,
            status=NominationStatus.LISTED,
            listed_on=TODAY - 30 * DAY,
        )
        AcvNominationFactory(organisation=group)  # waiting for a decision
        notices = SaleNotice.objects.bulk_create(
            SaleNotice(asset=asset, notified_on=TODAY - (n * 600) * DAY) for n in range(size)
        )
        IntentionToBid.objects.bulk_create(
            IntentionToBid(sale_notice=notice, organisation=other)
            for notice in notices
            for other in others
        )
        assets.append(asset)
    agreements = []
    for _ in range(size):
        eoi = ExpressionOfInterestFactory(lead_organisation=group, status=EoiStatus.ACCEPTED)
        agreement = HandoverAgreementFactory(
            expression_of_interest=eoi, starts_on=TODAY - (90 * size + 30) * DAY
        )
        agreement.wards.set(wards)
        indicators = Indicator.objects.bulk_create(
            Indicator(agreement=agreement, name=f"Indicator {n}", target=n) for n in range(size)
        )
        returns = MonitoringReturn.objects.bulk_create(
            MonitoringReturn(
                agreement=agreement,
                period_start=agreement.starts_on + 90 * period * DAY,
                period_end=agreement.starts_on + (90 * period + 89) * DAY,
                due_on=agreement.starts_on + (90 * period + 119) * DAY,
                submitted_at=timezone.now() if period % 3 else None,
                submitted_by=member,
                rating=Rating.GREEN if period % 3 == 1 else "",
            )
            for period in range(size)
        )
        IndicatorValue.objects.bulk_create(
            IndicatorValue(monitoring_return=r, indicator=i, value=n)
            for n, r in enumerate(returns)
            if r.submitted_at
            for i in indicators
        )
        agreements.append(agreement)
    draft = ExpressionOfInterestFactory(lead_organisation=group, capacity_evidence="Lots")
    EoiPartner.objects.bulk_create(
        EoiPartner(expression_of_interest=draft, organisation=o, status=PartnerStatus.ACCEPTED)
        for o in others
    )
    accepted = ExpressionOfInterestFactory(
        lead_organisation=group, status=EoiStatus.ACCEPTED, service__wards=wards
    )
    return {
        "eoi": eois[0],
        "invited": invited[0],
        "draft": draft,
        "accepted": accepted,
        "asset": assets[0],
        "agreement": agreements[0],
    }


# Each signed-in page starts with three queries: the session, the user, and whether the user
# is an officer. Group pages then check the membership (one query, two for the helpers that
# look up the organisation too).
SIGNED_IN = 3


def first_return(made, *, sent):
    returns = made["agreement"].returns.order_by("period_start")
    return returns.filter(submitted_at__isnull=not sent).first()


PAGES = {
    # membership, the group; its expressions of interest, invitations, nominations,
    # agreements, returns to send, listed places for sale
    "group_handover": (
        "member",
        lambda m, g: reverse("services:group_handover", args=[g.pk]),
        SIGNED_IN + 2 + 6,
    ),
    # the expression of interest with its offers, support, partners and steps; the
    # person's groups
    "eoi_detail": (
        "member",
        lambda m, g: reverse("services:eoi_detail", args=[m["eoi"].pk]),
        SIGNED_IN + 5 + 1,
    ),
    # ... and for a partner, its groups again to find its own invitation
    "eoi_detail_partner": (
        "partner",
        lambda m, g: reverse("services:eoi_detail", args=[m["invited"].pk]),
        SIGNED_IN + 5 + 1 + 1 + 1,
    ),
    "eoi_detail_officer": (
        "officer",
        lambda m, g: reverse("services:eoi_detail", args=[m["eoi"].pk]),
        SIGNED_IN + 5 + 1,
    ),
    # the draft with its offers, support, partners and steps; the person's groups; the
    # offers it relies on; partners yet to answer
    "eoi_submit": (
        "member",
        lambda m, g: reverse("services:eoi_submit", args=[m["draft"].pk]),
        SIGNED_IN + 5 + 1 + 1,
    ),
    # the draft, the person's groups; its partners; the groups it could invite
    "eoi_partners": (
        "member",
        lambda m, g: reverse("services:eoi_partners", args=[m["draft"].pk]),
        SIGNED_IN + 2 + 2,
    ),
    # membership, the group; the services and places to choose from, the group's offers
    # (listed, and checked for any), the kinds of support
    "eoi_new": (
        "member",
        lambda m, g: reverse("services:eoi_new", args=[g.pk]),
        SIGNED_IN + 2 + 5,
    ),
    # the expression of interest, the person's groups; the service's wards (chosen), the
    # wards to choose from
    "agreement_new": (
        "officer",
        lambda m, g: reverse("services:agreement_new", args=[m["accepted"].pk]),
        SIGNED_IN + 2 + 2,
    ),
    # membership, the group; the places to choose from, the wards to choose from
    "nominate": (
        "member",
        lambda m, g: reverse("services:nominate", args=[g.pk]),
        SIGNED_IN + 2 + 2,
    ),
    # the rows, the board's counts, the overdue count, the page count
    "pipeline": ("officer", lambda m, g: reverse("services:pipeline"), SIGNED_IN + 4),
    "pipeline_filtered": (
        "officer",
        lambda m, g: reverse("services:pipeline") + "?overdue=on&sort=-group&q=e",
        SIGNED_IN + 4,
    ),
    "pipeline_export": (
        "officer",
        lambda m, g: reverse("services:pipeline") + "?export=csv",
        SIGNED_IN + 1,
    ),
    # the agreement with its wards, indicators and returns; the membership
    "agreement_detail": (
        "member",
        lambda m, g: reverse("services:agreement_detail", args=[m["agreement"].pk]),
        SIGNED_IN + 1 + 4 + 1,
    ),
    "agreement_detail_officer": (
        "officer",
        lambda m, g: reverse("services:agreement_detail", args=[m["agreement"].pk]),
        SIGNED_IN + 4 + 1,
    ),
    # the return, its indicators and values; the membership (twice: access, then links)
    "return_detail": (
        "member",
        lambda m, g: reverse("services:return_detail", args=[first_return(m, sent=True).pk]),
        SIGNED_IN + 3 + 2,
    ),
    "return_send": (
        "member",
        lambda m, g: reverse("services:return_send", args=[first_return(m, sent=False).pk]),
        SIGNED_IN + 3 + 1,
    ),
    "return_review": (
        "officer",
        lambda m, g: reverse("services:return_review", args=[first_return(m, sent=True).pk]),
        SIGNED_IN + 3 + 1,
    ),
    # waiting nominations; listed ones with their notices and intention counts; page count
    "acv_officer": ("officer", lambda m, g: reverse("services:acv_officer"), SIGNED_IN + 4),
    # the nomination (the asset's listing), its notices with intentions
    "nomination_detail": (
        "member",
        lambda m, g: reverse("services:nomination_detail", args=[m["asset"].nominations.get().pk]),
        SIGNED_IN + 1 + 1 + 2,
    ),
    # the agreements running today with the latest rating, their latest returns with
    # values and indicators, the page count, whether any exist, the ward choices
    "accountability": ("anon", lambda m, g: reverse("services:accountability"), 6),
    "accountability_filtered": (
        "anon",
        lambda m, g: reverse("services:accountability") + "?q=e&sort=-since",
        6,
    ),
    # the agreement, its wards, indicators, returns and their values
    "accountability_detail": (
        "anon",
        lambda m, g: reverse("services:accountability_detail", args=[m["agreement"].pk]),
        5,
    ),
    # the listings with their notices and intention counts, the page count
    "acv_register": ("anon", lambda m, g: reverse("services:acv_register"), 3),
    # the gap analysis (4), the groups waiting for review (1) and this six:
    # overdue decisions and returns, returns to review, each listed and counted
    "officer_home": ("officer", lambda m, g: reverse("home"), SIGNED_IN + 4 + 1 + 6),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("size", [2, 7])
def test_each_page_takes_the_same_queries_whatever_the_size(
    page, size, group_a, member_a, officer, django_assert_num_queries
):
    made = build(size, group_a, member_a, officer)
    who, address, expected = PAGES[page]
    member = client_for(member_a)  # group A: the lead, or a partner in another's
    client = {"member": member, "partner": member, "officer": client_for(officer)}.get(who)
    client = client or client_for(None)
    address = address(made, group_a)
    with django_assert_num_queries(expected):
        response = client.get(address)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 7])
def test_the_dashboard_panel_takes_five_queries(
    size, group_a, member_a, officer, django_assert_num_queries
):
    build(size, group_a, member_a, officer)
    template = Template('{% include "services/_group_handover_panel.html" %}')
    with django_assert_num_queries(5):
        html = template.render(Context({"organisation": group_a, "membership": None}))
    assert "Running services and places" in html
