"""Assets of Community Value: nominating, the officer's decision, the owner's notice of
sale, and intentions to bid accepted only inside the 6-week interim moratorium."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from mapping.models import LegalForm, VerificationStatus
from services.actions import HandoverRefused, intention_to_bid_record, sale_notice_record
from services.models import (
    AcvNomination,
    Asset,
    IntentionToBid,
    NominationStatus,
    SaleNotice,
)
from tests.factories import AcvNominationFactory, AssetFactory, SaleNoticeFactory
from tests.handover.conftest import listed

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def url(name, *args):
    return reverse(f"services:{name}", args=args)


@pytest.fixture
def pub(ward):
    return AssetFactory(name="The Kestrel Arms", ward=ward, owned_by_council=False)


# Nominating ----------------------------------------------------------------------------------


def test_a_group_nominates_a_place_the_council_knows(member_a_client, group_a, pub, send):
    group_a.legal_form = LegalForm.CIO
    group_a.save()
    response = send(
        member_a_client.post,
        url("nominate", group_a.pk),
        {"asset": pub.pk, "reason": "The only pub left on the estate."},
    )
    nomination = AcvNomination.objects.get()
    assert response["Location"] == url("nomination_detail", nomination.pk)
    assert (nomination.asset, nomination.organisation, nomination.status) == (
        pub,
        group_a,
        NominationStatus.SUBMITTED,
    )
    assert mail.outbox[-1].subject == "Nomination received: The Kestrel Arms"
    due = nomination.decision_due_on
    assert due == timezone.localdate(nomination.submitted_at) + 55 * DAY
    assert "The council will decide by" in member_a_client.get(response["Location"]).text


def test_a_group_describes_a_place_the_council_does_not_know(member_a_client, group_a, ward):
    response = member_a_client.post(
        url("nominate", group_a.pk),
        {
            "asset": "new",
            "name": "Corner Shop",
            "asset_type": "shop",
            "address": "1 High Street",
            "postcode": " se64ru",
            "ward": ward.pk,
            "owner": "",
            "reason": "The last shop in walking distance.",
            "declared": "on",
        },
    )
    assert response.status_code == 302
    shop = Asset.objects.get(name="Corner Shop")
    assert (shop.postcode, shop.owner, shop.owned_by_council) == ("SE6 4RU", "Not known", False)
    assert AcvNomination.objects.get().asset == shop


def test_a_new_place_needs_describing(member_a_client, group_a):
    response = member_a_client.post(
        url("nominate", group_a.pk),
        {"asset": "new", "postcode": "nonsense", "reason": "x", "declared": "on"},
    )
    errors = response.context["form"].errors
    assert errors["name"] == ["Enter the name of the place"]
    assert errors["asset_type"] == ["Choose what kind of place it is"]
    assert errors["address"] == ["Enter the address"]
    assert errors["ward"] == ["Choose the ward it is in"]
    assert errors["postcode"] == ["Enter a real postcode, like SE6 4RU"]
    assert not Asset.objects.exists()


def test_a_group_whose_form_does_not_show_it_may_nominate_declares_it(
    member_a_client, group_a, pub
):
    assert group_a.legal_form == LegalForm.UNINCORPORATED
    response = member_a_client.post(url("nominate", group_a.pk), {"asset": pub.pk, "reason": "x"})
    assert response.context["form"].errors["declared"] == ["Confirm that your group can do this"]
    assert "at least 21 individual members" in response.text
    assert not AcvNomination.objects.exists()


def test_a_place_waiting_for_a_decision_or_listed_is_not_offered_again(
    member_a_client, group_a, pub
):
    AcvNominationFactory(asset=pub)
    other = AssetFactory(name="Village Hall")
    listed(other)
    choices = dict(
        member_a_client.get(url("nominate", group_a.pk)).context["form"].fields["asset"].choices
    )
    assert str(pub.pk) not in choices and str(other.pk) not in choices
    response = member_a_client.post(
        url("nominate", group_a.pk), {"asset": pub.pk, "reason": "x", "declared": "on"}
    )
    assert "asset" in response.context["form"].errors
    assert AcvNomination.objects.count() == 2


def test_a_group_not_yet_verified_cannot_nominate(member_a_client, group_a, pub):
    group_a.verification_status = VerificationStatus.PENDING
    group_a.save()
    response = member_a_client.post(
        url("nominate", group_a.pk), {"asset": pub.pk, "reason": "x", "declared": "on"}
    )
    assert response["Location"] == url("group_handover", group_a.pk)
    assert not AcvNomination.objects.exists()


def test_only_members_nominate_for_their_group(
    member_b_client, officer_client, anon_client, group_a, pub
):
    data = {"asset": pub.pk, "reason": "x", "declared": "on"}
    assert member_b_client.post(url("nominate", group_a.pk), data).status_code == 404
    assert officer_client.post(url("nominate", group_a.pk), data).status_code == 403
    assert anon_client.post(url("nominate", group_a.pk), data).status_code == 302
    assert member_b_client.put(url("nominate", group_a.pk)).status_code == 405
    assert not AcvNomination.objects.exists()


# The officer's decision ----------------------------------------------------------------------


@pytest.fixture
def nomination(group_a, pub):
    return AcvNominationFactory(asset=pub, organisation=group_a)


def test_an_officer_lists_the_place_for_5_years(
    officer_client, nomination, officer, member_a, send
):
    response = send(
        officer_client.post,
        url("nomination_decide", nomination.pk),
        {
            "decision": "listed",
            "listed_on_day": str(TODAY.day),
            "listed_on_month": str(TODAY.month),
            "listed_on_year": str(TODAY.year),
            "reason": "It furthers the social wellbeing of the community.",
        },
    )
    assert response["Location"] == url("acv_officer")
    nomination.refresh_from_db()
    assert (nomination.status, nomination.listed_on, nomination.decided_by) == (
        NominationStatus.LISTED,
        TODAY,
        officer,
    )
    assert (
        nomination.listing_last_day == datetime.date(TODAY.year + 5, TODAY.month, TODAY.day) - DAY
    )
    assert mail.outbox[-1].subject == "The Kestrel Arms is now an Asset of Community Value"
    page = officer_client.get(url("acv_officer"))
    assert "Record a notice of sale" in page.text


def test_an_officer_decides_not_to_list_with_reasons(officer_client, nomination, member_a, send):
    send(
        officer_client.post,
        url("nomination_decide", nomination.pk),
        {"decision": "not_listed", "reason": "Its main use is private."},
    )
    nomination.refresh_from_db()
    assert (nomination.status, nomination.listed_on) == (NominationStatus.NOT_LISTED, None)
    assert "Its main use is private." in mail.outbox[-1].body


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"decision": "listed"}, "listed_on", "Enter the date it is entered on the list"),
        (
            {
                "decision": "listed",
                "listed_on_day": "1",
                "listed_on_month": "1",
                "listed_on_year": "2099",
            },
            "listed_on",
            "The listing date cannot be in the future",
        ),
        (
            {
                "decision": "listed",
                "listed_on_day": "1",
                "listed_on_month": "1",
                "listed_on_year": "2001",
            },
            "listed_on",
            "The listing date cannot be before the nomination",
        ),
        ({"decision": "maybe"}, "decision", "Select a valid choice"),
        ({"decision": "not_listed", "reason": ""}, "reason", "Give the reasons for the decision"),
    ],
)
def test_it_explains_a_bad_decision(officer_client, nomination, data, field, message):
    data = {"reason": "Because"} | data
    response = officer_client.post(url("nomination_decide", nomination.pk), data)
    assert any(message in e for e in response.context["form"].errors[field])
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.SUBMITTED


def test_only_officers_decide_and_only_once(member_a_client, officer_client, nomination):
    data = {"decision": "not_listed", "reason": "No"}
    assert member_a_client.get(url("nomination_decide", nomination.pk)).status_code == 403
    assert member_a_client.get(url("nomination_detail", nomination.pk)).status_code == 200
    officer_client.post(url("nomination_decide", nomination.pk), data)
    response = officer_client.post(
        url("nomination_decide", nomination.pk), data | {"decision": "listed"}
    )
    assert response["Location"] == url("nomination_detail", nomination.pk)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.NOT_LISTED


def test_other_groups_cannot_see_a_nomination(member_b_client, anon_client, nomination):
    assert member_b_client.get(url("nomination_detail", nomination.pk)).status_code == 404
    assert anon_client.get(url("nomination_detail", nomination.pk)).status_code == 302
    assert member_b_client.post(url("nomination_detail", nomination.pk)).status_code == 405


# The owner's notice of sale ------------------------------------------------------------------


def notice_data(day):
    return {
        "notified_on_day": str(day.day),
        "notified_on_month": str(day.month),
        "notified_on_year": str(day.year),
    }


def test_an_officer_records_a_notice_and_the_nominating_group_is_told(
    officer_client, pub, group_a, member_a, send
):
    listed(pub, organisation=group_a)
    notified = TODAY - 2 * DAY
    response = send(officer_client.post, url("sale_notice_new", pub.pk), notice_data(notified))
    assert response["Location"] == url("acv_officer")
    notice = SaleNotice.objects.get()
    assert notice.notified_on == notified
    message = mail.outbox[-1]
    assert message.to == ["alice@group-a.test"]
    last = notified + 41 * DAY
    assert f"until the end of {last.day} {last:%B %Y}" in message.body


def test_a_notice_for_a_place_not_listed_is_refused(officer_client, pub):
    response = officer_client.post(url("sale_notice_new", pub.pk), notice_data(TODAY))
    assert (
        "was not listed as an Asset of Community Value"
        in (response.context["form"].errors["notified_on"][0])
    )
    assert not SaleNotice.objects.exists()


def test_a_notice_inside_the_protected_period_starts_no_new_moratorium(pub, officer):
    listed(pub, listed_on=TODAY - 800 * DAY)
    sale_notice_record(asset=pub, notified_on=TODAY - 600 * DAY, by=officer)
    with pytest.raises(HandoverRefused, match="protects the sale until"):
        sale_notice_record(asset=pub, notified_on=TODAY - 300 * DAY, by=officer)
    # After 18 months the owner must give notice again, with a new moratorium.
    sale_notice_record(asset=pub, notified_on=TODAY, by=officer)
    assert SaleNotice.objects.count() == 2


def test_a_notice_cannot_be_dated_in_the_future(officer_client, pub):
    listed(pub)
    response = officer_client.post(url("sale_notice_new", pub.pk), notice_data(TODAY + DAY))
    assert response.context["form"].errors["notified_on"] == ["The date cannot be in the future"]


def test_only_officers_record_notices(member_a_client, anon_client, officer_client, pub):
    listed(pub)
    assert (
        member_a_client.post(url("sale_notice_new", pub.pk), notice_data(TODAY)).status_code == 403
    )
    assert anon_client.get(url("sale_notice_new", pub.pk)).status_code == 302
    assert officer_client.get(url("sale_notice_new", 999999)).status_code == 404
    assert not SaleNotice.objects.exists()


# Intentions to bid ---------------------------------------------------------------------------


@pytest.fixture
def charity(group_a):
    group_a.legal_form = LegalForm.CIO
    group_a.save()
    return group_a


def test_a_charity_says_it_intends_to_bid_and_is_told_the_dates(
    member_a_client, charity, pub, member_a, send
):
    listed(pub)
    notice = SaleNoticeFactory(asset=pub, notified_on=TODAY - 3 * DAY)
    address = url("intention_to_bid", charity.pk, notice.pk)
    page = member_a_client.get(address)
    assert "As a Charitable incorporated organisation (CIO), your group can bid." in page.text
    response = send(member_a_client.post, address, {})
    assert response["Location"] == url("group_handover", charity.pk)
    intention = IntentionToBid.objects.get()
    assert (intention.organisation, intention.recorded_by) == (charity, member_a)
    assert mail.outbox[-1].subject == "Intention to bid received: The Kestrel Arms"


@pytest.mark.parametrize(
    ("days_ago", "accepted"),
    [
        (0, True),  # the day of the notice
        (41, True),  # the last day of the 6 weeks
        (42, False),  # the day after
        (200, False),
    ],
)
def test_intentions_are_accepted_only_inside_the_interim_window(
    member_a_client, charity, pub, days_ago, accepted
):
    listed(pub)
    notice = SaleNoticeFactory(asset=pub, notified_on=TODAY - days_ago * DAY)
    response = member_a_client.post(url("intention_to_bid", charity.pk, notice.pk), {})
    assert IntentionToBid.objects.exists() == accepted
    if not accepted:
        assert response.status_code == 200
        assert "That time has passed, so the council cannot accept it." in response.text


def test_the_window_is_checked_at_the_moment_of_recording(charity, pub, member_a):
    notice = SaleNoticeFactory(asset=pub, notified_on=datetime.date(2026, 3, 2))
    with pytest.raises(HandoverRefused, match="from 2 March 2026 to 12 April 2026"):
        intention_to_bid_record(
            notice=notice,
            organisation=charity,
            declared=False,
            by=member_a,
            on=datetime.date(2026, 4, 13),
        )
    with pytest.raises(HandoverRefused, match="dated 2 March 2026"):
        intention_to_bid_record(
            notice=notice,
            organisation=charity,
            declared=False,
            by=member_a,
            on=datetime.date(2026, 3, 1),
        )
    intention_to_bid_record(
        notice=notice,
        organisation=charity,
        declared=False,
        by=member_a,
        on=datetime.date(2026, 4, 12),
    )
    with pytest.raises(HandoverRefused, match="already said it intends to bid"):
        intention_to_bid_record(
            notice=notice,
            organisation=charity,
            declared=False,
            by=member_a,
            on=datetime.date(2026, 4, 12),
        )
    assert IntentionToBid.objects.count() == 1


def test_an_unincorporated_group_must_declare_it_can_bid(member_a_client, group_a, pub):
    notice = SaleNoticeFactory(asset=pub)
    address = url("intention_to_bid", group_a.pk, notice.pk)
    response = member_a_client.post(address, {})
    assert response.context["form"].errors["declared"] == ["Confirm that your group can do this"]
    assert not IntentionToBid.objects.exists()
    member_a_client.post(address, {"declared": "on"})
    assert IntentionToBid.objects.get().organisation == group_a


def test_a_group_not_verified_cannot_bid(member_a_client, charity, pub, member_a):
    charity.verification_status = VerificationStatus.PENDING
    charity.save()
    notice = SaleNoticeFactory(asset=pub)
    response = member_a_client.post(url("intention_to_bid", charity.pk, notice.pk), {})
    assert response["Location"] == url("group_handover", charity.pk)
    with pytest.raises(HandoverRefused, match="Only a group the council has verified"):
        intention_to_bid_record(notice=notice, organisation=charity, declared=True, by=member_a)
    assert not IntentionToBid.objects.exists()


def test_only_a_groups_members_say_it_intends_to_bid(
    member_b_client, officer_client, anon_client, charity, pub
):
    notice = SaleNoticeFactory(asset=pub)
    address = url("intention_to_bid", charity.pk, notice.pk)
    assert member_b_client.post(address, {"declared": "on"}).status_code == 404
    assert officer_client.post(address, {"declared": "on"}).status_code == 403
    assert anon_client.post(address, {}).status_code == 302
    assert member_b_client.get(url("intention_to_bid", charity.pk, 999999)).status_code == 404
    assert not IntentionToBid.objects.exists()


def test_the_group_page_offers_places_for_sale(member_a_client, charity, pub):
    listed(pub)
    notice = SaleNoticeFactory(asset=pub, notified_on=TODAY - 10 * DAY)
    text = member_a_client.get(url("group_handover", charity.pk)).text
    assert f'href="{url("intention_to_bid", charity.pk, notice.pk)}"' in text
    IntentionToBid.objects.create(sale_notice=notice, organisation=charity)
    text = member_a_client.get(url("group_handover", charity.pk)).text
    assert "your group has said it intends to bid" in text


# The public list -----------------------------------------------------------------------------


def test_the_public_list_shows_current_listings_and_sales(anon_client, pub):
    listed(pub, listed_on=TODAY - 100 * DAY)
    SaleNoticeFactory(asset=pub, notified_on=TODAY - 5 * DAY)
    expired = AssetFactory(name="Old Cinema")
    listed(expired, listed_on=TODAY - 6 * 366 * DAY)
    waiting = AssetFactory(name="Corner Shop")
    AcvNominationFactory(asset=waiting)
    response = anon_client.get(url("acv_register"))
    assert [n.asset.name for n in response.context["page_obj"]] == ["The Kestrel Arms"]
    assert "Community groups can say they intend to bid until" in response.text
    assert anon_client.post(url("acv_register")).status_code == 405


def test_officers_see_nominations_waiting_and_listings(
    officer_client, nomination, member_a_client
):
    response = officer_client.get(url("acv_officer"))
    assert list(response.context["waiting"]) == [nomination]
    assert member_a_client.get(url("acv_officer")).status_code == 403
