"""Every page has a title of its own (GOV.UK: people with screen readers and many tabs
tell pages apart by it) and one h1. Walks every page the access matrix can build, as
the first persona allowed to see it."""

import re
from collections import defaultdict

import pytest
from django.urls import reverse

from tests.factories import OrganisationFactory, ServiceFactory
from tests.security.matrix import PERSONAS, ROWS
from tests.security.test_access_matrix import clients, world  # noqa: F401

pytestmark = pytest.mark.django_db

TITLE = re.compile(r"<title>\s*(.*?)\s*</title>", re.S)
H1 = re.compile(r"<h1[\s>]")


def test_every_page_has_its_own_title_and_one_h1(world, clients):  # noqa: F811
    pages_by_title = defaultdict(list)
    no_single_h1 = []
    for row in ROWS:
        persona = next((p for p in PERSONAS if row.get[p] == 200), None)
        if persona is None:
            continue
        url = reverse(row.name, args=row.args(world)) + row.query
        response = clients[persona].get(url, secure=True)
        if not response["Content-Type"].startswith("text/html"):
            continue  # downloads and the open data API
        html = response.content.decode()
        pages_by_title[TITLE.search(html).group(1)].append(row.name)
        if len(H1.findall(html)) != 1:
            no_single_h1.append(row.name)
    assert len(pages_by_title) >= 30
    shared = {title: names for title, names in pages_by_title.items() if len(set(names)) > 1}
    assert not shared, shared
    assert not no_single_h1, no_single_h1


def make_organisations(count):
    for i in range(count):
        OrganisationFactory(name=f"Group {i}")


def make_services(count):
    for i in range(count):
        ServiceFactory(name=f"Service {i}", published=True)


# The list pages people page through most; the title comes from the one pagination
# helper and base.html, so these stand for every list.
PAGED_LISTS = [
    ("officer_client", "mapping:organisation_directory", make_organisations),
    ("anon_client", "mapping:public_directory", make_organisations),
    ("officer_client", "services:service_list", make_services),
    ("anon_client", "services:public_catalogue", make_services),
]


def page_title(client, url, **query):
    return TITLE.search(client.get(url, query, secure=True).text).group(1)


@pytest.mark.parametrize(("client_name", "url_name", "make_rows"), PAGED_LISTS)
def test_each_page_of_a_list_names_its_page_in_the_title(
    request, settings, client_name, url_name, make_rows
):
    settings.PAGE_SIZE = 2
    make_rows(5)
    client = request.getfixturevalue(client_name)
    url = reverse(url_name)
    first = page_title(client, url)
    second = page_title(client, url, page=2)
    assert first != second
    assert "(page 1 of 3) - " in first
    assert "(page 2 of 3) - " in second
    assert second.endswith(settings.COUNCIL_NAME)
    # A page past the last shows the last, and says so.
    assert "(page 3 of 3) - " in page_title(client, url, page=99)


@pytest.mark.parametrize(("client_name", "url_name", "make_rows"), PAGED_LISTS)
def test_a_list_of_one_page_has_no_page_number_in_its_title(
    request, settings, client_name, url_name, make_rows
):
    settings.PAGE_SIZE = 5
    make_rows(5)
    title = page_title(request.getfixturevalue(client_name), reverse(url_name))
    assert "(page" not in title
