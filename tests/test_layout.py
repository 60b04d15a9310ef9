"""The page around every page: navigation by role, the skip link, the footer links and
the styled "forbidden" page."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def navigation(response):
    """The link texts of the service navigation."""
    html = response.content.decode()
    nav = html[html.index('class="govuk-service-navigation__list"') :]
    nav = nav[: nav.index("</ul>")]
    return re.findall(r'govuk-service-navigation__link"[^>]*>([^<]+)</a>', nav)


def test_a_resident_sees_the_public_pages_and_sign_in(anon_client):
    links = navigation(anon_client.get("/"))
    assert {"Services", "Community groups", "Have your say", "Sign in"} <= set(links)
    assert not {"Gaps", "Map", "Groups", "Consultations", "Admin"} & set(links)


def test_an_officer_sees_the_officer_pages_and_no_sign_in(officer_client):
    links = navigation(officer_client.get("/"))
    assert {"Services", "Groups", "Gaps", "Map", "Consultations"} <= set(links)
    assert not {"Sign in", "Have your say", "Admin"} & set(links)


def test_a_group_member_sees_no_officer_page(member_a_client):
    links = navigation(member_a_client.get("/"))
    assert "Services" in links
    assert not {"Gaps", "Map", "Groups", "Consultations", "Sign in", "Admin"} & set(links)


def test_staff_see_the_admin(admin_user, client):
    client.force_login(admin_user)
    assert "Admin" in navigation(client.get("/"))


def test_the_current_page_is_marked_in_the_navigation(officer_client):
    html = officer_client.get(reverse("mapping:gap_matrix")).content.decode()
    current = re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]+)</a>', html)
    assert current == ["Gaps"]


def test_every_page_starts_with_a_skip_link_to_the_main_content(anon_client):
    html = anon_client.get("/").content.decode()
    skip = html.index('class="govuk-skip-link"')
    assert skip < html.index("<header")
    assert 'href="#main-content"' in html[skip - 40 : skip]
    assert '<main class="govuk-main-wrapper" id="main-content">' in html


@pytest.mark.parametrize(
    ("name", "heading"), [("privacy", "Privacy"), ("accessibility", "Accessibility")]
)
def test_the_footer_links_to_privacy_and_accessibility(anon_client, name, heading):
    html = anon_client.get("/").content.decode()
    footer = html[html.index('<footer class="govuk-footer">') :]
    assert f'href="{reverse(name)}"' in footer
    page = anon_client.get(reverse(name))
    assert page.status_code == 200
    assert page.content.decode().count("<h1") == 1
    assert heading in page.content.decode()


def test_a_forbidden_page_is_styled_and_says_what_to_do(member_a_client):
    response = member_a_client.get(reverse("mapping:gap_matrix"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "govuk-frontend" in html
    assert "<title>You cannot do this - Community capacity" in html
    assert "ask the person who manages your group" in html
    assert html.count("<h1") == 1


def test_a_bad_request_page_is_styled():
    from django.test import RequestFactory

    from bigsociety.views import bad_request

    response = bad_request(RequestFactory().get("/"), Exception())
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-frontend" in html
    assert "Sorry, there is a problem with your request" in html
