"""The public service catalogue: published services, those under review and open to
expressions of interest first."""

import pytest
from django.urls import reverse

from services.models import ReviewStatus
from tests.factories import (
    ConsultationFactory,
    ServiceCategoryFactory,
    ServiceFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("services:public_catalogue")


def detail_url(service):
    return reverse("services:public_service", args=[service.pk])


def test_the_catalogue_lists_published_services_open_and_under_review_first(anon_client):
    ServiceFactory(name="Allotments", review_status=ReviewStatus.NOT_UNDER_REVIEW)
    ServiceFactory(name="Bowling greens", review_status=ReviewStatus.UNDER_REVIEW)
    ServiceFactory(name="Community library", review_status=ReviewStatus.OPEN_TO_EOI)
    ServiceFactory(name="Secret pilot", published=False)
    html = anon_client.get(CATALOGUE).content.decode()
    assert "Secret pilot" not in html
    order = [html.index(name) for name in ["Community library", "Bowling greens", "Allotments"]]
    assert order == sorted(order)
    assert "1 service is open to expressions of interest" in html
    assert '<strong class="govuk-tag">Open to expressions of interest</strong>' in html


def test_the_catalogue_filters_by_category_status_and_name(anon_client):
    parks = ServiceCategoryFactory(slug="parks")
    ServiceFactory(name="Ladywell Fields", category=parks, review_status=ReviewStatus.OPEN_TO_EOI)
    ServiceFactory(name="Hilly Fields", category=parks)
    ServiceFactory(name="Central Library", review_status=ReviewStatus.OPEN_TO_EOI)

    def names(query):
        html = anon_client.get(CATALOGUE, query).content.decode()
        return {n for n in ["Ladywell Fields", "Hilly Fields", "Central Library"] if n in html}

    assert names({"category": parks.pk}) == {"Ladywell Fields", "Hilly Fields"}
    assert names({"status": "open_to_eoi"}) == {"Ladywell Fields", "Central Library"}
    assert names({"category": parks.pk, "status": "open_to_eoi"}) == {"Ladywell Fields"}
    assert names({"q": "library"}) == {"Central Library"}


def test_bad_filter_input_is_explained_not_an_error(anon_client):
    ServiceFactory(name="Central Library")
    response = anon_client.get(CATALOGUE, {"status": "bogus", "category": "x", "page": "999"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "Central Library" in response.content.decode()


def test_an_empty_catalogue_and_an_empty_search_say_what_to_do(anon_client):
    assert "No services are listed yet" in anon_client.get(CATALOGUE).content.decode()
    ServiceFactory(name="Central Library")
    html = anon_client.get(CATALOGUE, {"q": "zzz"}).content.decode()
    assert "No services match these filters" in html


def test_a_service_page_shows_what_the_public_may_know(anon_client):
    ladywell = WardFactory(name="Ladywell")
    service = ServiceFactory(
        name="Central Library",
        description="Books, computers and a warm space.",
        review_status=ReviewStatus.OPEN_TO_EOI,
        wards=[ladywell],
        annual_cost=123456,
    )
    consultation = ConsultationFactory(title="Library futures")
    consultation.services.set([service])
    ConsultationFactory(title="A draft about it", is_published=False).services.set([service])
    html = anon_client.get(detail_url(service)).content.decode()
    assert "Central Library" in html and "Books, computers" in html and "Ladywell" in html
    assert "open to expressions of interest" in html
    assert "Library futures" in html and "A draft about it" not in html
    assert "123,456" not in html  # budget figures stay on the officer pages


def test_an_unpublished_or_missing_service_is_not_found(anon_client, officer_client):
    hidden = ServiceFactory(published=False)
    assert anon_client.get(detail_url(hidden)).status_code == 404
    assert officer_client.get(detail_url(hidden)).status_code == 404
    assert anon_client.get(reverse("services:public_service", args=[999999])).status_code == 404


def test_the_catalogue_refuses_posts(anon_client):
    service = ServiceFactory()
    assert anon_client.post(CATALOGUE).status_code == 405
    assert anon_client.post(detail_url(service)).status_code == 405


@pytest.mark.parametrize("how_many", [3, 40])
def test_the_catalogue_takes_the_same_queries_for_few_or_many(
    anon_client, django_assert_num_queries, how_many
):
    for _ in range(how_many):
        ServiceFactory()
    # the category list for the filter, the count for the pager, the page of services,
    # the number open to expressions of interest
    with django_assert_num_queries(4):
        anon_client.get(CATALOGUE)


@pytest.mark.parametrize("how_many", [1, 30])
def test_a_service_page_takes_the_same_queries_however_many_wards(
    anon_client, django_assert_num_queries, how_many
):
    service = ServiceFactory(wards=[WardFactory() for _ in range(how_many)])
    for _ in range(how_many):
        ConsultationFactory().services.set([service])
    # the service with its category, its wards, its open consultations
    with django_assert_num_queries(3):
        anon_client.get(detail_url(service))
