"""The officer's review of new groups: the queue, the decision, the email to the group's
owners, and the effect on the gap analysis."""

import pytest
from django.core import mail
from django.urls import reverse

from mapping.gaps import GapClass, analyse
from mapping.models import Membership, MembershipRole, Organisation, VerificationStatus
from services.models import Service
from tests.factories import (
    CapacityOfferFactory,
    OrganisationFactory,
    ServiceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("mapping:review_queue")


def review_url(organisation):
    return reverse("mapping:review_organisation", args=[organisation.pk])


@pytest.fixture
def pending(db):
    organisation = OrganisationFactory(
        name="Manor House Friends",
        verification_status=VerificationStatus.PENDING,
        charity_number="1123456",
        company_number="01234567",
    )
    owner = UserFactory(email="tina@example.org", full_name="Tina Treasurer")
    Membership.objects.create(user=owner, organisation=organisation, role=MembershipRole.OWNER)
    editor = UserFactory(email="eddie@example.org")
    Membership.objects.create(user=editor, organisation=organisation, role=MembershipRole.EDITOR)
    return organisation


def test_the_queue_lists_groups_waiting_for_review_with_what_they_entered(
    officer_client, pending, group_a
):
    response = officer_client.get(QUEUE)
    assert response.status_code == 200
    page = response.text
    assert page.count("<h1") == 1
    for text in ["Manor House Friends", "Charity 1123456", "Company 01234567", "Tina Treasurer"]:
        assert text in page
    assert review_url(pending) in page
    assert "Group A Friends of the Park" not in page  # verified: not waiting


def test_the_queue_can_show_rejected_groups(officer_client, pending, group_a):
    group_a.verification_status = VerificationStatus.REJECTED
    group_a.save()
    page = officer_client.get(QUEUE + "?status=rejected").text
    assert "Group A Friends of the Park" in page and "Manor House Friends" not in page


def test_an_empty_queue_says_so(officer_client):
    assert "No groups are waiting for review" in officer_client.get(QUEUE).text


def test_a_tampered_filter_falls_back_to_the_pending_groups(officer_client, pending):
    response = officer_client.get(QUEUE + "?status=")
    assert "Manor House Friends" in response.text


def test_the_review_page_shows_everything_and_where_to_check_the_numbers(
    officer_client, pending, service
):
    CapacityOfferFactory(organisation=pending, service=service)
    response = officer_client.get(review_url(pending))
    assert response.status_code == 200
    page = response.text
    for text in [
        "Review Manor House Friends",
        "Waiting for review",
        "Tina Treasurer, tina@example.org",
        "Litter picking",
        "charity-details/1123456",
        "company/01234567",
    ]:
        assert text in page, text


def test_an_officer_verifies_a_group_and_its_owners_are_told(officer_client, officer, pending):
    response = officer_client.post(
        review_url(pending), {"decision": "verify", "reason": "", "version": pending.version}
    )
    assert response.status_code == 302 and response.url == QUEUE
    pending.refresh_from_db()
    assert pending.verification_status == VerificationStatus.VERIFIED
    assert pending.verified_by == officer and pending.verified_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["tina@example.org"]  # owners, not editors
    assert "Manor House Friends has been verified" in mail.outbox[0].subject
    assert reverse("mapping:group_dashboard", args=[pending.pk]) in mail.outbox[0].body
    assert "is verified: its offers now count" in officer_client.get(QUEUE).text


def test_rejecting_needs_a_reason_which_the_owners_are_sent(officer_client, officer, pending):
    response = officer_client.post(
        review_url(pending), {"decision": "reject", "reason": "  ", "version": 1}
    )
    assert response.status_code == 200
    assert "Enter the reason for rejecting the group" in response.text
    assert 'href="#id_reason"' in response.text
    pending.refresh_from_db()
    assert pending.verification_status == VerificationStatus.PENDING

    reason = "We could not find charity 1123456 on the register. Please check the number."
    officer_client.post(
        review_url(pending), {"decision": "reject", "reason": reason, "version": 1}
    )
    pending.refresh_from_db()
    assert pending.verification_status == VerificationStatus.REJECTED
    assert pending.verification_reason == reason
    assert pending.verified_by == officer
    assert "has not been verified" in mail.outbox[0].subject
    assert reason in mail.outbox[0].body
    # The group sees it too.
    owner = Membership.objects.get(organisation=pending, role=MembershipRole.OWNER).user
    from tests.conftest import client_for

    page = client_for(owner).get(reverse("mapping:group_dashboard", args=[pending.pk])).text
    assert "We could not find charity 1123456 on the register." in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "", "version": "1"}, "Select verify or reject"),
        ({"decision": "maybe", "version": "1"}, "Select verify or reject"),
        ({"decision": "reject", "reason": "x" * 2001, "version": "1"}, "2,000 characters"),
        ({"decision": "verify"}, "This page was out of date"),
    ],
)
def test_bad_decisions_are_explained(officer_client, pending, data, message):
    response = officer_client.post(review_url(pending), data)
    assert response.status_code == 200
    assert message in response.text
    pending.refresh_from_db()
    assert pending.verification_status == VerificationStatus.PENDING
    assert not mail.outbox


def test_if_the_group_changed_its_details_meanwhile_nothing_is_decided(officer_client, pending):
    opened_at = pending.version
    Organisation.objects.filter(pk=pending.pk).update(
        version=opened_at + 1, charity_number="1999999"
    )
    response = officer_client.post(
        review_url(pending), {"decision": "verify", "version": opened_at}
    )
    assert response.status_code == 409
    assert "The group changed its details while you were reviewing it" in response.text
    assert "1999999" in response.text  # the details as they are now
    assert f'name="version" value="{opened_at + 1}"' in response.text
    pending.refresh_from_db()
    assert pending.verification_status == VerificationStatus.PENDING
    assert not mail.outbox


def test_a_mail_failure_keeps_the_decision_and_says_so(officer_client, pending, monkeypatch):
    from mapping.views import review

    monkeypatch.setattr(review, "send_review_outcome", lambda organisation: False)
    response = officer_client.post(
        review_url(pending), {"decision": "verify", "version": 1}, follow=True
    )
    assert "We could not email the group" in response.text
    pending.refresh_from_db()
    assert pending.is_verified


def test_verifying_through_the_page_brings_the_groups_offers_into_the_gap_analysis(
    officer_client, pending, wards
):
    service = ServiceFactory(volunteer_hours_needed=20, wards=wards[:1])
    other = OrganisationFactory()
    for organisation in (pending, other):
        CapacityOfferFactory(
            organisation=organisation,
            service=service,
            wards=wards[:1],
            volunteer_hours_per_month=20,
        )

    def cell():
        result = analyse(services=Service.objects.filter(pk=service.pk), with_demand=False)
        return result.cell(service.pk, wards[0].pk)

    before = cell()
    assert (before.organisations, before.gap_class) == (1, GapClass.FRAGILE)
    officer_client.post(review_url(pending), {"decision": "verify", "version": pending.version})
    after = cell()
    assert after.organisations == 2
    assert after.capacity > before.capacity
    assert after.gap_class == GapClass.COVERED


def test_the_officer_home_counts_the_groups_waiting_and_links_to_them(officer_client, pending):
    page = officer_client.get(reverse("home")).text
    assert "1 community group is waiting for the council to check it" in page
    assert QUEUE in page


def test_the_officers_page_about_a_group_links_to_its_review(officer_client, pending):
    page = officer_client.get(reverse("mapping:organisation_detail", args=[pending.pk])).text
    assert review_url(pending) in page


@pytest.mark.parametrize("url", [QUEUE, "review"])
def test_members_are_forbidden_and_anonymous_people_sign_in(
    member_a_client, anon_client, pending, url
):
    url = review_url(pending) if url == "review" else url
    assert member_a_client.get(url).status_code == 403
    assert member_a_client.post(url, {"decision": "verify", "version": 1}).status_code == 403
    response = anon_client.post(url, {"decision": "verify", "version": 1})
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:sign_in"))
    pending.refresh_from_db()
    assert pending.verification_status == VerificationStatus.PENDING


def test_a_missing_group_is_not_found(officer_client):
    assert (
        officer_client.get(reverse("mapping:review_organisation", args=[9999])).status_code == 404
    )


def test_the_queue_is_read_only_and_the_review_refuses_other_methods(officer_client, pending):
    assert officer_client.post(QUEUE).status_code == 405
    assert officer_client.put(review_url(pending)).status_code == 405
