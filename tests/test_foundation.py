import pytest
from django.core import mail
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD


# Tests without the django_db mark cannot touch the database: pytest-django raises on
# any query, so these prove that no query is made.
def test_healthz_answers_without_the_database(anon_client):
    response = anon_client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_answers_when_the_database_does(anon_client):
    response = anon_client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_readyz_fails_when_the_database_does_not(anon_client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = anon_client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


@pytest.mark.django_db
def test_home_page_shows_the_council_name(anon_client, settings):
    settings.COUNCIL_NAME = "Testshire Council"
    response = anon_client.get("/")
    assert response.status_code == 200
    assert "Testshire Council" in response.text
    assert "<title>Home - Community capacity - Testshire Council</title>" in response.text


@pytest.mark.django_db
def test_officer_sees_officer_home(officer_client):
    response = officer_client.get("/")
    assert "Officer home" in response.text


@pytest.mark.django_db
def test_it_signs_in_by_email_whatever_the_case(officer):
    client = Client()
    response = client.post(
        reverse("accounts:sign_in"),
        {"username": "OFFICER@Example.test", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)


@pytest.mark.django_db
def test_it_rejects_a_wrong_password_with_a_message(officer):
    response = Client().post(
        reverse("accounts:sign_in"), {"username": officer.email, "password": "nope"}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Enter the email address and password" in response.text
    assert response.text.count("<h1") == 1


@pytest.mark.django_db
def test_it_refuses_an_address_too_long_to_be_one_without_logging_it():
    from axes.models import AccessAttempt

    response = Client().post(
        reverse("accounts:sign_in"), {"username": "x" * 1500, "password": "anything"}
    )
    assert response.status_code == 200
    assert "Enter an email address of 254 characters or fewer" in response.text
    assert not AccessAttempt.objects.exists()


@pytest.mark.django_db
def test_sign_out_needs_post(officer_client):
    assert officer_client.get(reverse("accounts:sign_out")).status_code == 405
    response = officer_client.post(reverse("accounts:sign_out"))
    assert response.status_code == 302
    assert "_auth_user_id" not in officer_client.session


@pytest.mark.django_db
def test_password_reset_sends_a_link_that_works(officer):
    client = Client()
    response = client.post(reverse("accounts:password_reset"), {"email": "Officer@example.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "password-reset/" in line)
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    assert "Choose a new password" in response.text
    new = "a much longer new password"
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password(new)


@pytest.mark.django_db
def test_404_page_is_styled(anon_client):
    response = anon_client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "govuk-frontend" in response.text


def test_500_page_renders_without_the_database(rf):
    from bigsociety.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


@pytest.mark.django_db
def test_a_database_outage_answers_503(monkeypatch, settings):
    from bigsociety import views

    def broken(request):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(views, "render", lambda *a, **k: broken(None))
    client = Client(raise_request_exception=False)
    response = client.get("/")
    assert response.status_code == 503
    assert "the service is unavailable" in response.text
    assert response["Retry-After"] == "30"


@pytest.mark.django_db
def test_pages_carry_security_headers(anon_client):
    response = anon_client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "frame-ancestors 'none'" in csp


def test_no_gov_uk_branding_is_shipped():
    from pathlib import Path

    static = Path(__file__).resolve().parent.parent / "static"
    css = (static / "govuk" / "govuk-frontend.min.css").read_text()
    assert "GDS Transport" not in css
    assert "govuk-crest" not in css
    names = {p.name for p in static.rglob("*")}
    assert not {n for n in names if n.endswith((".woff", ".woff2"))}
    assert not {n for n in names if "crest" in n or "crown" in n}
