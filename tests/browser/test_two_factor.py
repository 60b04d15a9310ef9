"""A new member of staff sets up an authenticator app on a phone-sized screen, then uses
the admin; the pages pass the WCAG checks."""

import base64

import pytest
from django_otp.oath import TOTP

from tests.browser.conftest import (
    assert_accessible,
    assert_fits_width,
    screenshot,
    sign_in,
)
from tests.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_member_of_staff_sets_up_an_app_on_a_phone(phone, live_server):
    staff = UserFactory(email="sam@council.test", full_name="Sam Staff", is_staff=True)
    sign_in(phone, live_server, staff.email, PASSWORD)
    phone.goto(f"{live_server.url}/admin/")
    assert "/account/two-factor/set-up/" in phone.url
    assert phone.get_by_role(
        "img", name="QR code to scan with your authenticator app"
    ).is_visible()
    assert_fits_width(phone)
    assert_accessible(phone)
    screenshot(phone, "two-factor-set-up-phone")

    # A wrong code is explained, beside the field and in the summary.
    phone.get_by_label("Code from your authenticator app").fill("12345")
    phone.get_by_role("button", name="Finish setting up").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("There is a problem").is_visible()
    assert_accessible(phone)

    # Someone who cannot scan types the key into their app by hand.
    phone.get_by_text("I cannot scan the QR code").click()
    key = phone.locator(".app-secret-key code").inner_text().replace(" ", "")
    totp = TOTP(base64.b32decode(key), 30, 0, 6, 0)
    phone.get_by_label("Code from your authenticator app").fill(f"{totp.token():06d}")
    phone.get_by_role("button", name="Finish setting up").click()
    phone.wait_for_load_state()
    assert phone.url.endswith("/admin/")
    assert phone.get_by_role("heading", name="Records and reference data").is_visible()
