"""An officer finds the gaps: map, ward, service, downloads. Screenshots in var/screenshots/."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from mapping.models import VerificationStatus, Willingness
from services.models import ReviewStatus
from tests.browser.conftest import assert_accessible, assert_fits_width, screenshot, sign_in
from tests.conftest import PASSWORD
from tests.factories import (
    CapacityOfferFactory,
    OrganisationFactory,
    ServiceFactory,
    WardFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def square(col, row):
    x, y = col * 0.02, 51.40 + row * 0.015
    ring = [[x, y], [x, y + 0.015], [x + 0.02, y + 0.015], [x + 0.02, y], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def borough(db):
    names = ["Bellingham", "Blackheath", "Brockley", "Catford South", "Crofton Park", "Deptford"]
    wards = [
        WardFactory(
            name=name,
            code=f"E050137{14 + i}",
            imd_decile=1 + (i * 2) % 10,
            boundary=square(i % 3, i // 3) if i < 5 else None,
        )
        for i, name in enumerate(names)
    ]
    library = ServiceFactory(
        name="Central Library",
        volunteer_hours_needed=120,
        wards=wards,
        review_status=ReviewStatus.UNDER_REVIEW,
    )
    youth = ServiceFactory(
        name="Youth club",
        volunteer_hours_needed=60,
        wards=wards[:3],
        review_status=ReviewStatus.OPEN_TO_EOI,
    )
    ServiceFactory(name="Park rangers", volunteer_hours_needed=30, wards=wards[2:])
    for i, willingness in enumerate(
        [Willingness.ALREADY_DELIVERING, Willingness.READY_NOW, Willingness.EXPLORING]
    ):
        CapacityOfferFactory(
            organisation=OrganisationFactory(name=f"Readers Group {i}"),
            service=library,
            willingness=willingness,
            volunteer_hours_per_month=20 + 10 * i,
            wards=wards[: 2 + i],
        )
    CapacityOfferFactory(
        organisation=OrganisationFactory(
            name="New Youth Project", verification_status=VerificationStatus.PENDING
        ),
        service=youth,
        wards=wards[:1],
    )
    return wards


def test_an_officer_follows_the_gaps_from_the_map_to_a_download(
    page, live_server, officer, borough
):
    sign_in(page, live_server, officer.email, PASSWORD)
    page.goto(f"{live_server.url}/officer/gaps/map/")
    assert page.get_by_role("heading", level=1).inner_text() == "Ward map"
    assert page.locator("svg a.app-map__ward").count() == 5
    assert "Deptford" in page.locator("#not-drawn").inner_text()
    screenshot(page, "gap-map")
    assert_accessible(page)

    page.get_by_role(
        "link", name="Bellingham: 1 of 2 services with no capacity or fragile"
    ).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Bellingham"
    services_table = page.get_by_role("table", name="Services delivered in this ward")
    assert "Central Library" in services_table.inner_text()
    assert "Falling through the gaps" in services_table.inner_text()  # the youth club
    screenshot(page, "ward-detail")
    assert_accessible(page)

    services_table.get_by_role("link", name="Central Library").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Central Library"
    shown = wards_shown(page.get_by_role("table", name="Wards covered"))
    assert [row["Ward"] for row in shown] == [
        "Bellingham",
        "Blackheath",
        "Brockley",
        "Catford South",
        "Crofton Park",
        "Deptford",
    ]
    screenshot(page, "service-detail")
    assert_accessible(page)

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="CSV").first.click()
    assert csv_download.value.suggested_filename == "central-library-by-ward.csv"
    text = csv_download.value.path().read_text(encoding="utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    downloaded = [dict(zip(header, row, strict=True)) for row in rows]
    assert len(downloaded) == len(shown)
    for on_screen, in_file in zip(shown, downloaded, strict=True):
        assert_same_ward_row(on_screen, in_file)

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Excel (XLSX)").first.click()
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_download.value.path().read_bytes())).active
    xlsx_header, *xlsx_rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert xlsx_header == header
    # The same rows as the CSV, numbers as numbers.
    for csv_row, xlsx_row in zip(rows, xlsx_rows, strict=True):
        for text_value, value in zip(csv_row, xlsx_row, strict=True):
            if isinstance(value, int | float):
                assert Decimal(text_value) == Decimal(str(value))
            else:
                assert text_value == (value or "")

    groups_shown = [
        [cell.strip() for cell in row.locator("th, td").all_inner_texts()]
        for row in page.get_by_role("table", name="Groups ready to help").locator("tbody tr").all()
    ]
    with page.expect_download() as groups_download:
        page.get_by_role("link", name="Excel (XLSX)").nth(1).click()
    groups = openpyxl.load_workbook(io.BytesIO(groups_download.value.path().read_bytes())).active
    groups_header, *group_rows = [[c.value for c in row] for row in groups.iter_rows()]
    column = {name: i for i, name in enumerate(groups_header)}
    assert [row[column["Group"]] for row in group_rows] == [
        "Readers Group 0",
        "Readers Group 1",
        "Readers Group 2",
    ]
    assert len(group_rows) == len(groups_shown)
    for on_screen, in_file in zip(groups_shown, group_rows, strict=True):
        group, ready, role, hours, wards, _needs, counts = on_screen
        assert group == in_file[column["Group"]]
        assert ready == in_file[column["How ready"]]
        assert role == in_file[column["Role"]]
        assert hours.split("\n")[0] == str(in_file[column["Volunteer hours a month"]])
        assert wards == in_file[column["Wards"]].replace("; ", ", ")
        assert counts.split(":")[0] == in_file[column["Counts in the gap analysis"]]


def wards_shown(table):
    """The rows of a service's "Wards covered" table, by column heading."""
    headings = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    rows = []
    for row in table.locator("tbody tr").all():
        cells = [c.strip() for c in row.locator("th, td").all_inner_texts()]
        values = dict(zip(headings, cells, strict=True))
        values["Ward"] = row.locator("th a").inner_text()
        rows.append(values)
    return rows


def assert_same_ward_row(on_screen, in_file):
    """A row of the page and the same row of the download say the same."""
    assert on_screen["Ward"] == in_file["Ward"]
    assert on_screen["Gap"].startswith(in_file["Class"])
    deprived = "Deprived ward left behind" in on_screen["Gap"]
    assert deprived == (in_file["Deprived ward below the usual capacity"] == "Yes")
    for shown, downloaded in [
        ("Weighted hours a month", "Weighted volunteer hours a month"),
        ("Hours needed", "Volunteer hours needed a month"),
    ]:
        assert on_screen[shown] == f"{Decimal(in_file[downloaded]):.1f}", shown
    assert on_screen["Willing groups"] == in_file["Willing groups"]
    named = [line.rsplit(" (", 1)[0] for line in on_screen["Groups counted here"].splitlines()]
    assert named == [name for name in in_file["Groups counted"].split("; ") if name]


def test_every_matrix_cell_says_its_class_in_words(page, live_server, officer, borough):
    sign_in(page, live_server, officer.email, PASSWORD)
    page.goto(f"{live_server.url}/officer/gaps/")
    cells = page.locator("td.app-gap")
    assert cells.count() == 3 * 6
    words = {"None": "no capacity", "Frag": "fragile", "Part": "partial", "Cov": "covered"}
    for text in cells.all_inner_texts():
        # The visible abbreviation, then the class in full for screen readers.
        visible, _sep, spoken = text.partition("\n")
        visible = visible.strip().rstrip("*")
        assert visible in {*words, "–"}, text
        if visible in words:
            assert words[visible] in spoken
    assert "Youth club" in page.locator("#falling-through").inner_text()
    screenshot(page, "gap-matrix")
    assert_accessible(page)


@pytest.mark.parametrize(
    "path",
    [
        "/officer/services/",
        "/officer/services/{service}/edit/",
        "/officer/groups/",
        "/officer/groups/{group}/",
        "/officer/gaps/how-it-is-calculated/",
        "/officer/support-needs/",
        "/officer/gaps/map/?metric=comfort",
        "/officer/services/?category=nonsense",
    ],
)
def test_the_other_officer_pages_are_accessible(page, live_server, officer, borough, path):
    from mapping.models import Organisation
    from services.models import Service

    path = path.format(service=Service.objects.first().pk, group=Organisation.objects.first().pk)
    sign_in(page, live_server, officer.email, PASSWORD)
    page.goto(f"{live_server.url}{path}")
    assert page.locator("h1").count() == 1
    assert_accessible(page)


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/officer/gaps/", "gap-matrix-phone"),
        ("/officer/gaps/map/", "gap-map-phone"),
        ("/officer/services/", "service-list-phone"),
        ("/officer/wards/E05013714/", "ward-detail-phone"),
    ],
)
def test_the_gap_pages_fit_a_phone(phone, live_server, officer, borough, path, name):
    sign_in(phone, live_server, officer.email, PASSWORD)
    phone.goto(f"{live_server.url}{path}")
    assert_fits_width(phone)
    screenshot(phone, name)
