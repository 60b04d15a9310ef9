"""What people type without spaces (an email address, a made-up group name) wraps on a
phone instead of making the page scroll sideways."""

import pytest
from django.urls import reverse

from tests.browser.conftest import assert_fits_width, screenshot, sign_in
from tests.conftest import PASSWORD
from tests.factories import InvitationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_EMAIL = "new.volunteer.for.the.community.trust@demo-borough-council.example.org"
LONG_NAME = "Friendsofthebellinghamandcatfordcommunitygardens"


def test_a_long_email_address_and_group_name_fit_a_phone(phone, live_server, group_a, member_a):
    group_a.name = LONG_NAME
    group_a.save()
    invitation = InvitationFactory(organisation=group_a, email=LONG_EMAIL, invited_by=member_a)
    sign_in(phone, live_server, member_a.email, PASSWORD)
    for name, path in [
        ("cancel", reverse("mapping:invitation_cancel", args=[group_a.pk, invitation.pk])),
        ("members", reverse("mapping:group_members", args=[group_a.pk])),
        ("dashboard", reverse("mapping:group_dashboard", args=[group_a.pk])),
    ]:
        phone.goto(f"{live_server.url}{path}")
        assert LONG_EMAIL in phone.content() or name == "dashboard"
        assert_fits_width(phone)
        screenshot(phone, f"long-words-{name}")
