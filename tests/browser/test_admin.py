"""A superuser signs in to the admin, opens the organisation list and one organisation."""

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD
from tests.factories import CapacityOfferFactory, OrganisationFactory, ServiceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def admin_sign_in(page, live_server, email, password):
    """The admin sends people to the site's sign-in page, then asks staff for a code from
    their authenticator app (issue 9)."""
    from accounts.models import User

    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if "/account/two-factor/" not in page.url:
        return
    device = TOTPDevice.objects.get_or_create(
        user=User.objects.get(email=email), name="phone", defaults={"confirmed": True}
    )[0]
    if "/set-up/" in page.url:
        page.goto(page.url.replace("/set-up/", "/"))
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    page.get_by_label("Code from your authenticator app").fill(f"{code:06d}")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def test_a_superuser_opens_the_organisation_list_and_an_organisation(
    page, live_server, admin_user, member_a, group_a
):
    OrganisationFactory(name="Sydenham Garden", charity_number="1123456")
    CapacityOfferFactory(organisation=group_a, service=ServiceFactory(name="Park cleaning"))

    admin_sign_in(page, live_server, admin_user.email, PASSWORD)
    assert page.get_by_role("heading", name="Records and reference data").is_visible()

    page.get_by_role("link", name="Organisations").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Select organisation to change"
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 2
    screenshot(page, "admin-organisations")

    page.get_by_role("link", name="Group A Friends of the Park").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Change organisation"
    assert page.locator("#id_name").input_value() == "Group A Friends of the Park"
    # The inlines: the owner and the offer.
    assert page.get_by_text("Alice Member").first.is_visible()
    assert page.get_by_text("Park cleaning").first.is_visible()
    assert page.get_by_role("link", name="History").is_visible()
    screenshot(page, "admin-organisation")


def test_the_admin_search_finds_by_charity_number(page, live_server, admin_user):
    OrganisationFactory(name="Sydenham Garden", charity_number="1123456")
    OrganisationFactory(name="Brockley Society")
    admin_sign_in(page, live_server, admin_user.email, PASSWORD)
    page.goto(f"{live_server.url}/admin/mapping/organisation/")
    page.locator("#searchbar").fill("1123456")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    assert page.locator("#result_list tbody tr").count() == 1
    assert page.get_by_role("link", name="Sydenham Garden").is_visible()


def test_a_wrong_password_does_not_open_the_admin(page, live_server, admin_user):
    admin_sign_in(page, live_server, admin_user.email, "not the password")
    assert page.get_by_text("There is a problem").is_visible()
    assert "/account/sign-in/" in page.url
