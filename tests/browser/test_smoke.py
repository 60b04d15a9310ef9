import pytest

from tests.browser.conftest import (
    assert_accessible,
    assert_fits_width,
    screenshot,
    sign_in,
)
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_signs_in(page, live_server, officer):
    sign_in(page, live_server, officer.email, PASSWORD)
    assert page.get_by_role("heading", level=1).inner_text() == "Officer home"
    assert page.get_by_text("Signed in as Olu").is_visible()
    screenshot(page, "officer-home")


def test_a_wrong_password_is_explained(page, live_server, officer):
    sign_in(page, live_server, officer.email, "wrong password entirely")
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "Enter the email address and password" in summary.inner_text()
    assert page.title().startswith("Error: Sign in")


@pytest.mark.parametrize("path", ["/", "/account/sign-in/", "/no-such-page/", "/privacy/"])
def test_public_pages_have_no_accessibility_violations(page, live_server, path):
    page.goto(f"{live_server.url}{path}")
    assert_accessible(page)


def test_the_sign_in_error_state_is_accessible(page, live_server, officer):
    sign_in(page, live_server, officer.email, "wrong password entirely")
    assert_accessible(page)


def test_the_server_error_page_is_accessible(page, live_server):
    from django.template import loader

    html = loader.get_template("500.html").render({"COUNCIL_NAME": "Test Council"})
    page.goto(f"{live_server.url}/healthz")  # same origin, so the stylesheet loads
    page.set_content(html.replace('href="/static', f'href="{live_server.url}/static'))
    assert "problem with the service" in page.inner_text("h1")
    assert_accessible(page)


def test_the_home_page_fits_a_phone(phone, live_server):
    phone.goto(f"{live_server.url}/")
    assert_fits_width(phone)
    screenshot(phone, "home-phone")
