"""import_wards: GeoJSON ward boundaries, checked whole before anything is written."""

import json

import pytest
from django.core.management import CommandError, call_command

from mapping.imports import run_import
from mapping.models import ImportRun, ImportStatus, Ward
from tests.factories import WardFactory
from tests.imports.conftest import (
    SHARED,
    feature,
    needs_shared_data,
    only_message,
    problems,
    square,
    write_geojson,
)

pytestmark = pytest.mark.django_db


@needs_shared_data
@pytest.mark.shared_data
@pytest.mark.parametrize("name", ["wards_2022_simplified.geojson", "wards_2022_full_res.geojson"])
def test_it_imports_the_19_real_lewisham_wards(name):
    report = run_import("wards", SHARED / "lewisham" / name)
    assert report.ok, problems(report)
    assert (report.rows_read, report.created, report.updated) == (19, 19, 0)
    assert Ward.objects.count() == 19
    bellingham = Ward.objects.get(code="E05013714")
    assert bellingham.name == "Bellingham"
    assert bellingham.boundary["type"] == "Polygon"
    assert Ward.objects.filter(code="E05013732").exists()


@needs_shared_data
@pytest.mark.shared_data
def test_it_updates_wards_by_code_and_never_duplicates_them():
    WardFactory(code="E05013714", name="Old name", boundary=None)
    report = run_import("wards", SHARED / "lewisham" / "wards_2022_simplified.geojson")
    assert (report.created, report.updated) == (18, 1)
    assert Ward.objects.count() == 19
    ward = Ward.objects.get(code="E05013714")
    assert ward.name == "Bellingham" and ward.boundary is not None


def test_it_detects_the_code_and_name_properties_of_any_year(tmp_path):
    path = write_geojson(tmp_path / "w.geojson", [feature("E05000001", "Ashgrove")])
    assert run_import("wards", path).ok
    assert Ward.objects.get().name == "Ashgrove"


def test_it_takes_the_properties_named_as_options(tmp_path):
    path = write_geojson(
        tmp_path / "w.geojson",
        [
            {
                "type": "Feature",
                "properties": {"gss": "E05000002", "label": "Brookmead"},
                "geometry": square(),
            }
        ],
    )
    report = run_import("wards", path)
    assert "Cannot tell which property holds the ward's ONS code" in only_message(report)
    assert "gss, label" in only_message(report)
    assert run_import("wards", path, code_field="gss", name_field="label").ok
    assert Ward.objects.get().code == "E05000002"


def test_a_dry_run_checks_and_writes_nothing(tmp_path, unchanged):
    path = write_geojson(tmp_path / "w.geojson", [feature("E05000001", "Ashgrove")])
    report = run_import("wards", path, dry_run=True)
    assert report.ok and report.created == 1 and not report.written
    unchanged()


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        ({"type": "Point", "coordinates": [0, 51]}, "Its geometry is a Point"),
        (
            {"type": "Polygon", "coordinates": [[[0, 51], [0.01, 51], [0.01, 51.01], [0, 51.01]]]},
            "is not closed",
        ),
        ({"type": "Polygon", "coordinates": [[[0, 51], [0.01, 51], [0, 51]]]}, "fewer than 4"),
        (
            # A bow tie: the boundary crosses itself.
            {
                "type": "Polygon",
                "coordinates": [[[0, 51], [0.01, 51.01], [0.01, 51], [0, 51.01], [0, 51]]],
            },
            "Self-intersection",
        ),
        (square(west=537000, south=172000, size=100), "not longitude and latitude"),
        (
            {
                "type": "Polygon",
                "coordinates": [[["a", 51], [0.01, 51], [0.01, 51.01], ["a", 51]]],
            },
            "not a pair of numbers",
        ),
        (None, "no geometry"),
    ],
)
def test_it_refuses_bad_geometry_and_writes_nothing(tmp_path, unchanged, geometry, message):
    good = feature("E05000001", "Ashgrove")
    bad = feature("E05000002", "Brookmead")
    bad["geometry"] = geometry
    path = write_geojson(tmp_path / "w.geojson", [good, bad])
    report = run_import("wards", path)
    assert not report.ok
    ((row, field, text),) = problems(report)
    assert (row, field) == (2, "geometry")
    assert message in text
    unchanged()


def test_it_refuses_duplicate_codes_naming_both_features(tmp_path, unchanged):
    path = write_geojson(
        tmp_path / "w.geojson",
        [
            feature("E05000001", "Ashgrove"),
            feature("E05000009", "X"),
            feature("e05000001 ", "Again"),
        ],
    )
    report = run_import("wards", path)
    assert problems(report) == [(3, "WD24CD", "E05000001 appears twice: features 1 and 3.")]
    unchanged()


def test_it_lists_every_bad_ward_not_just_the_first(tmp_path, unchanged):
    path = write_geojson(
        tmp_path / "w.geojson",
        [feature("X1", "Ashgrove"), feature("E05000002", ""), feature("E05000003", "Fine")],
    )
    report = run_import("wards", path)
    assert [(row, field) for row, field, _m in problems(report)] == [(1, "WD24CD"), (2, "WD24NM")]
    assert "'X1' is not an ONS ward code" in report.problems[0].message
    unchanged()


def test_it_accepts_a_byte_order_mark(tmp_path):
    path = tmp_path / "w.geojson"
    body = json.dumps(
        {"type": "FeatureCollection", "features": [feature("E05000001", "Ashgrove")]}
    )
    path.write_bytes(b"\xef\xbb\xbf" + body.encode())
    assert run_import("wards", path).ok
    assert Ward.objects.count() == 1


def test_it_refuses_a_file_that_is_not_utf8(tmp_path, unchanged):
    path = tmp_path / "w.geojson"
    body = json.dumps(
        {"type": "FeatureCollection", "features": [feature("E05000001", "Caf\u00e9")]},
        ensure_ascii=False,
    )
    path.write_bytes(body.encode("cp1252"))
    assert "not UTF-8 text" in only_message(run_import("wards", path))
    unchanged()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('{"type": "FeatureCollection", "features": [', "not valid JSON"),
        ('{"type": "Feature", "properties": {}}', "GeoJSON Feature, not a FeatureCollection"),
        ('{"type": "FeatureCollection", "features": []}', "no wards in it"),
        (
            '{"type": "FeatureCollection", "crs": {"type": "name", "properties": '
            '{"name": "urn:ogc:def:crs:EPSG::27700"}}, "features": []}',
            "EPSG::27700",
        ),
    ],
)
def test_it_refuses_files_that_are_not_ward_geojson(tmp_path, unchanged, body, message):
    path = tmp_path / "w.geojson"
    path.write_text(body)
    assert message in only_message(run_import("wards", path))
    unchanged()


def test_the_command_prints_the_report_and_records_the_run(tmp_path, capsys):
    path = write_geojson(tmp_path / "w.geojson", [feature("E05000001", "Ashgrove")])
    call_command("import_wards", str(path))
    assert "Imported: added 1, updated 0" in capsys.readouterr().out
    run = ImportRun.objects.get()
    assert (run.kind, run.status, run.rows_created) == ("wards", ImportStatus.SUCCEEDED, 1)


def test_the_command_fails_naming_each_problem(tmp_path, capsys, unchanged):
    path = write_geojson(
        tmp_path / "w.geojson",
        [feature("E05000001", "A", {"type": "Point", "coordinates": [0, 0]})],
    )
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_wards", str(path))
    assert "feature 1, geometry: Its geometry is a Point" in capsys.readouterr().err
    assert ImportRun.objects.get().status == ImportStatus.FAILED
    unchanged()
