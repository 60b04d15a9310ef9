"""Confirming an email address by the signed, expiring link, and asking for it again."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.tokens import confirmation_token
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RESEND = reverse("accounts:resend_confirmation")
REGISTER = reverse("mapping:organisation_register")


@pytest.fixture
def newcomer(db):
    return UserFactory(
        email="tina@example.org", full_name="Tina Treasurer", email_confirmed_at=None
    )


def confirm_url(user, query=""):
    return reverse("accounts:confirm_email", args=[confirmation_token(user)]) + query


def test_the_link_confirms_the_address(anon_client, newcomer):
    response = anon_client.get(confirm_url(newcomer))
    assert response.status_code == 200
    assert "Your email address is confirmed" in response.text
    newcomer.refresh_from_db()
    assert newcomer.email_confirmed_at is not None
    # The link proves the address, not the person: they still sign in with their password.
    assert "_auth_user_id" not in anon_client.session
    assert f"/account/sign-in/?next={REGISTER.replace('/', '%2F')}" in response.text


def test_following_it_again_is_harmless(anon_client, newcomer):
    anon_client.get(confirm_url(newcomer))
    newcomer.refresh_from_db()
    first = newcomer.email_confirmed_at
    assert anon_client.get(confirm_url(newcomer)).status_code == 200
    newcomer.refresh_from_db()
    assert newcomer.email_confirmed_at == first


def test_signed_in_the_person_goes_straight_on_to_register_a_group(newcomer):
    client = client_for(newcomer)
    response = client.get(confirm_url(newcomer))
    assert response.status_code == 302 and response.url == REGISTER
    response = client.get(REGISTER)
    assert "Your email address is confirmed" in response.text
    assert "Register your group" in response.text


def test_it_goes_on_to_a_page_on_this_site_named_in_the_link(newcomer):
    response = client_for(newcomer).get(confirm_url(newcomer, "?next=/groups/"))
    assert response.url == "/groups/"
    response = client_for(newcomer).get(confirm_url(newcomer, "?next=https://evil.example/"))
    assert response.url == REGISTER


def test_an_expired_link_says_so_and_offers_a_new_one(newcomer, settings):
    client = client_for(newcomer)
    url = confirm_url(newcomer)
    settings.ACCOUNT_CONFIRMATION_MAX_AGE = -1  # every link is now too old
    response = client.get(url)
    assert response.status_code == 410
    assert "This link has expired" in response.text
    assert "Send me a new link" in response.text
    newcomer.refresh_from_db()
    assert newcomer.email_confirmed_at is None


@pytest.mark.parametrize("damage", [lambda t: t[:-3], lambda t: "x" + t, lambda t: "nonsense"])
def test_an_altered_link_confirms_nothing(anon_client, newcomer, damage):
    url = reverse("accounts:confirm_email", args=[damage(confirmation_token(newcomer))])
    response = anon_client.get(url)
    assert response.status_code == 404
    assert "This link does not work" in response.text
    newcomer.refresh_from_db()
    assert newcomer.email_confirmed_at is None


def test_a_link_for_an_old_address_stops_working(anon_client, newcomer):
    url = confirm_url(newcomer)
    newcomer.email = "tina@new.example"
    newcomer.save()
    assert anon_client.get(url).status_code == 404
    newcomer.refresh_from_db()
    assert newcomer.email_confirmed_at is None


def test_the_link_needs_get(anon_client, newcomer):
    assert anon_client.post(confirm_url(newcomer)).status_code == 405


def test_a_signed_in_person_can_ask_for_the_email_again(newcomer):
    client = client_for(newcomer)
    response = client.post(RESEND)
    assert response.status_code == 302 and response.url == reverse("accounts:check_email")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [newcomer.email]
    assert "We have sent the email again" in client.get(response.url).text


def test_the_browser_that_signed_up_can_ask_for_it_again(anon_client):
    anon_client.post(
        reverse("accounts:sign_up"),
        {
            "full_name": "Tina",
            "email": "tina@example.org",
            "password": "orange bicycle lamp river",
            "agree_privacy": "on",
        },
    )
    anon_client.post(RESEND)
    assert len(mail.outbox) == 2
    assert all(message.to == ["tina@example.org"] for message in mail.outbox)


def test_another_browser_has_nothing_to_send_again(anon_client):
    response = anon_client.post(RESEND)
    assert response.status_code == 302 and response.url == reverse("accounts:sign_up")
    assert not mail.outbox


def test_a_confirmed_person_is_not_sent_another(member_a_client):
    response = member_a_client.post(RESEND)
    assert response.url == reverse("mapping:my_groups")
    assert not mail.outbox


def test_asking_again_is_limited_per_address(newcomer, settings):
    settings.CONFIRMATION_EMAILS_PER_HOUR = 1
    client = client_for(newcomer)
    client.post(RESEND)
    response = client.post(RESEND)
    assert response.status_code == 429
    assert "sent several emails to this address" in response.text
    assert len(mail.outbox) == 1


def test_asking_again_needs_post(newcomer):
    assert client_for(newcomer).get(RESEND).status_code == 405


def test_resetting_the_password_confirms_the_address_too(newcomer):
    client = Client()
    client.post(reverse("accounts:password_reset"), {"email": newcomer.email})
    link = next(line for line in mail.outbox[0].body.splitlines() if "password-reset/" in line)
    response = client.get(link.split("testserver", 1)[1], follow=True)
    new = "a much longer new password"
    client.post(response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    newcomer.refresh_from_db()
    assert newcomer.check_password(new)
    assert newcomer.email_confirmed_at is not None
