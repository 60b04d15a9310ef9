"""Results: figures as computed by hand, small groups withheld, no subtraction that
reveals a withheld group, and the same in the downloads."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from mapping.consultation_results import OTHERS, TOTAL, WARD, pool_wards, tabulate_results
from mapping.demand import Demand
from tests.consultation.helpers import make_consultation
from tests.factories import (
    ConsultationAnswerFactory,
    ConsultationResponseFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db


def respond(consultation, ward, comforts, *, gives_time=False, hours=None, comment=""):
    """One response answering every service: ``comforts`` in the services' order."""
    response = ConsultationResponseFactory(
        consultation=consultation,
        ward=ward,
        gives_time=gives_time,
        hours_per_month=hours,
        comment=comment,
    )
    for service, value in zip(consultation.services.order_by("pk"), comforts, strict=True):
        ConsultationAnswerFactory(response=response, service=service, comfort=value)
    return response


def figures(row):
    f = row.figures
    return (f.responses, f.mean_comfort, f.percent_uneasy, f.volunteers, f.volunteer_hours)


# Pooling -----------------------------------------------------------------------------------


def test_wards_of_five_or_more_are_shown_and_smaller_ones_pooled():
    assert pool_wards({1: 5, 2: 9, 3: 2, 4: 3}) == ({1, 2}, {3, 4})


def test_a_pool_under_five_takes_in_the_smallest_shown_ward():
    # 3 alone in the pool: the total minus wards 1 and 2 would reveal it.
    assert pool_wards({1: 5, 2: 9, 3: 3}) == ({2}, {1, 3})


def test_pooling_continues_until_the_pool_reaches_five_or_nothing_is_left():
    assert pool_wards({1: 1, 2: 1}) == (set(), {1, 2})
    assert pool_wards({1: 7, 2: 8}) == ({1, 2}, set())
    assert pool_wards({}) == (set(), set())


def test_combining_cells_is_exact():
    a = Demand(5, 4, Decimal("3.00"), 1, 2, 8, comfort_total=12)
    b = Demand(6, 6, Decimal("2.17"), 3, 1, 5, comfort_total=13)
    both = Demand.combine([a, b])
    assert (both.responses, both.comfort_answers, both.comfort_total) == (11, 10, 25)
    assert both.mean_comfort == Decimal("2.50")
    assert (both.uneasy, both.volunteers, both.volunteer_hours) == (4, 3, 13)
    assert both.percent_uneasy == Decimal("40")


# Figures against hand-computed values --------------------------------------------------------


@pytest.fixture
def survey():
    """Ladywell: 6 people; Catford: 5; Grove Park: 2; Bellingham: 1; Lee Green: nobody."""
    consultation, library, park, green = make_consultation()
    ladywell, catford = WardFactory(name="Ladywell"), WardFactory(name="Catford")
    grove, bellingham = WardFactory(name="Grove Park"), WardFactory(name="Bellingham")
    WardFactory(name="Lee Green")
    # (library, park, green) for each person
    for comforts, gives, hours in [
        ((1, 5, 4), True, 4),
        ((2, 5, None), False, None),
        ((2, 4, 4), True, 10),
        ((4, 4, 3), False, None),
        ((5, 3, None), False, None),
        ((None, 2, 2), True, 2),
    ]:
        respond(consultation, ladywell, comforts, gives_time=gives, hours=hours)
    for comforts in [(3, 3, 3), (4, 4, 4), (5, 5, 5), (1, 1, 1), (2, 2, 2)]:
        respond(consultation, catford, comforts)
    respond(consultation, grove, (1, 1, 1), gives_time=True, hours=20)
    respond(consultation, grove, (5, 5, 5))
    respond(consultation, bellingham, (1, 2, 3))
    return consultation, library, park, green


def test_the_figures_match_those_computed_by_hand(survey):
    consultation, library, park, green = survey
    results = tabulate_results(consultation)
    by_ward = {row.label: row for row in results.by_ward.rows}
    # Ladywell and Catford shown; Grove Park (2) and Bellingham (1) pool to 3, under 5,
    # so Catford (the smallest shown) joins them: 8 in "Other wards".
    assert list(by_ward) == ["Ladywell", "Other wards", "All wards"]
    assert results.pooled_wards == ["Bellingham", "Catford", "Grove Park"]
    assert results.wards_without_responses == ["Lee Green"]
    assert figures(by_ward["Ladywell"])[0::3] == (6, 3)
    assert by_ward["Ladywell"].figures.volunteer_hours == 16
    assert (by_ward["Other wards"].figures.responses, by_ward["All wards"].figures.responses) == (
        8,
        14,
    )

    library_rows = {row.label: row for row in results.tables[0].rows}
    assert results.tables[0].service == library
    # Ladywell, library: 1, 2, 2, 4, 5 and one don't know -> 14 / 5 = 2.8; uneasy 3 of 5.
    assert figures(library_rows["Ladywell"]) == (6, Decimal("2.80"), Decimal("60"), 3, 16)
    # Others, library: Catford 3, 4, 5, 1, 2; Grove 1, 5; Bellingham 1 -> 22 / 8 = 2.75;
    # uneasy: 1, 2, 1, 1 = 4 of 8; one would give 20 hours.
    assert figures(library_rows["Other wards"]) == (8, Decimal("2.75"), Decimal("50"), 1, 20)
    # All: 36 / 13 = 2.769...; uneasy 7 of 13 = 53.8%.
    assert figures(library_rows["All wards"]) == (14, Decimal("2.77"), Decimal("54"), 4, 36)

    # Tables come by category, then name: Blythe Hill Fields (green) before Ladywell Fields.
    assert [table.service for table in results.tables] == [library, green, park]
    green_rows = {row.label: row for row in results.tables[1].rows}
    # Ladywell, green: 4, 4, 3, 2 and two don't knows -> 13 / 4 = 3.25; uneasy 1 of 4.
    assert figures(green_rows["Ladywell"]) == (6, Decimal("3.25"), Decimal("25"), 3, 16)
    park_rows = {row.label: row for row in results.tables[2].rows}
    # Ladywell, park: 5, 5, 4, 4, 3, 2 -> 23 / 6 = 3.833; uneasy 1 of 6 = 16.7%.
    assert figures(park_rows["Ladywell"]) == (6, Decimal("3.83"), Decimal("17"), 3, 16)
    assert results.by_service[1].label == green.name
    assert results.by_service[1].figures == results.tables[1].total.figures


def test_nothing_is_shown_below_five_responses_in_all(anon_client):
    consultation, *_services = make_consultation()
    ward = WardFactory()
    for _ in range(4):
        respond(consultation, ward, (3, 3, 3))
    results = tabulate_results(consultation)
    assert results.any_responses
    assert results.total.withheld
    assert all(row.withheld for table in results.tables for row in table.rows)
    assert all(row.withheld for row in results.by_service)


def test_a_withheld_group_cannot_be_worked_out_from_the_rows_shown(survey):
    """In every table, the total minus the shown rows is 0 or a group of 5 or more."""
    consultation, *_services = survey
    results = tabulate_results(consultation)
    for table in [results.by_ward, *results.tables]:
        total = table.total.figures.responses
        shown = sum(row.figures.responses for row in table.rows if row.kind == WARD)
        assert total - shown == 0 or total - shown >= 5
        for row in table.rows:
            assert row.withheld or row.figures.responses >= 5
        assert [row.kind for row in table.rows][-2:] in ([OTHERS, TOTAL], [WARD, TOTAL])


def test_the_page_never_prints_a_withheld_figure(officer_client, survey):
    consultation, *_services = survey
    page = officer_client.get(reverse("mapping:consultation_results", args=[consultation.pk]))
    html = page.content.decode()
    assert "Grove Park" in html  # named in the pool...
    assert ">2<" not in html.replace(" ", "")  # ...but its 2 responses are not


# Downloads --------------------------------------------------------------------------------------


def test_the_csv_download_holds_the_same_rows_withheld_the_same_way(officer_client, survey):
    consultation, library, *_services = survey
    url = reverse("mapping:consultation_results", args=[consultation.pk])
    response = officer_client.get(url, {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Service", "Area", "Responses"]
    library_rows = {row[1]: row for row in rows[1:] if row[0] == library.name}
    assert library_rows["Ladywell"][2:7] == ["6", "2.80", "60", "3", "16"]
    assert library_rows["All wards"][2:7] == ["14", "2.77", "54", "4", "36"]
    assert library_rows["Grove Park"][2:7] == ["", "", "", "", ""]
    assert "Other wards" in library_rows["Grove Park"][7]


def test_the_xlsx_download_opens_and_withholds_small_totals(officer_client):
    consultation, library, *_services = make_consultation()
    ward = WardFactory(name="Ladywell")
    for _ in range(3):
        respond(consultation, ward, (3, 3, 3))
    url = reverse("mapping:consultation_results", args=[consultation.pk])
    response = officer_client.get(url, {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    library_rows = [row for row in values[1:] if row[0] == library.name]
    assert [row[1] for row in library_rows] == ["Other wards", "All wards"]
    assert all(row[2] is None and "Withheld" in row[7] for row in library_rows)
