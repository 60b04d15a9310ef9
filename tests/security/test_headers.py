"""Every page the matrix can build carries the security headers; no page has a script or
style the Content Security Policy would block; every cookie is Secure, HttpOnly and
SameSite. (The admin's pages are checked by the admin walk in test_access_matrix.py.)"""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.security.headers import cookie_problems, header_problems
from tests.security.matrix import LOGIN, PERSONAS, REFUSED, ROWS
from tests.security.test_access_matrix import clients, undone, world  # noqa: F401

pytestmark = pytest.mark.django_db


def test_https_is_on_in_the_test_settings():
    assert settings.HTTPS and settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE


def test_every_page_carries_the_headers_and_no_inline_code(world, clients):  # noqa: F811
    problems = []
    pages = 0
    for row in ROWS:
        persona = next((p for p in PERSONAS if row.get[p] == 200), None)
        if persona is None:
            continue
        url = reverse(row.name, args=row.args(world)) + row.query
        response = clients[persona].get(url, secure=True)
        assert response.status_code == 200, url
        pages += 1
        problems += [f"{url} ({persona}): {p}" for p in header_problems(response)]
        problems += [f"{url} ({persona}): {p}" for p in cookie_problems(response)]
    assert pages >= 30
    assert not problems, "\n".join(problems)


def _checked(response, label):
    """The header problems of a page with a body (a redirect or a bare 405 has none)."""
    if response.status_code in (301, 302, 405) or not response.content:
        return []
    problems = header_problems(response) + cookie_problems(response)
    return [f"{label} ({response.status_code}): {p}" for p in problems]


def test_pages_that_refuse_or_explain_carry_the_headers_too(world, clients):  # noqa: F811
    """Every persona's page that is not the page itself (403, 404, 409, 410 pages) and
    every page a form shows after an empty post (its errors)."""
    problems = []
    checked = 0
    for row in ROWS:
        url = reverse(row.name, args=row.args(world)) + row.query
        for persona in PERSONAS:
            if row.get[persona] not in (200, LOGIN, 302, 405):
                with undone():
                    response = clients[persona].get(url, secure=True)
                problems += _checked(response, f"GET {url} ({persona})")
                checked += 1
        poster = next(
            (p for p in PERSONAS if row.post[p] not in REFUSED | {302}),
            None,
        )
        if poster and row.name != "accounts:sign_out":
            with undone():
                response = clients[poster].post(url, {}, secure=True)
            problems += _checked(response, f"POST {url} ({poster})")
            checked += 1
    assert checked >= 60
    assert not problems, "\n".join(problems)


def test_the_community_groups_other_pages_carry_the_headers(world, clients, settings):  # noqa: F811
    """Pages only reached in a particular state: a link gone wrong, an invitation already
    used, an address not yet confirmed, the last owner leaving, a limit reached."""
    from django.test import Client

    from mapping.models import Membership
    from tests.factories import UserFactory

    unconfirmed = Client()
    unconfirmed.force_login(UserFactory(email_confirmed_at=None))
    sole_owner = Client()
    sole_owner.force_login(world.member_b)
    world.invitation.accepted_at = world.invitation.created_at
    world.invitation.save()
    Membership.objects.filter(organisation=world.group_a).exclude(user=world.member_a).delete()
    settings.SIGN_UPS_PER_HOUR = 1
    sign_up = {
        "full_name": "Tina",
        "email": "tina@example.test",
        "password": "orange bicycle lamp river",
        "agree_privacy": "on",
    }
    Client().post(reverse("accounts:sign_up"), sign_up)
    pages = [
        (Client().get(reverse("accounts:confirm_email", args=["altered"]), secure=True), 404),
        (
            Client().get(
                reverse("mapping:invitation_accept", args=[world.invitation_token]), secure=True
            ),
            410,
        ),
        (unconfirmed.get(reverse("mapping:organisation_register"), secure=True), 200),
        (
            clients["member_a"].post(
                reverse("mapping:group_leave", args=[world.group_a.pk]), secure=True
            ),
            409,
        ),
        (
            Client().post(reverse("accounts:sign_up"), sign_up, secure=True),
            429,
        ),
    ]
    problems = []
    for response, status in pages:
        assert response.status_code == status, response.status_code
        problems += _checked(response, response.request["PATH_INFO"])
    assert not problems, "\n".join(problems)


def test_pages_shown_after_an_error_carry_the_headers_too(anon_client):
    for url in ("/no-such-page/", reverse("mapping:public_organisation", args=[999999])):
        response = anon_client.get(url, secure=True)
        assert response.status_code == 404
        assert header_problems(response) == []


def test_the_cookies_set_on_signing_in_and_answering_are_safe(officer, world, clients):  # noqa: F811
    from django.test import Client

    from tests.conftest import PASSWORD

    client = Client()
    form = client.get(reverse("accounts:sign_in"), secure=True)
    assert "csrftoken" in form.cookies
    signed_in = client.post(
        reverse("accounts:sign_in"),
        {"username": officer.email, "password": PASSWORD},
        secure=True,
    )
    assert "sessionid" in signed_in.cookies
    start = Client().get(
        reverse("mapping:consultation_start", args=[world.open.slug]), secure=True
    )
    assert "consultation_browser" in start.cookies
    for response in (form, signed_in, start):
        assert cookie_problems(response) == []


def test_the_checker_finds_inline_code():
    class Page:
        def __init__(self, body):
            self.content = body.encode()
            self.headers = {
                "Content-Security-Policy": "default-src 'self'; script-src 'self' 'nonce-abc'; "
                "style-src 'self' 'nonce-abc'; object-src 'none'; frame-ancestors 'none'",
                "Content-Type": "text/html; charset=utf-8",
            }

        def get(self, name, default=None):
            return self.headers.get(name, default)

    bad = Page(
        '<script>alert(1)</script><p style="color:red" onclick="x()">'
        '<style nonce="abc">p{}</style><script nonce="abc">ok()</script>'
    )
    problems = header_problems(bad)
    assert "<script> without the nonce" in problems
    assert "<p style=...>" in problems
    assert "<p onclick=...>" in problems
    assert "<style> without the nonce" not in problems


def test_the_outage_page_keeps_its_script_within_the_policy(monkeypatch):
    from django.db import OperationalError
    from django.test import Client

    from bigsociety import views

    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(views, "render", broken)
    response = Client(raise_request_exception=False).get("/", secure=True)
    assert response.status_code == 503
    assert header_problems(response) == []
