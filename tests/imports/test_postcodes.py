"""import_postcodes: the postcode-to-ward lookup residents answer consultations with."""

import pytest

from mapping.imports import run_import
from mapping.models import Postcode, Ward
from tests.factories import PostcodeFactory, WardFactory
from tests.imports.conftest import SHARED, needs_shared_data, only_message, problems, write_csv

pytestmark = pytest.mark.django_db


@needs_shared_data
@pytest.mark.shared_data
def test_it_imports_the_live_lewisham_postcodes():
    from django.core.management import call_command

    call_command("import_wards", str(SHARED / "lewisham" / "wards_2022_simplified.geojson"))
    report = run_import("postcodes", SHARED / "lewisham" / "postcode_to_ward2022.csv")
    assert report.ok, problems(report)
    assert (report.rows_read, report.created, report.skipped) == (8419, 4969, 3450)
    assert Postcode.objects.count() == 4969
    assert Ward.objects.for_postcode("br1 4by").get().code == "E05013720"
    again = run_import("postcodes", SHARED / "lewisham" / "postcode_to_ward2022.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4969)


def test_it_adds_moves_and_skips_postcodes(tmp_path):
    a = WardFactory(code="E05000001")
    b = WardFactory(code="E05000002")
    PostcodeFactory(postcode="SE6 4RU", ward=a)
    path = write_csv(
        tmp_path / "p.csv",
        "pcds,osward,doterm\n"
        "se64ru,E05000002,\n"  # moves to ward B
        "SE6 4RT,E05000001,\n"
        "SE6 4RS,E05000001,202001\n"  # no longer in use
        "SE6 4RP,E05999999,\n",  # another area's ward
    )
    report = run_import("postcodes", path)
    assert report.ok, problems(report)
    assert (report.created, report.updated, report.skipped) == (1, 1, 2)
    assert dict(Postcode.objects.values_list("postcode", "ward_id")) == {
        "SE6 4RU": b.pk,
        "SE6 4RT": a.pk,
    }


def test_it_refuses_bad_and_duplicate_postcodes(tmp_path, unchanged):
    WardFactory(code="E05000001")
    unchanged.mark()
    path = write_csv(
        tmp_path / "p.csv",
        "pcds,WD22CD\nSE6 4RU,E05000001\nnot a postcode,E05000001\nse6  4ru,E05000001\n",
    )
    assert problems(run_import("postcodes", path)) == [
        (3, "postcode", "'not a postcode' is not a UK postcode."),
        (4, "postcode", "SE6 4RU appears twice: lines 2 and 4."),
    ]
    unchanged()


def test_it_refuses_a_windows_encoded_file_read_as_utf8_naming_the_line(tmp_path, unchanged):
    WardFactory(code="E05000001", name="Caf\u00e9 Ward")
    unchanged.mark()
    path = write_csv(
        tmp_path / "p.csv",
        "pcds,WD22CD,ward name\nSE6 4RU,E05000001,Caf\u00e9\n",
        encoding="cp1252",
    )
    message = only_message(run_import("postcodes", path))
    assert message.startswith("Line 2 is not UTF-8 text: the byte 0xE9 cannot be read.")
    assert "CSV UTF-8" in message
    unchanged()
    assert run_import("postcodes", path, encoding="cp1252").ok


def test_it_accepts_a_byte_order_mark(tmp_path):
    WardFactory(code="E05000001")
    path = write_csv(tmp_path / "p.csv", b"\xef\xbb\xbfpcds,WD22CD\r\nSE6 4RU,E05000001\r\n")
    assert run_import("postcodes", path).ok
    assert Postcode.objects.get().postcode == "SE6 4RU"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("postcode\nSE6 4RU\n", "The file has no column for: ward code"),
        ("", "The file is empty."),
        (b"PK\x03\x04rest of a workbook", "This is an Excel workbook"),
        ("\ufeffpcds,WD22CD\n".encode("utf-16"), "UTF-16"),
    ],
)
def test_it_explains_files_it_cannot_read(tmp_path, unchanged, content, message):
    path = write_csv(tmp_path / "p.csv", content)
    assert message in only_message(run_import("postcodes", path))
    unchanged()
