"""Signing in: the lockout after repeated failures, its view of the client's address
behind a proxy, throttled password resets, password rules and session lifetime."""

import datetime
import os
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.forms import SetPasswordForm
from accounts.models import User
from accounts.signals import SESSION_LAST_SEEN_KEY, SESSION_STARTED_KEY
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:sign_in")
RESET = reverse("accounts:password_reset")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def sign_in(client, email, password, **extra):
    return client.post(SIGN_IN, {"username": email, "password": password}, **extra)


def fail_five_times(client, email, **extra):
    for _ in range(4):
        response = sign_in(client, email, "not the password", **extra)
        assert response.status_code == 200
        assert "Enter the email address and password" in response.text
    # The fifth failure locks.
    response = sign_in(client, email, "not the password", **extra)
    assert response.status_code == 429


def is_signed_in(client):
    return "_auth_user_id" in client.session


# The lockout -----------------------------------------------------------------------------


def test_it_locks_the_email_and_address_after_5_failures(officer):
    client = Client(REMOTE_ADDR="203.0.113.5")
    fail_five_times(client, officer.email)
    response = sign_in(client, officer.email, PASSWORD)
    assert response.status_code == 429
    assert "You cannot sign in for 30 minutes" in response.text
    assert not is_signed_in(client)


def test_the_lock_is_on_the_pair_not_the_address_or_the_account(officer, member_a):
    fail_five_times(Client(REMOTE_ADDR="203.0.113.5"), officer.email)
    # The same account from another address, another account from the same address.
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert sign_in(elsewhere, officer.email, PASSWORD).status_code == 302
    same_address = Client(REMOTE_ADDR="203.0.113.5")
    assert sign_in(same_address, member_a.email, PASSWORD).status_code == 302


def test_four_failures_do_not_lock_and_a_success_clears_them(officer):
    client = Client(REMOTE_ADDR="203.0.113.5")
    for _ in range(4):
        sign_in(client, officer.email, "not the password")
    assert sign_in(client, officer.email, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.exists()


def backdate_attempts(minutes):
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=minutes))


def test_the_lock_lasts_30_minutes(officer):
    client = Client(REMOTE_ADDR="203.0.113.5")
    fail_five_times(client, officer.email)
    backdate_attempts(29)
    assert sign_in(client, officer.email, PASSWORD).status_code == 429
    backdate_attempts(31)
    assert sign_in(client, officer.email, PASSWORD).status_code == 302
    assert is_signed_in(client)


def test_behind_a_proxy_it_locks_the_real_address_whatever_the_client_claims(officer, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    # Every request arrives from the proxy; the proxy appends the address it saw.
    proxy = Client(REMOTE_ADDR="10.0.0.2")
    for n in range(5):
        forged = f"192.0.2.{n}, 203.0.113.5"
        sign_in(proxy, officer.email, "not the password", HTTP_X_FORWARDED_FOR=forged)
    response = sign_in(proxy, officer.email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    # Someone else behind the same proxy is not locked out.
    response = sign_in(proxy, officer.email, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 302


def test_without_a_proxy_a_forwarded_header_is_ignored(officer, settings):
    settings.AXES_IPWARE_PROXY_COUNT = None
    client = Client(REMOTE_ADDR="203.0.113.5")
    for n in range(5):
        sign_in(client, officer.email, "nope", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert sign_in(client, officer.email, PASSWORD).status_code == 429


def test_proxy_count_is_read_from_the_environment():
    """PROXY_COUNT reaches the setting the lockout and the rate limits read."""
    env = os.environ | {"PROXY_COUNT": "2", "DEBUG": "1"}
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.AXES_IPWARE_PROXY_COUNT, settings.AXES_CLIENT_IP_CALLABLE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env | {"DJANGO_SETTINGS_MODULE": "bigsociety.settings"},
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["2", "bigsociety.ratelimit.client_ip"]


# Password resets -------------------------------------------------------------------------


def ask_for_reset(client, email):
    return client.post(RESET, {"email": email})


def test_reset_links_for_one_address_stop_after_the_limit(officer, settings):
    settings.PASSWORD_RESETS_PER_HOUR_PER_EMAIL = 3
    client = Client(REMOTE_ADDR="203.0.113.5")
    for _ in range(5):
        response = ask_for_reset(client, officer.email)
        # The same page every time: it never says whether the address has an account.
        assert response.status_code == 302
        assert response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 3
    ask_for_reset(client, "someone.else@example.test")
    ask_for_reset(client, officer.email.upper())
    assert len(mail.outbox) == 3


def test_resets_from_one_internet_address_are_refused_past_the_limit(officer, settings):
    settings.PASSWORD_RESETS_PER_HOUR_PER_ADDRESS = 2
    client = Client(REMOTE_ADDR="203.0.113.5")
    assert ask_for_reset(client, "a@example.test").status_code == 302
    assert ask_for_reset(client, "b@example.test").status_code == 302
    response = ask_for_reset(client, officer.email)
    assert response.status_code == 429
    assert "Try again in an hour" in response.text
    assert not mail.outbox
    # Another address is not held back.
    assert ask_for_reset(Client(REMOTE_ADDR="198.51.100.7"), officer.email).status_code == 302
    assert len(mail.outbox) == 1


# Password rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short pass1", "at least 12 characters"),
        ("password1234", "too common"),
        ("qwerty123456", "too common"),
        ("482915730264", "entirely numeric"),
    ],
)
def test_a_new_password_must_be_long_and_uncommon(officer, password, message):
    form = SetPasswordForm(officer, {"new_password1": password, "new_password2": password})
    assert not form.is_valid()
    assert message in " ".join(form.errors["new_password2"])


def test_the_reset_page_refuses_a_common_password_and_keeps_the_old_one(officer):
    client = Client()
    ask_for_reset(client, officer.email)
    link = next(line for line in mail.outbox[0].body.splitlines() if "password-reset/" in line)
    page = client.get(link.split("testserver", 1)[1], follow=True)
    set_url = page.redirect_chain[-1][0]
    response = client.post(
        set_url, {"new_password1": "password1234", "new_password2": "password1234"}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "This password is too common" in response.text
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)


def test_the_admin_refuses_a_weak_password_for_a_new_account(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "new@example.test",
            "full_name": "New Person",
            "password1": "letmein",
            "password2": "letmein",
            "usable_password": "true",
        },
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.text
    assert not User.objects.filter(email="new@example.test").exists()


# Sessions --------------------------------------------------------------------------------


def age_session(client, *, idle_minutes, signed_in_minutes):
    now = timezone.now().timestamp()
    session = client.session
    session[SESSION_LAST_SEEN_KEY] = int(now - idle_minutes * 60)
    session[SESSION_STARTED_KEY] = int(now - signed_in_minutes * 60)
    session.save()


def test_a_session_idle_for_29_minutes_stays_signed_in(officer_client):
    age_session(officer_client, idle_minutes=29, signed_in_minutes=29)
    assert officer_client.get(reverse("mapping:gap_method")).status_code == 200


def test_a_session_idle_for_31_minutes_is_signed_out(officer_client):
    age_session(officer_client, idle_minutes=31, signed_in_minutes=31)
    url = reverse("mapping:gap_method")
    response = officer_client.get(url)
    assert response.status_code == 302
    assert response.url == f"{SIGN_IN}?next={url}"
    assert not is_signed_in(officer_client)
    page = officer_client.get(response.url)
    assert "You were signed out to keep your account safe" in page.text


def test_a_busy_session_ends_12_hours_after_signing_in(officer_client):
    age_session(officer_client, idle_minutes=1, signed_in_minutes=11 * 60 + 59)
    assert officer_client.get(reverse("mapping:gap_method")).status_code == 200
    age_session(officer_client, idle_minutes=1, signed_in_minutes=12 * 60 + 1)
    assert officer_client.get(reverse("mapping:gap_method")).status_code == 302
    assert not is_signed_in(officer_client)


def test_signing_in_starts_a_new_session(officer):
    from django.contrib.sessions.backends.db import SessionStore

    client = Client()
    session = client.session
    session["chosen_before_signing_in"] = "kept"
    session.save()
    before = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert sign_in(client, officer.email, PASSWORD).status_code == 302
    after = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert after != before
    # The old key is gone: someone who planted or saw it cannot ride the new session.
    assert not SessionStore().exists(before)
    assert client.session["chosen_before_signing_in"] == "kept"


def test_signing_out_ends_the_session(officer_client):
    key = officer_client.cookies[django_settings.SESSION_COOKIE_NAME].value
    officer_client.post(reverse("accounts:sign_out"))
    from django.contrib.sessions.backends.db import SessionStore

    assert not SessionStore().exists(key)


def test_signing_in_does_not_add_a_history_record(officer):
    before = officer.history.count()
    sign_in(Client(), officer.email, PASSWORD)
    officer.refresh_from_db()
    assert officer.last_login is not None
    assert officer.history.count() == before
