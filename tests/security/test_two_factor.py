"""Staff give a code from an authenticator app before the admin serves them, and a new
member of staff can set an app up."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADMIN = reverse("admin:index")
VERIFY = reverse("accounts:two_factor")
SET_UP = reverse("accounts:two_factor_setup")


@pytest.fixture(autouse=True)
def slow_retries(settings):
    # After a wrong code the next try must wait a minute, not a second: the tests that
    # try again straight away must be refused whatever the machine's speed.
    settings.OTP_TOTP_THROTTLE_FACTOR = 60


@pytest.fixture
def staff(db):
    return UserFactory(email="sam@council.test", full_name="Sam Staff", is_staff=True)


def code_for(device):
    """The code the person's app shows now, as 6 digits (it may start with 0)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def wrong_code(device):
    return f"{(int(code_for(device)) + 1) % 1000000:06d}"


def follow_to_the_end(client, url):
    response = client.get(url, follow=True)
    return response, [hop for hop, _status in response.redirect_chain]


def test_staff_without_an_app_are_sent_to_set_one_up(staff):
    client = client_for(staff)
    page, hops = follow_to_the_end(client, ADMIN)
    assert hops[-1].startswith(SET_UP)
    assert page.status_code == 200
    assert "Set up your authenticator app" in page.text
    # The QR code is a picture in the page (no request elsewhere, allowed by the CSP),
    # with the key to type by hand for those who cannot scan it.
    assert 'src="data:image/svg+xml;base64,' in page.text
    device = TOTPDevice.objects.get(user=staff)
    assert not device.confirmed
    assert page.context["key"].replace(" ", "")


def test_setting_up_an_app_lets_staff_into_the_admin(staff):
    client = client_for(staff)
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=staff)
    response = client.post(SET_UP, {"code": code_for(device), "next": ADMIN})
    assert response.status_code == 302
    assert response.url == ADMIN
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(ADMIN).status_code == 200


def test_reloading_the_set_up_page_keeps_the_same_key(staff):
    client = client_for(staff)
    first = client.get(SET_UP).context["key"]
    assert client.get(SET_UP).context["key"] == first
    assert TOTPDevice.objects.filter(user=staff).count() == 1


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the 6-digit code from your authenticator app"),
        ("12345", "Enter the code as 6 digits"),
        ("abcdef", "Enter the code as 6 digits"),
        ("１２３４５６", "Enter the code as 6 digits"),
    ],
)
def test_a_badly_typed_code_is_explained(staff, typed, message):
    client = client_for(staff)
    client.get(SET_UP)
    response = client.post(SET_UP, {"code": typed})
    assert response.status_code == 200
    assert message in response.text
    assert not TOTPDevice.objects.get(user=staff).confirmed


def test_a_wrong_code_does_not_set_up_the_app(staff):
    client = client_for(staff)
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=staff)
    wrong = wrong_code(device)
    response = client.post(SET_UP, {"code": wrong})
    assert "The code is not right" in response.text
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(ADMIN).status_code == 302


def test_staff_with_an_app_give_a_code_each_session(staff):
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client = client_for(staff)
    # Staff see the admin pages their permissions allow; this one has none but the home.
    page, hops = follow_to_the_end(client, reverse("admin:app_list", args=["mapping"]))
    assert hops[-1].startswith(VERIFY)
    assert "Enter the code from your authenticator app" in page.text
    response = client.post(hops[-1], {"code": code_for(device), "next": page.context["next"]})
    assert response.url == reverse("admin:app_list", args=["mapping"])
    assert client.get(ADMIN).status_code == 200


def test_after_a_wrong_code_the_next_try_must_wait(staff):
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client = client_for(staff)
    client.post(VERIFY, {"code": wrong_code(device)})
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 200
    assert "Too many wrong codes" in response.text
    assert client.get(ADMIN).status_code == 302


def test_a_password_alone_cannot_add_a_second_app(staff):
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client = client_for(staff)
    response = client.get(SET_UP)
    assert response.status_code == 302
    assert response.url.startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_the_pages_are_for_staff_only(member_a_client, officer_client):
    for client in (member_a_client, officer_client):
        assert client.get(VERIFY).status_code == 403
        assert client.get(SET_UP).status_code == 403
        # The admin sends them nowhere: it refuses.
        _page, hops = follow_to_the_end(client, ADMIN)
        assert client.get(hops[-1]).status_code == 403
    response = Client().get(SET_UP)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign_in"))


def test_the_admin_sends_anonymous_people_to_the_sign_in_page():
    page, hops = follow_to_the_end(Client(), reverse("admin:mapping_ward_changelist"))
    assert hops[-1].startswith(reverse("accounts:sign_in"))
    assert "Sign in" in page.text


def test_it_never_sends_anyone_off_the_site(staff):
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client = client_for(staff)
    response = client.post(VERIFY, {"code": code_for(device), "next": "https://evil.example/"})
    assert response.url == ADMIN


def test_with_two_factor_off_staff_go_straight_in(staff, settings):
    settings.ADMIN_REQUIRE_2FA = False
    assert client_for(staff).get(ADMIN).status_code == 200


def test_the_admin_login_page_itself_never_shows_a_password_form(staff):
    response = client_for(staff).get(reverse("admin:login"))
    assert response.status_code == 302
    assert response.url.startswith(VERIFY)
