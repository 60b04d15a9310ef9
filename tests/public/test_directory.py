"""The public directory: verified groups only, contact details only when published."""

import pytest
from django.urls import reverse

from mapping.models import VerificationStatus, Willingness
from tests.factories import (
    CapacityOfferFactory,
    OrganisationFactory,
    ServiceCategoryFactory,
    ServiceFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("mapping:public_directory")

CONTACT = {
    "contact_name": "Priya Secretkeeper",
    "contact_email": "priya@private.example",
    "contact_phone": "07700 900123",
    "address": "12 Hidden Road",
    "postcode": "SE6 9ZZ",
}


def detail_url(organisation):
    return reverse("mapping:public_organisation", args=[organisation.pk])


@pytest.fixture
def groups():
    verified = OrganisationFactory(name="Friends of Hilly Fields", **CONTACT)
    pending = OrganisationFactory(
        name="Pending Players", verification_status=VerificationStatus.PENDING
    )
    rejected = OrganisationFactory(
        name="Rejected Rovers", verification_status=VerificationStatus.REJECTED
    )
    return verified, pending, rejected


def test_the_directory_lists_verified_groups_only(anon_client, groups):
    page = anon_client.get(DIRECTORY).content.decode()
    assert "Friends of Hilly Fields" in page
    assert "Pending Players" not in page and "Rejected Rovers" not in page


@pytest.mark.parametrize("status", [VerificationStatus.PENDING, VerificationStatus.REJECTED])
def test_an_unverified_group_has_no_public_page(anon_client, member_a_client, group_a, status):
    group_a.verification_status = status
    group_a.save()
    assert anon_client.get(detail_url(group_a)).status_code == 404
    # Not even its own members see it on the public pages.
    assert member_a_client.get(detail_url(group_a)).status_code == 404


def test_a_missing_group_is_not_found(anon_client):
    assert (
        anon_client.get(reverse("mapping:public_organisation", args=[999999])).status_code == 404
    )


def test_unpublished_contact_details_appear_nowhere_in_the_html(anon_client, groups):
    verified, *_others = groups
    for url in [DIRECTORY, detail_url(verified), DIRECTORY + "?q=hilly"]:
        html = anon_client.get(url).content.decode()
        for value in CONTACT.values():
            assert value not in html
    assert (
        "chosen not to publish its contact details"
        in anon_client.get(detail_url(verified)).content.decode()
    )


def test_published_contact_details_are_shown_on_the_group_page(anon_client, groups):
    verified, *_others = groups
    verified.publish_contact = True
    verified.save()
    html = anon_client.get(detail_url(verified)).content.decode()
    for value in CONTACT.values():
        assert value in html
    assert "mailto:priya@private.example" in html


def test_a_group_page_says_what_it_does_and_where(anon_client):
    ladywell, catford = WardFactory(name="Ladywell"), WardFactory(name="Catford")
    group = OrganisationFactory(name="Ladywell Readers", wards_served=[ladywell, catford])
    library = ServiceFactory(
        name="Ladywell Library", category=ServiceCategoryFactory(slug="libraries")
    )
    CapacityOfferFactory(organisation=group, service=library, wards=[ladywell])
    not_interested = ServiceFactory(name="Refuse collection")
    CapacityOfferFactory(
        organisation=group, service=not_interested, willingness=Willingness.NOT_INTERESTED
    )
    secret = ServiceFactory(name="Unpublished pilot", published=False)
    CapacityOfferFactory(organisation=group, service=secret)
    html = anon_client.get(detail_url(group)).content.decode()
    assert "Ladywell" in html and "Catford" in html
    assert "Libraries" in html and "Ladywell Library" in html
    assert "Refuse collection" not in html and "Unpublished pilot" not in html


def test_the_directory_filters_by_ward_category_and_name(anon_client):
    ladywell, catford = WardFactory(name="Ladywell"), WardFactory(name="Catford")
    parks = ServiceCategoryFactory(slug="parks")
    libraries = ServiceCategoryFactory(slug="libraries")
    readers = OrganisationFactory(name="Ladywell Readers", wards_served=[ladywell])
    gardeners = OrganisationFactory(name="Catford Gardeners", wards_served=[catford])
    OrganisationFactory(name="Borough Befrienders", serves_whole_borough=True)
    CapacityOfferFactory(organisation=readers, service=ServiceFactory(category=libraries))
    CapacityOfferFactory(organisation=gardeners, service=ServiceFactory(category=parks))

    def names(query):
        html = anon_client.get(DIRECTORY, query).content.decode()
        return {
            name
            for name in ["Ladywell Readers", "Catford Gardeners", "Borough Befrienders"]
            if name in html
        }

    assert names({"ward": ladywell.pk}) == {"Ladywell Readers", "Borough Befrienders"}
    assert names({"category": parks.pk}) == {"Catford Gardeners"}
    assert names({"q": "  readers "}) == {"Ladywell Readers"}
    assert names({"ward": catford.pk, "category": libraries.pk}) == set()


def test_bad_filter_input_is_explained_not_an_error(anon_client, groups):
    response = anon_client.get(DIRECTORY, {"ward": "abc", "category": "99999", "page": "-3"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Friends of Hilly Fields" in html


def test_the_directory_refuses_posts(anon_client, groups):
    verified, *_others = groups
    assert anon_client.post(DIRECTORY).status_code == 405
    assert anon_client.post(detail_url(verified)).status_code == 405


def test_an_empty_directory_says_what_to_do(anon_client):
    assert "No groups are listed yet" in anon_client.get(DIRECTORY).content.decode()


def make_groups(how_many):
    wards = [WardFactory() for _ in range(3)]
    category = ServiceCategoryFactory(slug="libraries")
    for _ in range(how_many):
        group = OrganisationFactory(wards_served=wards)
        CapacityOfferFactory(organisation=group, service=ServiceFactory(category=category))
    return group


@pytest.mark.parametrize("how_many", [3, 40])
def test_the_directory_takes_the_same_queries_for_few_or_many(
    anon_client, django_assert_num_queries, how_many
):
    make_groups(how_many)
    # the filter's ward and category lists, the count, the page of groups, their wards,
    # their offers with services and categories
    with django_assert_num_queries(6):
        response = anon_client.get(DIRECTORY)
    assert response.status_code == 200


@pytest.mark.parametrize("how_many", [1, 30])
def test_a_group_page_takes_the_same_queries_however_much_it_offers(
    anon_client, django_assert_num_queries, how_many
):
    group = OrganisationFactory(wards_served=[WardFactory() for _ in range(how_many)])
    for _ in range(how_many):
        CapacityOfferFactory(organisation=group, service=ServiceFactory())
    # the group, its wards, its offers with services and categories
    with django_assert_num_queries(3):
        anon_client.get(detail_url(group))
