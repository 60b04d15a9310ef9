"""The Open Referral UK API and export: valid against the V3.0-UK schemas, open data only."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from mapping.models import OfferRole, VerificationStatus, Willingness
from services import oruk
from services.models import RiskTier
from tests.factories import (
    CapacityOfferFactory,
    HandoverAgreementFactory,
    OrganisationFactory,
    ServiceFactory,
    WardFactory,
)
from tests.imports.conftest import square

pytestmark = pytest.mark.django_db

API_DETAILS = reverse("services:oruk_api_details")
ORGANISATIONS = reverse("services:oruk_organizations")
SERVICES = reverse("services:oruk_services")


def service_url(service):
    return reverse("services:oruk_service", kwargs={"id": oruk.record_id("service", service.pk)})


@pytest.fixture
def borough():
    wards = [
        WardFactory(code="E05013714", name="Bellingham", boundary=square()),
        WardFactory(code="E05013715", name="Blackheath", boundary=square(west=0.0)),
    ]
    charity = OrganisationFactory(
        name="Bellingham Befrienders",
        charity_number="1100001",
        company_number="09000009",
        website="https://befrienders.example.org",
        contact_email="hello@befrienders.example.org",
        contact_name="Pat Private",
        contact_phone="020 7946 0000",
        publish_contact=True,
    )
    quiet = OrganisationFactory(
        name="Quiet Group", contact_email="secret@example.org", publish_contact=False
    )
    pending = OrganisationFactory(
        name="Pending Group", verification_status=VerificationStatus.PENDING
    )
    library = ServiceFactory(
        name="Library", wards=wards, description="Books.", volunteer_hours_needed=90
    )
    hidden = ServiceFactory(name="Hidden service", published=False, wards=wards)
    for group in (charity, quiet, pending):
        CapacityOfferFactory(organisation=group, service=library, volunteer_hours_per_month=10)
    return {
        "wards": wards,
        "charity": charity,
        "quiet": quiet,
        "pending": pending,
        "library": library,
        "hidden": hidden,
    }


def test_the_root_says_which_standard_the_api_follows(anon_client, oruk_schemas):
    response = anon_client.get(API_DETAILS)
    assert response.status_code == 200
    details = response.json()
    oruk_schemas.response("/").validate(details)
    assert details["version"] == "3.0"
    assert details["openapi_url"].endswith("/V3.0-UK/open_api.json")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_organisations_validate_and_hold_only_verified_groups(
    anon_client, oruk_schemas, borough
):
    response = anon_client.get(ORGANISATIONS)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    oruk_schemas.check_page(data, "organization_list.json")
    assert [o["name"] for o in data["contents"]] == ["Bellingham Befrienders", "Quiet Group"]
    befrienders, quiet = data["contents"]
    assert befrienders["organization_identifiers"] == [
        {
            "id": befrienders["organization_identifiers"][0]["id"],
            "organization_id": befrienders["id"],
            "identifier_scheme": "GB-CHC",
            "identifier_type": oruk.IDENTIFIER_TYPES["GB-CHC"],
            "identifier": "1100001",
        },
        {
            "id": befrienders["organization_identifiers"][1]["id"],
            "organization_id": befrienders["id"],
            "identifier_scheme": "GB-COH",
            "identifier_type": "Company number (Companies House)",
            "identifier": "09000009",
        },
    ]
    assert befrienders["email"] == "hello@befrienders.example.org"
    # Contact details the group did not choose to publish never go out.
    assert "email" not in quiet
    text = response.content.decode()
    for private in ("secret@example.org", "Pat Private", "020 7946 0000", "Pending Group"):
        assert private not in text


def test_the_services_validate_with_wards_and_capacity(anon_client, oruk_schemas, borough):
    data = anon_client.get(SERVICES).json()
    oruk_schemas.check_page(data, "service_list.json")
    assert not oruk_schemas.errors(oruk_schemas.response("/services"), data)
    assert (data["total_items"], data["page_number"], data["first_page"], data["last_page"]) == (
        1,
        1,
        True,
        True,
    )
    (library,) = data["contents"]
    assert library["name"] == "Library"
    assert library["url"].endswith(f"/services/{borough['library'].pk}/")
    assert [(a["name"], a["uri"]) for a in library["service_areas"]] == [
        ("Bellingham", "http://statistics.data.gov.uk/id/statistical-geography/E05013714"),
        ("Blackheath", "http://statistics.data.gov.uk/id/statistical-geography/E05013715"),
    ]
    assert "extent" not in library["service_areas"][0]  # boundaries are on the service's page
    # Two verified groups offer: their count goes out, their hours do not (fewer than 3).
    (groups,) = library["service_capacity"]
    assert (groups["unit"]["name"], groups["available"]) == ("Community groups ready to help", 2)
    assert set(groups) == {"id", "unit", "available", "description", "updated"}
    assert library["organization"]["name"] == "Demo Borough Council"


def test_one_service_has_its_wards_boundaries_and_validates(anon_client, oruk_schemas, borough):
    response = anon_client.get(service_url(borough["library"]))
    assert response.status_code == 200
    data = response.json()
    assert not oruk_schemas.errors(oruk_schemas.response("/services/{id}"), data)
    area = data["service_areas"][0]
    assert area["extent_type"] == "geojson"
    assert json.loads(area["extent"]) == square()


def test_hours_go_out_once_three_groups_offer_them(anon_client, borough):
    CapacityOfferFactory(service=borough["library"], volunteer_hours_per_month=25)
    # Not counted: the pending group's offer (in the fixture) and one not interested.
    CapacityOfferFactory(service=borough["library"], willingness=Willingness.NOT_INTERESTED)
    data = anon_client.get(service_url(borough["library"])).json()
    groups, hours = data["service_capacity"]
    assert groups["available"] == 3
    assert (hours["unit"]["name"], hours["available"], hours["maximum"]) == (
        "Volunteer hours a month",
        45,
        90,
    )


def test_a_high_risk_service_counts_only_supporting_roles(anon_client, borough):
    care = ServiceFactory(name="Home care", risk_tier=RiskTier.HIGH)
    CapacityOfferFactory(service=care, role=OfferRole.RUN_SERVICE)
    CapacityOfferFactory(service=care, role=OfferRole.VOLUNTEER)
    data = anon_client.get(service_url(care)).json()
    assert data["service_capacity"][0]["available"] == 1


def test_a_handed_over_service_names_the_group_that_runs_it(anon_client, borough):
    agreement = HandoverAgreementFactory(
        service=borough["library"],
        organisation=borough["charity"],
        expression_of_interest__service=borough["library"],
        expression_of_interest__lead_organisation=borough["charity"],
    )
    data = anon_client.get(service_url(agreement.service)).json()
    assert data["organization"]["name"] == "Bellingham Befrienders"
    assert data["organization_id"] == oruk.record_id("organization", borough["charity"].pk)


@pytest.mark.parametrize("which", ["hidden", "missing", "not a uuid", "organisation id"])
def test_only_published_services_are_found(anon_client, borough, which):
    ids = {
        "hidden": oruk.record_id("service", borough["hidden"].pk),
        "missing": oruk.record_id("service", 99999),
        "not a uuid": "library",
        "organisation id": oruk.record_id("organization", borough["library"].pk),
    }
    response = anon_client.get(reverse("services:oruk_service", kwargs={"id": ids[which]}))
    assert response.status_code == 404
    assert response.json() == {"error": "There is no published service with this id."}


def test_pages_follow_oruk_paging(anon_client):
    OrganisationFactory.create_batch(5)
    data = anon_client.get(ORGANISATIONS, {"page": 2, "per_page": 2}).json()
    assert {k: v for k, v in data.items() if k != "contents"} == {
        "total_items": 5,
        "total_pages": 3,
        "page_number": 2,
        "size": 2,
        "first_page": False,
        "last_page": False,
        "empty": False,
    }
    past = anon_client.get(ORGANISATIONS, {"page": 9, "per_page": 2}).json()
    assert (past["contents"], past["empty"], past["size"], past["last_page"]) == (
        [],
        True,
        0,
        True,
    )
    capped = anon_client.get(ORGANISATIONS, {"per_page": 100000}).json()
    assert capped["size"] == 5 and capped["total_pages"] == 1


def test_scottish_and_northern_irish_charities_go_out_under_their_own_registers(
    anon_client, oruk_schemas
):
    OrganisationFactory(name="Glasgow Friends", charity_number="SC012345")
    OrganisationFactory(name="Belfast Friends", charity_number="NIC100012")
    data = anon_client.get(ORGANISATIONS).json()
    oruk_schemas.check_page(data, "organization_list.json")
    given = {
        o["name"]: [
            (i["identifier_scheme"], i["identifier"]) for i in o["organization_identifiers"]
        ]
        for o in data["contents"]
    }
    assert given == {
        "Belfast Friends": [("GB-NIC", "100012")],
        "Glasgow Friends": [("GB-SC", "SC012345")],
    }


@pytest.mark.parametrize(
    "query", [{"page": "0"}, {"page": "two"}, {"per_page": "-1"}, {"page": "1.5"}]
)
def test_bad_paging_is_a_clear_error(anon_client, query):
    response = anon_client.get(SERVICES, query)
    assert response.status_code == 400
    assert "must be a whole number from 1 up" in response.json()["error"]


@pytest.mark.parametrize("url", [API_DETAILS, ORGANISATIONS, SERVICES, "one service"])
def test_the_api_is_read_only(anon_client, url, borough):
    url = service_url(borough["library"]) if url == "one service" else url
    assert anon_client.post(url).status_code == 405
    assert anon_client.delete(url).status_code == 405


def test_ids_are_stable_and_lead_back_to_the_record():
    made = oruk.record_id("service", 1234)
    assert made == oruk.record_id("service", 1234)
    assert oruk.number_from_id("service", made) == 1234
    assert oruk.number_from_id("organization", made) is None


@pytest.mark.parametrize("rows", [2, 30])
def test_the_service_list_costs_the_same_queries_for_few_or_many(
    anon_client, django_assert_num_queries, rows
):
    wards = WardFactory.create_batch(3)
    for n in range(rows):
        service = ServiceFactory(wards=wards)
        CapacityOfferFactory(service=service)
        if n % 3 == 0:
            HandoverAgreementFactory(expression_of_interest__service=service)
    # count, the services with their capacity totals, their wards, their agreements
    with django_assert_num_queries(4):
        assert len(anon_client.get(SERVICES).json()["contents"]) == rows


@pytest.mark.parametrize("rows", [2, 30])
def test_the_organisation_list_costs_the_same_queries_for_few_or_many(
    anon_client, django_assert_num_queries, rows
):
    for n in range(rows):
        OrganisationFactory(charity_number=f"{1100000 + n}", company_number=f"{9000000 + n:08d}")
    # count, the page of organisations
    with django_assert_num_queries(2):
        assert len(anon_client.get(ORGANISATIONS).json()["contents"]) == rows


def test_a_single_service_costs_three_queries(anon_client, django_assert_num_queries, borough):
    # the service with its capacity totals, its wards, its agreements
    with django_assert_num_queries(3):
        anon_client.get(service_url(borough["library"]))


def test_the_export_validates_and_holds_only_open_data(oruk_schemas, borough):
    out = StringIO()
    call_command("export_oruk", stdout=out)
    data = json.loads(out.getvalue())
    assert [o["name"] for o in data["organizations"]] == ["Bellingham Befrienders", "Quiet Group"]
    assert [s["name"] for s in data["services"]] == ["Library"]
    for organisation in data["organizations"]:
        assert not oruk_schemas.errors(oruk_schemas.file("organization.json"), organisation)
    for service in data["services"]:
        assert not oruk_schemas.errors(oruk_schemas.file("service.json"), service)
        assert all("extent" in area for area in service["service_areas"])
    assert "secret@example.org" not in out.getvalue()


def test_the_schemas_do_refuse_what_is_not_oruk(oruk_schemas):
    """The validation above can fail: a service without its id and status, or with an id
    that is not a UUID, is refused."""
    service = oruk_schemas.file("service.json")
    assert oruk_schemas.errors(service, {"name": "Library"}) == [
        "'id' is a required property",
        "'status' is a required property",
    ]
    assert oruk_schemas.errors(service, {"id": "12", "name": "Library", "status": "active"}) == [
        "'12' is not a 'uuid'"
    ]
    assert oruk_schemas.errors(
        service, {"id": oruk.record_id("service", 1), "name": "L", "status": "open"}
    )
