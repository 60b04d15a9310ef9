"""A volunteer treasurer on a phone signs up, confirms their address, registers the group
and adds two offers; an officer verifies the group. Every page passes axe (WCAG 2.2 A and
AA) and fits a 375 px screen."""

import re

import pytest
from django.core import mail
from django.core.cache import cache

from mapping.models import CapacityOffer, Organisation, VerificationStatus
from services.models import RiskTier
from tests.browser.conftest import assert_accessible, assert_fits_width, screenshot, sign_in
from tests.conftest import PASSWORD
from tests.factories import (
    ServiceCategoryFactory,
    ServiceFactory,
    SupportNeedFactory,
    WardFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TREASURER_PASSWORD = "orange bicycle lamp river"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture
def borough():
    wards = [WardFactory(name=name) for name in ("Bellingham", "Catford South", "Ladywell")]
    parks = ServiceCategoryFactory(name="Parks and green spaces", slug="parks")
    care = ServiceCategoryFactory(
        name="Adult social care", slug="adult-social-care", default_risk_tier=RiskTier.HIGH
    )
    litter = ServiceFactory(name="Litter picking", category=parks, wards=wards)
    gardens = ServiceFactory(name="Community gardens", category=parks, wards=wards[:2])
    ServiceFactory(name="Home care visits", category=care, risk_tier=RiskTier.HIGH, wards=wards)
    SupportNeedFactory(code="training", name="Training")
    SupportNeedFactory(code="insurance", name="Insurance")
    return wards, litter, gardens


def check(page, name):
    html = page.content()
    assert "{#" not in html and "{%" not in html, "template syntax leaked into the page"
    assert_accessible(page)
    assert_fits_width(page)
    screenshot(page, name)


def submit(page, name):
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()


def emailed_link(fragment):
    body = mail.outbox[-1].body
    return re.search(r"https?://[^/\s]+(/\S*" + fragment + r"\S*)", body).group(1)


@pytest.mark.usefixtures("borough")
def test_a_treasurer_registers_the_group_and_two_offers_and_an_officer_verifies_it(
    phone, page, live_server, officer
):
    # Sign up, making the mistakes a tired person makes.
    phone.goto(f"{live_server.url}/")
    phone.get_by_role("link", name="Register your group").click()
    check(phone, "groups-sign-up-phone")
    phone.get_by_label("Your full name").fill("Tina Treasurer")
    phone.get_by_label("Email address").fill("Tina@Example.org")
    phone.get_by_label("Create a password").fill("password")
    submit(phone, "Create account")
    summary = phone.inner_text(".govuk-error-summary")
    assert "at least 12 characters" in summary and "Tick the box" in summary
    check(phone, "groups-sign-up-errors-phone")
    phone.get_by_label("Create a password").fill(TREASURER_PASSWORD)
    phone.get_by_label("I have read the privacy notice").check()
    submit(phone, "Create account")
    assert phone.get_by_role("heading", level=1).inner_text() == "Check your email"
    check(phone, "groups-check-email-phone")

    # Confirm by the emailed link, then sign in.
    phone.goto(live_server.url + emailed_link("confirm-email/"))
    assert "Your email address is confirmed" in phone.inner_text("main")
    check(phone, "groups-email-confirmed-phone")
    phone.get_by_role("link", name="Sign in").last.click()
    phone.get_by_label("Email address").fill("tina@example.org")
    phone.get_by_label("Password").fill(TREASURER_PASSWORD)
    submit(phone, "Sign in")

    # Register the group: first with mistakes, then properly.
    assert phone.get_by_role("heading", level=1).inner_text() == "Register your group"
    check(phone, "groups-register-phone")
    phone.get_by_label("Name of the group").fill("Friends of Manor House Gardens")
    phone.get_by_label("'Friends of' group").check()
    phone.get_by_label("Registered charity number (if it has one)").fill("12 34")
    phone.get_by_label("In some wards").check()
    phone.get_by_label("Number of volunteers").fill("about ten")
    phone.get_by_label("Postcode").fill("se13")
    submit(phone, "Register the group")
    summary = phone.inner_text(".govuk-error-summary")
    for message in [
        "Enter the charity number in the right format",
        "Say what the group does",
        "Select the wards where the group works",
        "Enter the number of volunteers as a whole number",
        "Enter a real postcode",
    ]:
        assert message in summary
    check(phone, "groups-register-errors-phone")
    phone.get_by_label("Registered charity number (if it has one)").fill("1123456")
    phone.get_by_label("What does the group do?").fill("We look after Manor House Gardens.")
    phone.get_by_label("Bellingham").check()
    phone.get_by_label("Ladywell").check()
    phone.get_by_label("Number of volunteers").fill("12")
    phone.get_by_label("Number of paid staff").fill("0")
    phone.get_by_label("Under £10,000 a year").check()
    phone.get_by_label("Postcode").fill("se13 5sy")
    submit(phone, "Register the group")
    assert "is registered" in phone.inner_text(".govuk-notification-banner")
    assert "Waiting for review" in phone.inner_text("main")
    check(phone, "groups-dashboard-new-phone")

    # First offer: browse the catalogue by kind of service.
    phone.get_by_role("link", name="Add an offer").click()
    check(phone, "groups-choose-service-phone")
    phone.get_by_role("link", name="Parks and green spaces").click()
    check(phone, "groups-choose-service-parks-phone")
    phone.get_by_role("link", name="Litter picking").click()
    submit(phone, "Add the offer")
    check(phone, "groups-offer-errors-phone")
    phone.get_by_label("Everywhere the service runs (3 wards)").check()
    phone.get_by_label("Ready now").check()
    phone.get_by_label("Volunteer alongside council staff").check()
    phone.get_by_label("Volunteer hours a month").fill("20")
    phone.get_by_label("Number of volunteers").fill("6")
    phone.get_by_label("Training").check()
    check(phone, "groups-offer-form-phone")
    submit(phone, "Add the offer")
    assert "Your offer for Litter picking has been added" in phone.inner_text("main")

    # Second offer: find the service by name, in some wards only.
    phone.get_by_role("link", name="Add an offer").click()
    phone.get_by_label("Search by name").fill("gardens")
    submit(phone, "Search")
    phone.get_by_role("link", name="Community gardens").click()
    phone.get_by_label("In some of these wards").check()
    phone.get_by_label("Catford South").check()
    phone.get_by_label("Ready with support").check()
    phone.get_by_label("Run a building or space").check()
    phone.get_by_label("Volunteer hours a month").fill("8")
    phone.get_by_label("Number of volunteers").fill("3")
    phone.get_by_label("Day", exact=True).fill("1")
    phone.get_by_label("Month", exact=True).fill("9")
    phone.get_by_label("Year", exact=True).fill("2027")
    submit(phone, "Add the offer")

    # Both offers on the dashboard.
    main = phone.inner_text("main")
    assert "Your offer for Community gardens has been added" in main
    assert "offered to help with 2 services" in main
    for text in ["Litter picking", "Community gardens", "Ready now", "Ready with support"]:
        assert text in main
    check(phone, "groups-dashboard-two-offers-phone")
    organisation = Organisation.objects.get(name="Friends of Manor House Gardens")
    assert organisation.verification_status == VerificationStatus.PENDING
    assert CapacityOffer.objects.filter(organisation=organisation).count() == 2

    # An officer verifies the group from the review queue.
    sign_in(page, live_server, officer.email, PASSWORD)
    assert "1 community group is waiting" in page.inner_text("main")
    page.get_by_role("link", name="Review groups").click()
    check(page, "groups-review-queue")
    page.get_by_role("link", name="Friends of Manor House Gardens").click()
    assert "Tina Treasurer, tina@example.org" in page.inner_text("main")
    submit(page, "Save the decision")
    assert "Select verify or reject" in page.inner_text(".govuk-error-summary")
    check(page, "groups-review-errors")
    page.get_by_label("Verify the group").check()
    submit(page, "Save the decision")
    assert "is verified: its offers now count" in page.inner_text("main")
    assert "No groups are waiting for review" in page.inner_text("main")
    check(page, "groups-review-queue-empty")
    organisation.refresh_from_db()
    assert organisation.verification_status == VerificationStatus.VERIFIED
    assert organisation.verified_by == officer
    assert "has been verified" in mail.outbox[-1].subject

    # The treasurer sees it.
    phone.reload()
    assert "Verified" in phone.inner_text("main")
    assert "Waiting for review" not in phone.inner_text("main")


def test_the_member_pages_are_accessible_and_fit_a_phone(phone, live_server, borough):
    from mapping.models import Membership, MembershipRole
    from tests.factories import CapacityOfferFactory, OrganisationFactory, UserFactory

    wards, litter, _gardens = borough
    owner = UserFactory(email="tina@example.org", full_name="Tina Treasurer")
    group = OrganisationFactory(name="Friends of Manor House Gardens", wards_served=wards)
    Membership.objects.create(user=owner, organisation=group, role=MembershipRole.OWNER)
    editor = UserFactory(email="eddie@example.org", full_name="Eddie Editor")
    Membership.objects.create(user=editor, organisation=group, role=MembershipRole.EDITOR)
    offer = CapacityOfferFactory(organisation=group, service=litter, wards=wards)
    sign_in(phone, live_server, owner.email, PASSWORD)

    base = f"{live_server.url}/groups/{group.pk}"
    phone.goto(f"{base}/members/")
    check(phone, "groups-members-phone")
    phone.get_by_role("link", name="Invite someone").click()
    phone.get_by_label("Their email address").fill("sam@")
    submit(phone, "Send the invitation")
    assert "Enter an email address in the correct format" in phone.inner_text("main")
    check(phone, "groups-invite-errors-phone")
    phone.get_by_label("Their email address").fill("sam@example.org")
    submit(phone, "Send the invitation")
    assert "We have emailed an invitation to sam@example.org" in phone.inner_text("main")
    check(phone, "groups-members-invited-phone")

    for path, name in [
        ("/details/", "groups-profile-edit-phone"),
        (f"/members/{editor.memberships.get().pk}/role/", "groups-member-role-phone"),
        (f"/members/{editor.memberships.get().pk}/remove/", "groups-member-remove-phone"),
        ("/leave/", "groups-leave-last-owner-phone"),
        ("/offers/", "groups-offer-list-phone"),
        (f"/offers/{offer.pk}/", "groups-offer-edit-phone"),
        (f"/offers/{offer.pk}/withdraw/", "groups-offer-withdraw-phone"),
    ]:
        phone.goto(base + path)
        check(phone, name)

    # The invitation page, as the invited person sees it before signing in.
    invited = phone.context.browser.new_context(viewport={"width": 375, "height": 740})
    stranger = invited.new_page()
    stranger.goto(live_server.url + emailed_link("groups/invitations/"))
    assert "Tina Treasurer has invited you" in stranger.inner_text("main")
    check(stranger, "groups-invitation-phone")
    invited.close()


@pytest.mark.usefixtures("borough")
def test_registering_works_without_javascript(browser, live_server):
    """The ward boxes appear under "In some wards" by the stylesheet alone, and the form
    works with scripts off."""
    from tests.factories import UserFactory

    UserFactory(email="tina@example.org")
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 375, "height": 740}
    )
    phone = context.new_page()
    sign_in(phone, live_server, "tina@example.org", PASSWORD)
    phone.goto(f"{live_server.url}/groups/register/")
    assert not phone.get_by_label("Ladywell").is_visible()
    phone.get_by_label("In some wards").check()
    assert phone.get_by_label("Ladywell").is_visible()
    phone.get_by_label("Name of the group").fill("Ladywell Litter Pickers")
    phone.get_by_label("Informal group").check()
    phone.get_by_label("What does the group do?").fill("Monthly litter picks.")
    phone.get_by_label("Across the whole borough").check()
    phone.get_by_label("Number of volunteers").fill("8")
    phone.get_by_label("Number of paid staff").fill("0")
    phone.get_by_label("No regular income").check()
    phone.get_by_label("Postcode").fill("SE4 1UT")
    submit(phone, "Register the group")
    assert "is registered" in phone.inner_text("main")
    assert Organisation.objects.get(name="Ladywell Litter Pickers").serves_whole_borough
    context.close()


def test_the_officer_review_pages_fit_a_phone(phone, live_server, officer):
    from mapping.models import Membership, MembershipRole
    from tests.factories import OrganisationFactory, UserFactory

    waiting = OrganisationFactory(
        name="Manor House Friends",
        verification_status=VerificationStatus.PENDING,
        charity_number="1123456",
        company_number="01234567",
    )
    Membership.objects.create(
        user=UserFactory(full_name="Tina Treasurer"),
        organisation=waiting,
        role=MembershipRole.OWNER,
    )
    sign_in(phone, live_server, officer.email, PASSWORD)
    phone.goto(f"{live_server.url}/officer/groups/review/")
    check(phone, "groups-review-queue-phone")
    phone.get_by_role("link", name="Manor House Friends").click()
    phone.get_by_label("Reject the group").check()
    submit(phone, "Save the decision")
    assert "Enter the reason for rejecting the group" in phone.inner_text(".govuk-error-summary")
    check(phone, "groups-review-reject-errors-phone")


def test_the_pages_that_explain_a_problem_are_accessible(phone, live_server):
    """Dead ends must still be clear: a broken or expired link, an invitation for someone
    else, an address not yet confirmed, a person with no group yet."""
    import datetime

    from django.utils import timezone

    from mapping.invitations import invitation_token
    from mapping.models import Invitation
    from tests.factories import InvitationFactory, OrganisationFactory, UserFactory

    group = OrganisationFactory(name="Friends of Manor House Gardens")
    invitation = InvitationFactory(organisation=group, email="sam@example.org")
    expired = InvitationFactory(organisation=group, email="old@example.org")
    Invitation.objects.filter(pk=expired.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=30)
    )
    UserFactory(email="newcomer@example.org", email_confirmed_at=None)
    sign_in(phone, live_server, "newcomer@example.org", PASSWORD)
    for path, name in [
        ("/account/confirm-email/not-a-real-link/", "groups-confirm-link-broken-phone"),
        ("/groups/", "groups-my-groups-unconfirmed-phone"),
        ("/groups/register/", "groups-confirm-first-phone"),
        (
            f"/groups/invitations/{invitation_token(invitation)}/",
            "groups-invitation-wrong-account-phone",
        ),
        (
            f"/groups/invitations/{invitation_token(expired)}/",
            "groups-invitation-expired-phone",
        ),
    ]:
        phone.goto(live_server.url + path)
        check(phone, name)
