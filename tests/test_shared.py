import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import RequestFactory

from bigsociety.exports import export_response, safe_cell
from bigsociety.paging import Sorter
from bigsociety.templatetags.bigsociety import count, longdate, money, status_tag


@pytest.mark.parametrize("text", ["=1+1", "+44 20", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_it_defuses_text_that_a_spreadsheet_would_run(text):
    assert safe_cell(text) == "'" + text


def test_numbers_stay_numbers_even_when_negative():
    assert safe_cell(-25000) == -25000
    assert safe_cell(Decimal("-1.50")) == Decimal("-1.50")
    assert safe_cell(None) == ""
    assert safe_cell(True) == "Yes"


ROWS = [['=HYPERLINK("http://x")', 3], ["Friends of Ladywell Fields", -4]]


def test_csv_export_holds_the_rows_escaped():
    response = export_response(fmt="csv", filename="Groups list", headers=["Name", "N"], rows=ROWS)
    assert response["Content-Disposition"] == 'attachment; filename="groups-list.csv"'
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(body))) == [
        ["Name", "N"],
        ['\'=HYPERLINK("http://x")', "3"],
        ["Friends of Ladywell Fields", "-4"],
    ]


def test_xlsx_export_opens_and_holds_text_not_formulas():
    response = export_response(fmt="xlsx", filename="groups", headers=["Name", "N"], rows=ROWS)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values == [
        ["Name", "N"],
        ['\'=HYPERLINK("http://x")', 3],
        ["Friends of Ladywell Fields", -4],
    ]
    assert sheet["A2"].data_type == "s"


def test_it_refuses_an_unknown_format():
    with pytest.raises(ValueError):
        export_response(fmt="pdf", filename="x", headers=[], rows=[])


def sorter(query):
    request = RequestFactory().get("/", query)
    return Sorter(request, {"name": "name", "size": ["-volunteers", "name"]}, default="name")


def test_sorter_follows_a_known_key_and_flips_direction():
    s = sorter({"sort": "-size"})
    assert (s.key, s.descending) == ("size", True)
    assert s.order_by() == ["volunteers", "-name"]
    assert s.link("size") == "size"
    assert s.aria_sort("size") == "descending"
    assert s.aria_sort("name") == "none"


def test_sorter_ignores_a_tampered_key():
    s = sorter({"sort": "password"})
    assert s.value == "name"
    assert s.order_by() == ["name"]


def test_money_count_and_dates_read_the_govuk_way():
    import datetime

    assert money(Decimal("12500.00")) == "£12,500"
    assert money(-25000) == "-£25,000"
    assert money(None) == ""
    assert count(1234567) == "1,234,567"
    assert longdate(datetime.date(2026, 11, 21)) == "21 November 2026"


def test_status_tag_says_the_status_in_words_as_well_as_colour():
    html = status_tag("verified", "Verified")
    assert html == '<strong class="govuk-tag govuk-tag--green">Verified</strong>'
    assert "&lt;script&gt;" in status_tag("x", "<script>")
    # Blue is the default colour in govuk-frontend 6: no govuk-tag--blue class exists.
    assert status_tag("submitted", "Sent") == '<strong class="govuk-tag">Sent</strong>'


def test_longdatetime_says_am_and_pm_the_gov_uk_way():
    from django.utils import timezone

    from bigsociety.templatetags.bigsociety import longdatetime

    morning = timezone.make_aware(datetime.datetime(2026, 11, 21, 9, 0))
    afternoon = timezone.make_aware(datetime.datetime(2026, 11, 21, 15, 4))
    assert longdatetime(morning) == "21 November 2026 at 9am"
    assert longdatetime(afternoon) == "21 November 2026 at 3:04pm"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "valid"),
    [
        (["WARD"], True),
        (["99999999999999999999"], False),
        (["-99999999999999999999"], False),
        (["²"], False),
        (["999999"], False),
        (["abc"], False),
    ],
)
def test_a_choice_of_many_refuses_any_id_that_is_not_a_choice(typed, valid):
    from django.core.exceptions import ValidationError

    from bigsociety.forms import ModelMultipleChoiceField
    from mapping.models import Ward
    from tests.factories import WardFactory

    ward = WardFactory()
    field = ModelMultipleChoiceField(queryset=Ward.objects.all())
    typed = [str(ward.pk) if value == "WARD" else value for value in typed]
    if valid:
        assert list(field.clean(typed)) == [ward]
    else:
        with pytest.raises(ValidationError) as error:
            field.clean(typed)
        assert error.value.code in ("invalid_choice", "invalid_pk_value")
