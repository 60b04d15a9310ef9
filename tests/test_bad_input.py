"""Tampered addresses never cause a server error: every page answers a huge id, an
unknown code or nonsense in its query string with a page that explains, or "not found".

The routes are read from the URL configuration, so pages added later are checked too.
The test client re-raises any exception a view lets through, so a bug fails loudly here
rather than showing the "problem with the service" page.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import (
    CapacityOfferFactory,
    ConsultationFactory,
    OrganisationFactory,
    ServiceFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db

# Bigger than any database integer: SQLite refuses to even bind it.
HUGE = "99999999999999999999"


def routes(patterns=None, prefix=""):
    """(route, name) for every URL of the app, the Django admin left out."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if getattr(pattern, "app_name", None) == "admin":
                continue
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.name


def with_ids(route, number):
    path = re.sub(r"<int:\w+>", number, route)
    path = re.sub(r"<(slug|str):\w+>", "no-such-thing", path)
    return "/" + path


ROUTES_WITH_IDS = [(route, name) for route, name in routes() if "<int:" in route]
PLAIN_ROUTES = [(route, name) for route, name in routes() if "<" not in route]


def test_the_routes_are_found():
    names = {name for _route, name in ROUTES_WITH_IDS}
    assert {"organisation_detail", "service_detail", "public_organisation"} <= names
    assert {"gap_matrix", "public_directory", "service_list"} <= {n for _r, n in PLAIN_ROUTES}


@pytest.fixture
def some_of_everything():
    ward = WardFactory(name="Bellingham", code="E05013714")
    service = ServiceFactory(name="Central Library", wards=[ward], published=True)
    group = OrganisationFactory(name="Readers", wards_served=[ward])
    CapacityOfferFactory(organisation=group, service=service, wards=[ward])
    ConsultationFactory().services.set([service])


@pytest.mark.parametrize("persona", ["anon_client", "member_a_client", "officer_client"])
@pytest.mark.parametrize(("route", "name"), ROUTES_WITH_IDS, ids=[n for _r, n in ROUTES_WITH_IDS])
def test_a_huge_or_missing_id_is_not_found(request, persona, route, name, some_of_everything):
    client = request.getfixturevalue(persona)
    for number in (HUGE, "999999"):
        for method in (client.get, client.post):
            response = method(with_ids(route, number))
            # Not found, or refused before the lookup: sign in first, wrong method.
            assert response.status_code in (302, 403, 404, 405), (method, number)


BAD_QUERIES = [
    "page=abc&sort=nonsense",
    f"page={HUGE}&sort=-",
    "page=-1&sort=--name",
    f"ward={HUGE}&category=abc&status=zz&metric=zz&risk_tier=zz&review_status=zz",
    "ward=-1&service=abc&support_need=abc&willingness=zz&legal_form=zz&include_pending=zz",
    f"verification_status=zz&state=zz&delivery_model=zz&providing_body=zz&q={'x' * 3000}",
    "export=csv&ward=abc&sort=zz",
    f"export=xlsx&page=abc&category={HUGE}",
]


@pytest.mark.parametrize("persona", ["anon_client", "officer_client"])
@pytest.mark.parametrize(("route", "name"), PLAIN_ROUTES, ids=[n for _r, n in PLAIN_ROUTES])
def test_nonsense_in_the_query_string_is_never_a_server_error(
    request, persona, route, name, some_of_everything
):
    client = request.getfixturevalue(persona)
    for query in BAD_QUERIES:
        response = client.get(f"/{route}?{query}")
        assert response.status_code in (200, 302, 400, 403, 404, 405), query
        if response.streaming:
            b"".join(response.streaming_content)
