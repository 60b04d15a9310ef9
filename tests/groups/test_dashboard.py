"""The group's own pages: your groups, the dashboard, and who may see them."""

import pytest
from django.urls import reverse

from mapping.models import Membership, MembershipRole, VerificationStatus
from tests.conftest import client_for
from tests.factories import CapacityOfferFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

MY_GROUPS = reverse("mapping:my_groups")


def dashboard(organisation):
    return reverse("mapping:group_dashboard", args=[organisation.pk])


def test_with_one_group_your_groups_opens_it(member_a_client, group_a):
    response = member_a_client.get(MY_GROUPS)
    assert response.status_code == 302 and response.url == dashboard(group_a)


def test_with_several_groups_your_groups_lists_them(member_a_client, member_a):
    second = OrganisationFactory(
        name="Second Group", verification_status=VerificationStatus.PENDING
    )
    Membership.objects.create(user=member_a, organisation=second, role=MembershipRole.EDITOR)
    response = member_a_client.get(MY_GROUPS)
    assert response.status_code == 200
    assert "Group A Friends of the Park" in response.text
    assert "Second Group" in response.text and "Waiting for review" in response.text
    assert "Register another group" in response.text


def test_with_no_group_it_says_what_to_do_next():
    response = client_for(UserFactory()).get(MY_GROUPS)
    assert "You do not help manage any group yet" in response.text
    assert reverse("mapping:organisation_register") in response.text


def test_an_unconfirmed_person_is_asked_to_confirm_first():
    response = client_for(UserFactory(email_confirmed_at=None)).get(MY_GROUPS)
    assert "Confirm your email address to register a group" in response.text
    assert reverse("accounts:resend_confirmation") in response.text
    assert 'href="/groups/register/"' not in response.text


def test_the_dashboard_shows_profile_offers_members_and_status(
    member_a_client, group_a, service, wards
):
    CapacityOfferFactory(organisation=group_a, service=service, wards=wards[:1])
    response = member_a_client.get(dashboard(group_a))
    assert response.status_code == 200
    page = response.text
    assert page.count("<h1") == 1
    for text in [
        "Group A Friends of the Park",
        "Verified",
        "What the group offers to do",
        "Litter picking",
        "Ready now",
        "Bellingham",
        "The group's details",
        "1 person helps manage the group",
        "Invite or manage members",
    ]:
        assert text in page, text
    assert reverse("mapping:offer_edit", args=[group_a.pk, group_a.offers.get().pk]) in page
    assert "services/_group_handover_panel.html" in [t.name for t in response.templates]
    assert response.context["membership"].user.email == "alice@group-a.test"


def test_a_pending_group_is_told_its_offers_do_not_count_yet(member_a_client, group_a):
    group_a.verification_status = VerificationStatus.PENDING
    group_a.save()
    page = member_a_client.get(dashboard(group_a)).text
    assert "Waiting for review" in page
    assert "its offers do not count" in page


def test_a_rejected_group_sees_the_reason_and_how_to_put_it_right(member_a_client, group_a):
    group_a.verification_status = VerificationStatus.REJECTED
    group_a.verification_reason = "We could not find charity 1123456 on the register."
    group_a.save()
    page = member_a_client.get(dashboard(group_a)).text
    assert "could not verify this group" in page
    assert "We could not find charity 1123456 on the register." in page
    assert reverse("mapping:group_profile_edit", args=[group_a.pk]) in page


def test_with_no_offers_it_says_what_to_do_next(member_a_client, group_a):
    page = member_a_client.get(dashboard(group_a)).text
    assert "The group has not said what it could do yet" in page
    assert reverse("mapping:offer_choose_service", args=[group_a.pk]) in page


def test_withdrawn_offers_are_left_off_the_dashboard(member_a_client, group_a, service):
    offer = CapacityOfferFactory(organisation=group_a, service=service)
    offer.withdraw()
    page = member_a_client.get(dashboard(group_a)).text
    assert "Litter picking" not in page
    assert "See the offers the group has withdrawn" in page


def test_an_editor_is_not_offered_member_management(editor_a_client, group_a):
    page = editor_a_client.get(dashboard(group_a)).text
    assert "See who manages the group" in page
    assert "Invite or manage members" not in page


def test_another_groups_dashboard_is_not_found(member_a_client, group_b):
    assert member_a_client.get(dashboard(group_b)).status_code == 404


def test_a_missing_group_is_not_found(member_a_client):
    assert member_a_client.get(reverse("mapping:group_dashboard", args=[99999])).status_code == 404


def test_an_officer_is_sent_to_their_own_page_about_the_group(officer_client, group_a):
    response = officer_client.get(dashboard(group_a))
    assert response.status_code == 302
    assert response.url == reverse("mapping:organisation_detail", args=[group_a.pk])


@pytest.mark.parametrize("url", [MY_GROUPS, "dashboard"])
def test_anonymous_people_are_asked_to_sign_in(anon_client, group_a, url):
    url = dashboard(group_a) if url == "dashboard" else url
    response = anon_client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign_in"))


@pytest.mark.parametrize("url", [MY_GROUPS, "dashboard"])
def test_they_are_read_only_pages(member_a_client, group_a, url):
    url = dashboard(group_a) if url == "dashboard" else url
    assert member_a_client.post(url).status_code == 405


def test_the_navigation_and_home_page_lead_members_to_their_groups(member_a_client):
    page = member_a_client.get(reverse("home")).text
    assert 'href="/groups/"' in page
    assert "Your groups" in page
