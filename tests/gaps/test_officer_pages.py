"""The officer mapping pages: group directory and profile, gap matrix, ward map, ward
drill-down, support needs and the method page."""

import csv
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from mapping.models import LegalForm, SupportNeed, VerificationStatus, Willingness
from services.models import ReviewStatus, RiskTier, ServiceCategory
from tests.factories import (
    CapacityOfferFactory,
    ConsultationAnswerFactory,
    ConsultationResponseFactory,
    OrganisationFactory,
    ServiceFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[0, 51], [0, 51.01], [0.01, 51.01], [0.01, 51], [0, 51]]],
}


def csv_rows(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def xlsx_rows(response):
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


@pytest.fixture
def ward():
    return WardFactory(name="Bellingham", code="E05013714", imd_decile=2, boundary=SQUARE)


OFFICER_PAGES = [
    ("mapping:organisation_directory", lambda g, w: []),
    ("mapping:organisation_detail", lambda g, w: [g.pk]),
    ("mapping:gap_matrix", lambda g, w: []),
    ("mapping:gap_map", lambda g, w: []),
    ("mapping:gap_method", lambda g, w: []),
    ("mapping:ward_detail", lambda g, w: [w.code]),
    ("mapping:support_needs", lambda g, w: []),
]


@pytest.mark.parametrize(("name", "args"), OFFICER_PAGES)
def test_only_officers_see_the_mapping_pages(
    name, args, anon_client, member_b_client, officer_client, group_b, ward
):
    url = reverse(name, args=args(group_b, ward))
    anonymous = anon_client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:sign_in"))
    # Even a member looking at their own group's officer page is refused.
    assert member_b_client.get(url).status_code == 403
    assert officer_client.get(url).status_code == 200
    assert officer_client.post(url).status_code == 405


def test_missing_groups_and_wards_are_not_found(officer_client):
    assert (
        officer_client.get(reverse("mapping:organisation_detail", args=[999999])).status_code
        == 404
    )
    assert (
        officer_client.get(reverse("mapping:ward_detail", args=["E05999999"])).status_code == 404
    )
    assert officer_client.get("/officer/wards/%3Cscript%3E/").status_code == 404


# The directory ---------------------------------------------------------------------------


def directory(client, **query):
    response = client.get(reverse("mapping:organisation_directory"), query)
    assert response.status_code == 200
    return [o.name for o in response.context["page_obj"]]


def test_the_directory_filters_by_ward_legal_form_verification_and_name(officer_client, ward):
    other = WardFactory()
    OrganisationFactory(name="Bellingham Friends", wards_served=[ward], legal_form=LegalForm.CIO)
    OrganisationFactory(name="Borough-wide Trust", serves_whole_borough=True)
    OrganisationFactory(
        name="Elsewhere Group",
        wards_served=[other],
        verification_status=VerificationStatus.PENDING,
    )
    assert directory(officer_client, ward=ward.pk) == ["Bellingham Friends", "Borough-wide Trust"]
    assert directory(officer_client, legal_form="cio") == ["Bellingham Friends"]
    assert directory(officer_client, verification_status="pending") == ["Elsewhere Group"]
    assert directory(officer_client, q="  trust ") == ["Borough-wide Trust"]


def test_the_offer_filters_apply_to_one_and_the_same_offer(officer_client):
    library, park = ServiceFactory(name="Library"), ServiceFactory(name="Park")
    training = SupportNeed.objects.get(code="training")
    both = OrganisationFactory(name="Ready for the library")
    offer = CapacityOfferFactory(
        organisation=both, service=library, willingness=Willingness.READY_NOW
    )
    offer.support_needed.set([training])
    split = OrganisationFactory(name="Ready only for the park")
    CapacityOfferFactory(organisation=split, service=park, willingness=Willingness.READY_NOW)
    CapacityOfferFactory(organisation=split, service=library, willingness=Willingness.EXPLORING)
    gone = OrganisationFactory(name="Withdrawn")
    CapacityOfferFactory(
        organisation=gone, service=library, willingness=Willingness.READY_NOW
    ).withdraw()

    ready_for_library = {"service": library.pk, "willingness": "ready_now"}
    assert directory(officer_client, **ready_for_library) == ["Ready for the library"]
    assert directory(officer_client, service=library.pk) == [
        "Ready for the library",
        "Ready only for the park",
    ]
    assert directory(officer_client, category=park.category_id) == ["Ready only for the park"]
    assert directory(officer_client, support_need=training.pk) == ["Ready for the library"]
    assert directory(officer_client, willingness="exploring") == ["Ready only for the park"]


def test_the_directory_sorts_pages_and_exports_every_row(officer_client, settings):
    settings.PAGE_SIZE = 3
    for i in range(5):
        group = OrganisationFactory(name=f"Group {i}", volunteers=i)
        for _ in range(i):
            CapacityOfferFactory(organisation=group)
    OrganisationFactory(name="@SUM(A1)")
    assert directory(officer_client, sort="-offers") == ["Group 4", "Group 3", "Group 2"]
    assert directory(officer_client, sort="-offers", page=2) == ["Group 1", "Group 0", "@SUM(A1)"]
    url = reverse("mapping:organisation_directory")
    rows = csv_rows(officer_client.get(url, {"export": "csv", "sort": "name"}))
    assert [r[0] for r in rows[1:]] == ["'@SUM(A1)", *[f"Group {i}" for i in range(5)]]
    assert rows[5][8] == "3"  # Group 3's active offers


@pytest.mark.parametrize(
    "query", [{"ward": "x"}, {"willingness": "keen"}, {"service": "999999"}, {"page": "-1"}]
)
def test_the_directory_explains_bad_filters(officer_client, query):
    OrganisationFactory()
    response = officer_client.get(reverse("mapping:organisation_directory"), query)
    assert response.status_code == 200
    if "page" not in query:
        assert "There is a problem" in response.text


def test_the_directory_says_what_to_do_when_empty(officer_client):
    response = officer_client.get(reverse("mapping:organisation_directory"))
    assert "No groups have registered yet" in response.text


def test_a_group_profile_lists_its_offers_with_their_wards(officer_client, ward):
    group = OrganisationFactory(
        name="Friends of Home Park", publish_contact=False, contact_email="hello@friends.test"
    )
    CapacityOfferFactory(
        organisation=group,
        service=ServiceFactory(name="Park care"),
        wards=[ward],
        volunteer_hours_per_month=12,
    )
    CapacityOfferFactory(organisation=group, service=ServiceFactory(name="Old offer")).withdraw()
    url = reverse("mapping:organisation_detail", args=[group.pk])
    response = officer_client.get(url)
    assert "Friends of Home Park" in response.text
    assert "hello@friends.test" in response.text  # officers see the contact, marked private
    assert "Not shown publicly." in response.text
    assert [o.service.name for o in response.context["offers"]] == ["Park care", "Old offer"]
    assert "Withdrawn" in response.text
    rows = xlsx_rows(officer_client.get(url, {"export": "xlsx"}))
    assert [(r[2], r[5], r[7]) for r in rows[1:]] == [
        ("Park care", 12, "Bellingham"),
        ("Old offer", 40, None),
    ]
    assert "Edit" not in response.text.split("<main")[1].split("Download")[0]


# The matrix ------------------------------------------------------------------------------


@pytest.fixture
def matrix_data(ward):
    blackheath = WardFactory(name="Blackheath", code="E05013715", imd_decile=9)
    parks = ServiceCategory.objects.get(slug="parks")
    library = ServiceFactory(name="Library", volunteer_hours_needed=20, wards=[ward, blackheath])
    park = ServiceFactory(
        name="Park",
        category=parks,
        review_status=ReviewStatus.UNDER_REVIEW,
        volunteer_hours_needed=10,
        wards=[ward],
    )
    for name in ("One", "Two"):
        CapacityOfferFactory(
            organisation=OrganisationFactory(name=name),
            service=library,
            willingness=Willingness.ALREADY_DELIVERING,
            volunteer_hours_per_month=10,
            wards=[blackheath],
        )
    CapacityOfferFactory(
        organisation=OrganisationFactory(
            name="Pending", verification_status=VerificationStatus.PENDING
        ),
        service=park,
        volunteer_hours_per_month=50,
        wards=[ward],
    )
    return library, park, blackheath


def test_the_matrix_writes_a_label_in_every_cell(officer_client, ward, matrix_data):
    library, _park, blackheath = matrix_data
    response = officer_client.get(reverse("mapping:gap_matrix"))
    table = response.text.split('class="govuk-table app-gap-matrix"')[1].split("</table>")[0]
    cells = re.findall(
        r'<td class="govuk-table__cell app-gap app-gap--(\w+)">(.*?)</td>', table, re.S
    )
    # Library: Bellingham no capacity, Blackheath covered (20 of 10); Park: Bellingham
    # no capacity (the pending group does not count), Blackheath not delivered.
    assert [c for c, _html in cells] == ["no_capacity", "covered", "no_capacity", "none"]
    for _class, html in cells:
        text = re.sub(r"<[^>]+>", "", html).strip()
        assert (text and text[0].isalpha()) or text.startswith("–"), html
    assert f'href="/officer/services/{library.pk}/#ward-{blackheath.code}"' in table
    assert f'href="{reverse("mapping:ward_detail", args=[ward.code])}"' in table
    assert "None*" in table  # Bellingham is deprived and below the library's median
    falling = response.text.split('id="falling-through"')[1].split("</ul>")[0]
    assert "Park" in falling and "Library" not in falling


def test_the_matrix_filters_and_counts_pending_groups_when_asked(officer_client, matrix_data):
    park = matrix_data[1]
    url = reverse("mapping:gap_matrix")
    response = officer_client.get(url, {"category": park.category_id})
    assert [s.name for s in response.context["analysis"].services] == ["Park"]
    response = officer_client.get(url, {"review_status": "under_review", "include_pending": "on"})
    analysis = response.context["analysis"]
    assert [s.name for s in analysis.services] == ["Park"]
    assert analysis.falling_through() == []
    assert "Groups still waiting for review are counted." in response.text
    response = officer_client.get(url, {"risk_tier": RiskTier.HIGH})
    assert "No services match these filters" in response.text


def test_the_matrix_export_holds_one_row_per_cell(officer_client, matrix_data):
    rows = csv_rows(officer_client.get(reverse("mapping:gap_matrix"), {"export": "csv"}))
    assert rows[0][:7] == [
        "Service",
        "Category",
        "Risk",
        "Review status",
        "Falling through the gaps",
        "Ward",
        "Ward code",
    ]
    assert [(r[0], r[5], r[8]) for r in rows[1:]] == [
        ("Library", "Bellingham", "No capacity"),
        ("Library", "Blackheath", "Covered"),
        ("Park", "Bellingham", "No capacity"),
    ]
    # Risk and review status in words, as on the pages.
    assert rows[3][2:5] == ["Low", "Under review", "Yes"]


def test_the_matrix_explains_a_bad_filter(officer_client, matrix_data):
    response = officer_client.get(reverse("mapping:gap_matrix"), {"category": "parks"})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert len(response.context["analysis"].services) == 2


# The map ---------------------------------------------------------------------------------


def test_the_map_draws_each_ward_with_a_boundary_as_a_link(officer_client, ward, matrix_data):
    response = officer_client.get(reverse("mapping:gap_map"))
    svg = response.text.split("<svg")[1].split("</svg>")[0]
    links = re.findall(r'<a href="([^"]+)" class="app-map__ward" aria-label="([^"]+)">', svg)
    assert links == [
        (
            reverse("mapping:ward_detail", args=[ward.code]),
            "Bellingham: 2 of 2 services with no capacity or fragile",
        ),
    ]
    assert "<title>Bellingham: 2 of 2 services with no capacity or fragile</title>" in svg
    assert 'fill="#a50f15"' in svg  # more than two thirds
    assert "style=" not in svg
    assert ">100%</tspan>" in svg
    # Blackheath has no boundary: in the table, with a note.
    assert "1 ward has no boundary and is not drawn on the map: Blackheath" in response.text
    table = response.text.split('id="table"')[1]
    assert "Blackheath" in table and "Not drawn: no boundary" in table


@pytest.mark.parametrize(
    ("metric", "figure", "fill"),
    [
        ("gaps", "100%", "#a50f15"),
        ("capacity", "0", "#f7f7f7"),
        ("deprivation", "2", "#3f007d"),
        ("comfort", "&lt;5", "url(#app-map-no-data)"),
    ],
)
def test_the_officer_chooses_what_the_map_shows(
    officer_client, ward, matrix_data, metric, figure, fill
):
    library = matrix_data[0]
    ConsultationAnswerFactory(response=ConsultationResponseFactory(ward=ward), service=library)
    response = officer_client.get(reverse("mapping:gap_map"), {"metric": metric})
    svg = response.text.split("<svg")[1].split("</svg>")[0]
    assert f'fill="{fill}"' in svg
    assert f'font-weight="bold">{figure}</tspan>' in svg
    assert response.context["metric"] == metric


def test_residents_comfort_shows_once_five_have_answered(officer_client, ward, matrix_data):
    library = matrix_data[0]
    for comfort in (4, 4, 5, 5, 2):
        ConsultationAnswerFactory(
            response=ConsultationResponseFactory(ward=ward, gives_time=comfort == 5),
            service=library,
            comfort=comfort,
        )
    response = officer_client.get(reverse("mapping:gap_map"), {"metric": "comfort"})
    svg = response.text.split("<svg")[1].split("</svg>")[0]
    assert 'font-weight="bold">4.0</tspan>' in svg
    assert 'fill="#01665e"' in svg
    assert "Comfort 4.00 of 5" in response.text
    assert "2 would give time" in response.text


def test_a_bad_metric_is_explained_and_the_gaps_are_shown(officer_client, ward):
    response = officer_client.get(reverse("mapping:gap_map"), {"metric": "<script>"})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert response.context["metric"] == "gaps"
    assert "<script>" not in response.text.split("<main")[1]


def test_the_map_without_any_boundary_says_so(officer_client):
    WardFactory(name="Nowhere")
    response = officer_client.get(reverse("mapping:gap_map"))
    assert "No ward has a boundary yet" in response.text
    assert "<svg xmlns" not in response.text


def test_the_map_table_exports_with_the_same_figures(officer_client, ward, matrix_data):
    rows = xlsx_rows(officer_client.get(reverse("mapping:gap_map"), {"export": "xlsx"}))
    assert rows[0][:3] == ["Ward", "Ward code", "Deprivation decile"]
    assert [r[:7] for r in rows[1:]] == [
        ["Bellingham", "E05013714", 2, 2, 2, 1, 0],
        ["Blackheath", "E05013715", 9, 1, 0, 0, 20],
    ]


# The ward drill-down -------------------------------------------------------------------------


def test_the_ward_drill_down_shows_its_gaps_and_groups(officer_client, ward, matrix_data):
    response = officer_client.get(reverse("mapping:ward_detail", args=["e05013714"]))
    assert response.context["ward"] == ward
    assert [(s.name, c.gap_class) for s, c in response.context["cells"]] == [
        ("Library", "no_capacity"),
        ("Park", "no_capacity"),
    ]
    assert "Among the most deprived 20% in England" in response.text
    assert [o.organisation.name for o in response.context["candidates"]] == ["Pending"]
    response = officer_client.get(
        reverse("mapping:ward_detail", args=[ward.code]), {"include_pending": "on"}
    )
    assert {s.name: c.capacity for s, c in response.context["cells"]}["Park"] == Decimal(40)


def test_the_ward_drill_down_exports_services_and_groups(officer_client, ward, matrix_data):
    url = reverse("mapping:ward_detail", args=[ward.code])
    services = csv_rows(officer_client.get(url, {"export": "csv"}))
    assert [(r[0], r[5]) for r in services[1:]] == [
        ("Library", "No capacity"),
        ("Park", "No capacity"),
    ]
    assert services[1][4] == "2"  # the ward's deprivation decile
    assert services[2][2:4] == ["Low", "Yes"]  # the park: its risk, and it falls through
    groups = csv_rows(officer_client.get(url, {"export": "csv", "table": "groups"}))
    assert [(r[0], r[2], r[12]) for r in groups[1:]] == [("Pending", "Park", "No")]


# Support needs ----------------------------------------------------------------------------


def test_support_needs_are_counted_once_per_group_overall_and_by_ward(officer_client, ward):
    other = WardFactory(name="Catford")
    training = SupportNeed.objects.get(code="training")
    funding = SupportNeed.objects.get(code="funding")
    group = OrganisationFactory()
    for service in (ServiceFactory(), ServiceFactory()):
        offer = CapacityOfferFactory(organisation=group, service=service, wards=[ward, other])
        offer.support_needed.set([training])
    pending = CapacityOfferFactory(
        organisation=OrganisationFactory(verification_status=VerificationStatus.PENDING),
        wards=[ward],
    )
    pending.support_needed.set([training, funding])
    withdrawn = CapacityOfferFactory(wards=[ward])
    withdrawn.support_needed.set([funding])
    withdrawn.withdraw()

    url = reverse("mapping:support_needs")
    response = officer_client.get(url)
    summary = {need.code: (groups, offers) for need, groups, offers in response.context["summary"]}
    assert summary["training"] == (1, 2)
    assert summary["funding"] == (0, 0)
    needs = [n.code for n in response.context["needs"]]
    by_ward = {
        w.name: dict(zip(needs, counts, strict=True))
        for w, counts in response.context["ward_rows"]
    }
    assert by_ward["Bellingham"]["training"] == 1
    assert by_ward["Catford"]["training"] == 1

    response = officer_client.get(url, {"include_pending": "on"})
    summary = {need.code: (groups, offers) for need, groups, offers in response.context["summary"]}
    assert summary["training"] == (2, 3)
    assert summary["funding"] == (1, 1)

    rows = csv_rows(officer_client.get(url, {"export": "csv"}))
    header = rows[0]
    assert rows[1][0] == "All wards (groups counted once)"
    assert rows[1][header.index("Training")] == "1"


def test_support_needs_say_what_to_do_when_nobody_has_asked(officer_client):
    response = officer_client.get(reverse("mapping:support_needs"), {"category": "nonsense"})
    assert response.status_code == 200
    assert "No group has asked for support yet" in response.text


# How it is calculated ------------------------------------------------------------------


def test_the_method_page_shows_the_settings_in_use(officer_client, settings):
    settings.GAP_ANALYSIS = {
        **settings.GAP_ANALYSIS,
        "WEIGHTS": {**settings.GAP_ANALYSIS["WEIGHTS"], "ready_now": "0.75"},
        "FRAGILE_BELOW": "0.4",
        "COVERED_FROM": "1.2",
        "MIN_ORGANISATIONS": 3,
        "DEPRIVED_DECILE_AT_MOST": 3,
    }
    text = officer_client.get(reverse("mapping:gap_method")).text
    assert re.search(r"Ready now</th><td[^>]*>0.75<", text)
    assert re.search(r"Already delivering</th><td[^>]*>1<", text)
    assert "Fewer than 3 willing groups" in text
    assert "coverage under 0.4" in text
    assert "coverage of 1.2 or more" in text
    assert "deprivation decile 3 or lower" in text


# Officer home ----------------------------------------------------------------------------


def test_officer_home_lists_the_services_falling_through_the_gaps(officer_client, ward):
    ServiceFactory(name="Youth club", review_status=ReviewStatus.UNDER_REVIEW, wards=[ward])
    ServiceFactory(name="Stable service", wards=[ward])
    response = officer_client.get(reverse("home"))
    assert "1 service is under review or being cut" in response.text
    panel = response.text.split('id="falling-through-title"')[1].split("</ul>")[0]
    assert "Youth club" in panel and "under review" in panel
    assert "Stable service" not in panel


def test_officer_home_stays_quiet_when_nothing_falls_through(officer_client):
    assert "falling-through-title" not in officer_client.get(reverse("home")).text
