"""Creating an account: the form, its messages, what is emailed, and the limits."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tests.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGN_UP = reverse("accounts:sign_up")
CHECK_EMAIL = reverse("accounts:check_email")


def sign_up_data(**changes):
    data = {
        "full_name": "Tina Treasurer",
        "email": "Tina@Example.org ",
        "password": "orange bicycle lamp river",
        "agree_privacy": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def link_in(message, fragment):
    return re.search(r"https?://[^/\s]+(/\S*" + fragment + r"\S*)", message.body).group(1)


def test_it_shows_the_sign_up_form(anon_client):
    response = anon_client.get(SIGN_UP)
    assert response.status_code == 200
    assert response.text.count("<h1") == 1
    for label in ["Your full name", "Email address", "Create a password", "privacy notice"]:
        assert label in response.text


def test_it_creates_an_unconfirmed_account_and_emails_a_link(anon_client):
    response = anon_client.post(SIGN_UP, sign_up_data())
    assert response.status_code == 302
    assert response.url == CHECK_EMAIL
    user = User.objects.get()
    assert (user.email, user.full_name) == ("tina@example.org", "Tina Treasurer")
    assert user.check_password("orange bicycle lamp river")
    assert user.email_confirmed_at is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["tina@example.org"]
    assert "Confirm your email address" in mail.outbox[0].subject
    assert "/account/confirm-email/" in link_in(mail.outbox[0], "confirm-email/")
    # Nobody is signed in until they have confirmed and signed in themselves.
    assert "_auth_user_id" not in anon_client.session


def test_it_records_when_the_person_agreed_to_the_privacy_notice(anon_client):
    before = timezone.now()
    anon_client.post(SIGN_UP, sign_up_data())
    user = User.objects.get()
    assert before <= user.privacy_agreed_at <= timezone.now()
    # Accounts made in the admin or by a command never saw the sign-up form.
    assert User.objects.create_user(email="made@example.org").privacy_agreed_at is None


def test_the_check_your_email_page_names_the_address(anon_client):
    anon_client.post(SIGN_UP, sign_up_data())
    response = anon_client.get(CHECK_EMAIL)
    assert "tina@example.org" in response.text
    assert "Send the email again" in response.text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"full_name": ""}, "full_name", "Enter your full name"),
        ({"full_name": "   "}, "full_name", "Enter your full name"),
        ({"full_name": "x" * 151}, "full_name", "Your name must be 150 characters or fewer"),
        ({"email": ""}, "email", "Enter your email address"),
        ({"email": "tina at example"}, "email", "Enter an email address in the correct format"),
        ({"password": ""}, "password", "Create a password"),
        ({"password": "short words"}, "password", "at least 12 characters long"),
        ({"password": "password1234"}, "password", "one of the most common"),
        ({"password": "839201746528"}, "password", "cannot be only numbers"),
        ({"password": "tina@example.org"}, "password", "too like your name or email"),
        ({"agree_privacy": None}, "agree_privacy", "Tick the box to say you agree"),
    ],
)
def test_it_explains_each_problem_and_keeps_the_answers(anon_client, changes, field, message):
    response = anon_client.post(SIGN_UP, sign_up_data(**changes))
    assert response.status_code == 200
    assert message in response.text
    assert "There is a problem" in response.text
    assert f'href="#id_{field}"' in response.text
    assert "Error:" in response.text.split("</title>")[0]
    if field != "full_name":
        assert 'value="Tina Treasurer"' in response.text  # what was typed is kept
    assert not User.objects.exists()
    assert not mail.outbox


def test_an_address_with_a_confirmed_account_gets_a_note_not_a_second_account(anon_client):
    existing = UserFactory(email="tina@example.org", full_name="Tina Original")
    response = anon_client.post(SIGN_UP, sign_up_data(full_name="Someone Else"))
    # The same answer as for a new address: the form does not tell who is registered.
    assert response.status_code == 302 and response.url == CHECK_EMAIL
    assert User.objects.count() == 1
    existing.refresh_from_db()
    assert existing.full_name == "Tina Original"
    assert existing.check_password(PASSWORD)
    assert "You already have an account" in mail.outbox[0].subject
    assert "/account/sign-in/" in mail.outbox[0].body
    assert "confirm-email" not in mail.outbox[0].body


def test_an_unconfirmed_account_is_never_changed_by_signing_up_again(anon_client):
    existing = UserFactory(email="tina@example.org", email_confirmed_at=None)
    anon_client.post(SIGN_UP, sign_up_data(password="a different long password"))
    existing.refresh_from_db()
    # Otherwise anyone could set the password of an account its owner then confirms.
    assert existing.check_password(PASSWORD)
    assert existing.privacy_agreed_at is None  # someone else ticked the box
    assert "Confirm your email address" in mail.outbox[0].subject
    assert "/account/password-reset/" in mail.outbox[0].body


def test_the_check_your_email_page_is_read_only(anon_client):
    assert anon_client.post(CHECK_EMAIL).status_code == 405


def test_a_signed_in_person_is_sent_to_their_groups(member_a_client):
    response = member_a_client.get(SIGN_UP)
    assert response.status_code == 302
    assert response.url == reverse("mapping:my_groups")


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_it_refuses_other_methods(anon_client, method):
    assert getattr(anon_client, method)(SIGN_UP).status_code == 405


def test_it_carries_a_page_on_this_site_into_the_confirmation_link(anon_client):
    invitation_page = "/groups/invitations/abc/"
    response = anon_client.get(SIGN_UP + f"?next={invitation_page}")
    assert f'value="{invitation_page}"' in response.text
    anon_client.post(SIGN_UP, sign_up_data(next=invitation_page))
    assert "next=%2Fgroups%2Finvitations%2Fabc%2F" in link_in(mail.outbox[0], "confirm-email/")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:x"])
def test_it_never_carries_a_page_elsewhere(anon_client, target):
    anon_client.post(SIGN_UP, sign_up_data(next=target))
    assert "next=" not in link_in(mail.outbox[0], "confirm-email/")


def test_too_many_sign_ups_from_one_connection_get_a_clear_429(anon_client, settings):
    settings.SIGN_UPS_PER_HOUR = 2
    for n in range(2):
        anon_client.post(SIGN_UP, sign_up_data(email=f"person{n}@example.org"))
    response = anon_client.post(SIGN_UP, sign_up_data(email="third@example.org"))
    assert response.status_code == 429
    assert "too many new accounts from your internet connection" in response.text
    assert not User.objects.filter(email="third@example.org").exists()
    assert len(mail.outbox) == 2


def test_mistakes_in_the_form_do_not_use_up_the_limit(anon_client, settings):
    settings.SIGN_UPS_PER_HOUR = 1
    for _ in range(3):
        anon_client.post(SIGN_UP, sign_up_data(password="short"))
    assert anon_client.post(SIGN_UP, sign_up_data()).status_code == 302


def test_one_address_is_not_sent_endless_emails(settings):
    from django.test import Client

    settings.CONFIRMATION_EMAILS_PER_HOUR = 2
    for n in range(2):
        # From different connections: the limit is per address.
        Client(REMOTE_ADDR=f"203.0.113.{n}").post(SIGN_UP, sign_up_data())
    response = Client(REMOTE_ADDR="203.0.113.9").post(SIGN_UP, sign_up_data())
    assert response.status_code == 429
    assert "sent several emails to this address" in response.text
    assert len(mail.outbox) == 2


def test_a_mail_server_failure_keeps_the_account_and_says_so(anon_client, monkeypatch):
    import smtplib

    from django.core.mail import EmailMessage

    def fail(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr(EmailMessage, "send", fail)
    response = anon_client.post(SIGN_UP, sign_up_data(), follow=True)
    assert response.status_code == 200
    assert "We could not send the email just now" in response.text
    assert User.objects.filter(email="tina@example.org").exists()
