"""Pages that would grow with the county, a page at a time (issue 10): the matrix by
services, a ward's groups, a service's groups. Downloads still hold every row."""

import csv
import io

import pytest
from django.urls import reverse

from mapping.models import Willingness
from services.models import ReviewStatus
from tests.factories import (
    CapacityOfferFactory,
    OrganisationFactory,
    ServiceFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db


def csv_rows(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


@pytest.fixture
def small_pages(settings):
    settings.PAGE_SIZE = 4


@pytest.fixture
def ward():
    return WardFactory(name="Bellingham", code="E05013714")


def test_the_matrix_shows_a_page_of_services_and_every_one_falling_through(
    officer_client, small_pages, ward
):
    for i in range(6):
        ServiceFactory(name=f"Service {i}", wards=[ward], review_status=ReviewStatus.UNDER_REVIEW)
    url = reverse("mapping:gap_matrix")
    first = officer_client.get(url)
    assert [s.name for s, _cells in first.context["rows"]] == [f"Service {i}" for i in range(4)]
    # Nobody offers to help anywhere: every one of them is listed, whatever the page.
    falling = first.text.split('id="falling-through"')[1].split("</ul>")[0]
    assert all(f"Service {i}" in falling for i in range(6))
    assert "Showing 1 to 4 of 6" in first.text
    second = officer_client.get(url, {"page": 2})
    assert [s.name for s, _cells in second.context["rows"]] == ["Service 4", "Service 5"]
    # The download still holds every cell, not one page.
    assert len(csv_rows(officer_client.get(url, {"export": "csv"}))) == 1 + 6


@pytest.mark.parametrize("page", ["0", "-1", "abc", "999", "2.5", "<b>"])
def test_a_bad_page_number_shows_the_nearest_page_of_the_matrix(
    officer_client, small_pages, ward, page
):
    for i in range(6):
        ServiceFactory(name=f"Service {i}", wards=[ward])
    response = officer_client.get(reverse("mapping:gap_matrix"), {"page": page})
    assert response.status_code == 200
    assert len(response.context["rows"]) in (2, 4)


def test_the_matrix_keeps_the_filters_on_its_page_links(officer_client, small_pages, ward):
    for i in range(6):
        ServiceFactory(name=f"Service {i}", wards=[ward], review_status=ReviewStatus.OPEN_TO_EOI)
    response = officer_client.get(reverse("mapping:gap_matrix"), {"review_status": "open_to_eoi"})
    assert "review_status=open_to_eoi&amp;page=2" in response.text


def groups_ready(ward, service, count):
    return [
        CapacityOfferFactory(
            organisation=OrganisationFactory(name=f"Group {i:02d}"),
            service=service,
            wards=[ward],
            willingness=Willingness.READY_NOW,
            volunteer_hours_per_month=100 - i,
        )
        for i in range(count)
    ]


def test_a_ward_lists_its_groups_a_page_at_a_time_best_first(officer_client, small_pages, ward):
    library = ServiceFactory(name="Library", wards=[ward])
    groups_ready(ward, library, 6)
    url = reverse("mapping:ward_detail", args=[ward.code])
    first = officer_client.get(url)
    assert [o.organisation.name for o in first.context["candidates"]] == [
        "Group 00",
        "Group 01",
        "Group 02",
        "Group 03",
    ]
    second = officer_client.get(url, {"page": 2})
    assert [o.organisation.name for o in second.context["candidates"]] == ["Group 04", "Group 05"]
    # Each still says whether it counts, and its hours per ward.
    assert all(o.counts for o in second.context["candidates"])
    groups = csv_rows(officer_client.get(url, {"export": "csv", "table": "groups"}))
    assert len(groups) == 1 + 6


def test_a_service_lists_its_groups_a_page_at_a_time_but_counts_them_all(
    officer_client, small_pages, ward
):
    library = ServiceFactory(name="Library", wards=[ward])
    groups_ready(ward, library, 6)
    url = reverse("services:service_detail", args=[library.pk])
    first = officer_client.get(url)
    assert [o.organisation.name for o in first.context["page_obj"]] == [
        "Group 00",
        "Group 01",
        "Group 02",
        "Group 03",
    ]
    # The table of wards names every group counted there, not only this page's.
    (_ward, cell, counted), *_rest = first.context["ward_rows"]
    assert cell.organisations == 6
    assert len(counted) == 6
    assert 'href="/officer/groups/' in first.text
    second = officer_client.get(url, {"page": 2})
    assert [o.organisation.name for o in second.context["page_obj"]] == ["Group 04", "Group 05"]
    assert len(csv_rows(officer_client.get(url, {"export": "csv", "table": "groups"}))) == 1 + 6


@pytest.mark.parametrize("page", ["0", "abc", "999", "<b>"])
def test_a_bad_page_number_shows_the_nearest_page_of_groups(
    officer_client, small_pages, ward, page
):
    library = ServiceFactory(name="Library", wards=[ward])
    groups_ready(ward, library, 6)
    for url in (
        reverse("mapping:ward_detail", args=[ward.code]),
        reverse("services:service_detail", args=[library.pk]),
    ):
        response = officer_client.get(url, {"page": page})
        assert response.status_code == 200
        assert len(response.context["page_obj"]) in (2, 4)
