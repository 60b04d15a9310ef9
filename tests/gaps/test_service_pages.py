"""The officer service catalogue: list, drill-down and edit."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from mapping.models import OfferRole, SupportNeed, VerificationStatus, Willingness
from services.actions import ServiceChanged, service_update
from services.forms import ServiceForm
from services.models import (
    DeliveryModel,
    ProvidingBody,
    ReviewStatus,
    RiskTier,
    Service,
    ServiceCategory,
)
from tests.factories import (
    CapacityOfferFactory,
    ConsultationAnswerFactory,
    ConsultationResponseFactory,
    OrganisationFactory,
    ServiceCategoryFactory,
    ServiceFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db


def csv_rows(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def xlsx_rows(response):
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def names_on(response):
    return [service.name for service, _gaps in response.context["rows"]]


# Who may see what ---------------------------------------------------------------------


@pytest.fixture
def service():
    ward = WardFactory(name="Bellingham", code="E05013714")
    return ServiceFactory(name="Central Library", wards=[ward])


@pytest.mark.parametrize("name", ["service_list", "service_detail", "service_edit"])
def test_anonymous_people_are_asked_to_sign_in(anon_client, service, name):
    args = [] if name == "service_list" else [service.pk]
    response = anon_client.get(reverse(f"services:{name}", args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


@pytest.mark.parametrize("name", ["service_list", "service_detail", "service_edit"])
def test_group_members_are_refused(member_a_client, service, name):
    args = [] if name == "service_list" else [service.pk]
    assert member_a_client.get(reverse(f"services:{name}", args=args)).status_code == 403


def test_group_members_cannot_post_an_edit(member_a_client, service):
    response = member_a_client.post(reverse("services:service_edit", args=[service.pk]), {})
    assert response.status_code == 403
    service.refresh_from_db()
    assert service.version == 1


@pytest.mark.parametrize("name", ["service_list", "service_detail"])
def test_read_only_pages_refuse_a_post(officer_client, service, name):
    args = [] if name == "service_list" else [service.pk]
    assert officer_client.post(reverse(f"services:{name}", args=args)).status_code == 405


@pytest.mark.parametrize("name", ["service_detail", "service_edit"])
def test_a_missing_service_is_not_found(officer_client, name):
    assert officer_client.get(reverse(f"services:{name}", args=[999999])).status_code == 404


# The list ---------------------------------------------------------------------------------


def test_the_list_filters_by_every_field(officer_client):
    parks = ServiceCategoryFactory(name="Parks")
    ward, other = WardFactory(), WardFactory()
    wanted = ServiceFactory(
        name="Park rangers",
        category=parks,
        risk_tier=RiskTier.MEDIUM,
        review_status=ReviewStatus.OPEN_TO_EOI,
        delivery_model=DeliveryModel.CO_PRODUCED,
        providing_body=ProvidingBody.PARISH,
        description="Rangers look after the woods.",
        wards=[ward],
    )
    ServiceFactory(name="Park cafe", category=parks, wards=[other])
    ServiceFactory(name="Rangers elsewhere", risk_tier=RiskTier.MEDIUM, wards=[ward])
    url = reverse("services:service_list")
    every = {
        "category": parks.pk,
        "risk_tier": "medium",
        "review_status": "open_to_eoi",
        "delivery_model": "co_produced",
        "providing_body": "parish",
        "ward": ward.pk,
        "q": "woods",
    }
    assert names_on(officer_client.get(url, every)) == [wanted.name]
    for key, value in every.items():
        assert wanted.name in names_on(officer_client.get(url, {key: value})), key
    assert names_on(officer_client.get(url, {"ward": other.pk})) == ["Park cafe"]


def test_the_list_sorts_and_pages(officer_client, settings):
    settings.PAGE_SIZE = 5
    for hours in range(12):
        ServiceFactory(name=f"Service {hours:02d}", volunteer_hours_needed=hours)
    url = reverse("services:service_list")
    response = officer_client.get(url, {"sort": "-hours"})
    assert names_on(response) == [f"Service {h:02d}" for h in (11, 10, 9, 8, 7)]
    response = officer_client.get(url, {"sort": "-hours", "page": 3})
    assert names_on(response) == ["Service 01", "Service 00"]


def test_the_list_shows_each_services_gaps(officer_client):
    wards = [WardFactory(), WardFactory()]
    at_risk = ServiceFactory(
        name="Youth club", review_status=ReviewStatus.UNDER_REVIEW, wards=wards
    )
    response = officer_client.get(reverse("services:service_list"))
    ((shown, gaps),) = response.context["rows"]
    assert shown == at_risk
    assert (gaps.gap_cells, gaps.ward_count, gaps.falling_through) == (2, 2, True)
    assert "2 of 2" in response.text
    assert "Falling through the gaps" in response.text


@pytest.mark.parametrize(
    "query",
    [
        {"category": "libraries"},
        {"ward": "-1"},
        {"risk_tier": "extreme"},
        {"sort": "password"},
        {"page": "many"},
        {"q": "x" * 500},
    ],
)
def test_the_list_explains_bad_filters_without_failing(officer_client, query):
    ServiceFactory(name="Still listed")
    response = officer_client.get(reverse("services:service_list"), query)
    assert response.status_code == 200
    if set(query) & {"category", "ward", "risk_tier", "q"}:
        assert "There is a problem" in response.text
    # The bad value is set aside: the list still shows the service.
    assert response.context["page_obj"].paginator.count == 1
    assert "Still listed" in response.text


def test_the_list_says_what_to_do_when_nothing_matches(officer_client):
    response = officer_client.get(reverse("services:service_list"))
    assert "There are no services yet" in response.text
    ServiceFactory()
    response = officer_client.get(reverse("services:service_list"), {"q": "nothing like it"})
    assert "No services match these filters" in response.text


def test_the_export_holds_every_filtered_row_not_one_page(officer_client, settings):
    settings.PAGE_SIZE = 5
    libraries = ServiceCategory.objects.get(slug="libraries")
    for i in range(7):
        ServiceFactory(name=f"Library {i}", category=libraries)
    ServiceFactory(name='=HYPERLINK("http://x")', category=libraries)
    ServiceFactory(name="Not a library")
    url = reverse("services:service_list")
    rows = csv_rows(officer_client.get(url, {"category": libraries.pk, "export": "csv"}))
    assert rows[0][:2] == ["Service", "Category"]
    assert [r[0] for r in rows[1:]] == [
        '\'=HYPERLINK("http://x")',
        *[f"Library {i}" for i in range(7)],
    ]
    sheet = xlsx_rows(officer_client.get(url, {"category": libraries.pk, "export": "xlsx"}))
    assert len(sheet) == 9


# The drill-down ---------------------------------------------------------------------------


@pytest.fixture
def library():
    a = WardFactory(name="Bellingham", code="E05013714", imd_decile=1)
    b = WardFactory(name="Blackheath", code="E05013715", imd_decile=9)
    service = ServiceFactory(name="Central Library", volunteer_hours_needed=40, wards=[a, b])
    training = SupportNeed.objects.get(code="training")
    ready = CapacityOfferFactory(
        organisation=OrganisationFactory(name="Ready Readers"),
        service=service,
        willingness=Willingness.READY_NOW,
        volunteer_hours_per_month=10,
        wards=[a],
    )
    ready.support_needed.set([training])
    CapacityOfferFactory(
        organisation=OrganisationFactory(name="Big Explorers"),
        service=service,
        willingness=Willingness.EXPLORING,
        volunteer_hours_per_month=100,
        wards=[a, b],
    )
    CapacityOfferFactory(
        organisation=OrganisationFactory(name="Delivering Now"),
        service=service,
        willingness=Willingness.ALREADY_DELIVERING,
        volunteer_hours_per_month=5,
        wards=[b],
    )
    CapacityOfferFactory(
        organisation=OrganisationFactory(
            name="Waiting Group", verification_status=VerificationStatus.PENDING
        ),
        service=service,
        willingness=Willingness.READY_NOW,
        volunteer_hours_per_month=50,
        wards=[b],
    )
    CapacityOfferFactory(
        organisation=OrganisationFactory(
            name="Rejected Group", verification_status=VerificationStatus.REJECTED
        ),
        service=service,
        wards=[a],
    )
    CapacityOfferFactory(
        organisation=OrganisationFactory(name="Not Bothered"),
        service=service,
        willingness=Willingness.NOT_INTERESTED,
        wards=[a],
    )
    CapacityOfferFactory(
        organisation=OrganisationFactory(name="Gone Away"), service=service, wards=[a]
    ).withdraw()
    return service


def test_the_drill_down_ranks_willing_groups_by_readiness_then_hours(officer_client, library):
    response = officer_client.get(reverse("services:service_detail", args=[library.pk]))
    names = [offer.organisation.name for offer in response.context["candidates"]]
    assert names == ["Delivering Now", "Waiting Group", "Ready Readers", "Big Explorers"]
    waiting = response.context["candidates"][1]
    assert not waiting.counts
    assert waiting.not_counted_because == "group waiting for review"
    for hidden in ("Rejected Group", "Not Bothered", "Gone Away"):
        assert hidden not in response.text


def test_the_drill_down_breaks_the_gaps_down_by_ward(officer_client, library):
    response = officer_client.get(reverse("services:service_detail", args=[library.pk]))
    rows = {ward.name: (cell, groups) for ward, cell, groups in response.context["ward_rows"]}
    # Bellingham: 10 x 0.8 + 100 x 0.2 / 2 = 18 of 20 needed, two groups: partial.
    bellingham, groups = rows["Bellingham"]
    assert (bellingham.capacity, bellingham.gap_class) == (Decimal(18), "partial")
    assert [o.organisation.name for o in groups] == ["Ready Readers", "Big Explorers"]
    # Blackheath: 5 x 1.0 + 100 x 0.2 / 2 = 15, two verified groups: partial (0.75).
    assert rows["Blackheath"][0].capacity == Decimal(15)
    assert 'id="ward-E05013714"' in response.text
    assert "Training: 1 group" in response.text


def test_counting_groups_waiting_for_review_changes_the_classes(officer_client, library):
    url = reverse("services:service_detail", args=[library.pk])
    response = officer_client.get(url, {"include_pending": "on"})
    rows = {ward.name: cell for ward, cell, _groups in response.context["ward_rows"]}
    # Blackheath: 15 + 50 x 0.8 = 55 of 20: covered.
    assert (rows["Blackheath"].capacity, rows["Blackheath"].gap_class) == (Decimal(55), "covered")
    assert response.context["candidates"][1].counts


def test_residents_demand_is_withheld_under_five_responses(officer_client, library):
    bellingham = library.wards.get(name="Bellingham")
    for _ in range(4):
        ConsultationAnswerFactory(
            response=ConsultationResponseFactory(ward=bellingham), service=library, comfort=5
        )
    url = reverse("services:service_detail", args=[library.pk])
    assert "Fewer than 5 responses" in officer_client.get(url).text
    ConsultationAnswerFactory(
        response=ConsultationResponseFactory(ward=bellingham, gives_time=True),
        service=library,
        comfort=2,
    )
    text = officer_client.get(url).text
    assert "Comfort 4.40 of 5" in text
    assert "1 would give time" in text


def test_the_drill_down_exports_its_two_tables(officer_client, library):
    url = reverse("services:service_detail", args=[library.pk])
    wards = csv_rows(officer_client.get(url, {"export": "csv"}))
    assert wards[0][:3] == ["Ward", "Ward code", "Deprivation decile"]
    assert [(r[0], r[3], r[5], r[6], r[7], r[8]) for r in wards[1:]] == [
        ("Bellingham", "Partial", "18.00", "20.00", "0.9000", "2"),
        ("Blackheath", "Partial", "15.00", "20.00", "0.7500", "2"),
    ]
    assert wards[1][-1] == "Ready Readers; Big Explorers"
    groups = xlsx_rows(officer_client.get(url, {"export": "xlsx", "table": "groups"}))
    assert [r[0] for r in groups[1:]] == [
        "Delivering Now",
        "Waiting Group",
        "Ready Readers",
        "Big Explorers",
    ]
    assert groups[4][8] == 50  # Big Explorers: 100 hours over 2 wards


def test_a_high_risk_drill_down_says_why_an_offer_does_not_count(officer_client):
    ward = WardFactory()
    care = ServiceFactory(risk_tier=RiskTier.HIGH, wards=[ward])
    CapacityOfferFactory(service=care, role=OfferRole.RUN_SERVICE, wards=[ward])
    response = officer_client.get(reverse("services:service_detail", args=[care.pk]))
    assert "high-risk service: only supporting roles count" in response.text


# Editing ----------------------------------------------------------------------------------


def form_data(service, **changes):
    data = {
        "name": service.name,
        "category": service.category_id,
        "providing_body": service.providing_body,
        "lgsl_code": "",
        "description": service.description,
        "annual_cost": "100000",
        "planned_budget_change": "0",
        "risk_tier": service.risk_tier,
        "delivery_model": service.delivery_model,
        "review_status": service.review_status,
        "wards": [w.pk for w in service.wards.all()],
        "volunteer_hours_needed": str(service.volunteer_hours_needed),
        "lead_officer": "",
        "published": "on",
        "version": str(service.version),
    }
    data.update(changes)
    return data


def test_an_officer_edits_a_service(officer_client, officer, service):
    new_ward = WardFactory(name="Catford South")
    url = reverse("services:service_edit", args=[service.pk])
    assert officer_client.get(url).context["form"]["version"].value() == 1
    response = officer_client.post(
        url,
        form_data(
            service,
            name="Central Library (Saturdays)",
            review_status="open_to_eoi",
            planned_budget_change="-£25,000",
            annual_cost="£1,250,000.50",
            wards=[new_ward.pk],
            lead_officer=str(officer.pk),
        ),
        follow=True,
    )
    assert response.redirect_chain == [
        (reverse("services:service_detail", args=[service.pk]), 302)
    ]
    assert "The service has been saved" in response.text
    service.refresh_from_db()
    assert service.name == "Central Library (Saturdays)"
    assert service.review_status == ReviewStatus.OPEN_TO_EOI
    assert service.planned_budget_change == Decimal("-25000")
    assert service.annual_cost == Decimal("1250000.50")
    assert list(service.wards.all()) == [new_ward]
    assert service.lead_officer == officer
    assert service.version == 2
    assert service.history.count() == 2  # created, then this one save


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Enter the name of the service"),
        ({"volunteer_hours_needed": "-5"}, "Volunteer hours cannot be negative"),
        ({"volunteer_hours_needed": "lots"}, "Enter the volunteer hours as a whole number"),
        ({"annual_cost": "-1"}, "The annual cost cannot be negative"),
        ({"annual_cost": "a lot"}, "Enter an amount in pounds"),
        ({"planned_budget_change": "1.234"}, "at most 2 numbers after the point"),
        ({"risk_tier": "extreme"}, "Select a valid choice"),
        ({"wards": ["999999"]}, "Select a valid choice"),
        ({"lgsl_code": "0"}, "above 0"),
        ({"lgsl_code": "99999999999999"}, "at most 5 digits"),
        ({"wards": ["99999999999999999999"]}, "Select a valid choice"),
        ({"volunteer_hours_needed": "99999999999999999999"}, "under 1,000,000"),
        ({"version": ""}, "This field is required"),
    ],
)
def test_bad_answers_are_explained_and_nothing_is_saved(officer_client, service, changes, message):
    url = reverse("services:service_edit", args=[service.pk])
    response = officer_client.post(url, form_data(service, **changes))
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert response.context["form"].data["name"] == changes.get("name", service.name)
    service.refresh_from_db()
    assert (service.name, service.version) == ("Central Library", 1)


def test_a_name_already_used_in_the_category_is_explained(officer_client, service):
    ServiceFactory(name="Mobile Library", category=service.category)
    url = reverse("services:service_edit", args=[service.pk])
    response = officer_client.post(url, form_data(service, name="mobile library"))
    assert "There is already a service called" in response.text


def test_a_stale_save_is_refused_and_shows_what_is_saved_now(officer_client, service):
    url = reverse("services:service_edit", args=[service.pk])
    mine = form_data(service, name="My new name")
    # Someone else saves first.
    theirs = ServiceForm(
        form_data(service, review_status="under_review", volunteer_hours_needed="250"),
        instance=service,
    )
    assert theirs.is_valid(), theirs.errors
    service_update(form=theirs, expected_version=1)

    response = officer_client.post(url, mine)
    assert response.status_code == 200
    assert "Someone else saved changes to this service" in response.text
    differences = dict(response.context["differences"])
    assert differences["Review status"] == "Under review"
    assert differences["Volunteer hours it needs a month"] == 250
    assert differences["Name"] == "Central Library"
    assert response.context["form"]["version"].value() == 2
    assert response.context["form"]["name"].value() == "My new name"
    service.refresh_from_db()
    assert (service.name, service.review_status, service.version) == (
        "Central Library",
        "under_review",
        2,
    )

    # Having read what is saved now, saving again is a deliberate choice.
    again = dict(mine, version="2")
    assert officer_client.post(url, again).status_code == 302
    service.refresh_from_db()
    assert (service.name, service.version) == ("My new name", 3)


def test_of_two_saves_from_the_same_version_only_one_is_written(service):
    first = ServiceForm(form_data(service, name="First"), instance=Service.objects.get())
    second = ServiceForm(form_data(service, name="Second"), instance=Service.objects.get())
    assert first.is_valid() and second.is_valid()
    service_update(form=first, expected_version=1)
    with pytest.raises(ServiceChanged) as refused:
        service_update(form=second, expected_version=1)
    assert refused.value.current.name == "First"
    service.refresh_from_db()
    assert (service.name, service.version) == ("First", 2)


def test_the_page_keeps_the_saved_name_while_answers_are_wrong(officer_client, service):
    url = reverse("services:service_edit", args=[service.pk])
    response = officer_client.post(url, form_data(service, name="Typo", annual_cost="x"))
    assert "<title>Error: Edit Central Library - Service catalogue" in response.text
    assert response.context["form"]["name"].value() == "Typo"
