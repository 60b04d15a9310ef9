"""import_deprivation: IMD 2019 by LSOA rolled up to wards, or by ward."""

import csv

import pytest
from django.core.management import call_command

from mapping.imports import run_import
from mapping.models import Ward
from tests.factories import WardFactory
from tests.imports.conftest import SHARED, needs_shared_data, only_message, problems, write_csv

pytestmark = pytest.mark.django_db


def lewisham_wards():
    call_command("import_wards", str(SHARED / "lewisham" / "wards_2022_simplified.geojson"))


@needs_shared_data
@pytest.mark.shared_data
def test_it_rolls_the_real_lsoa_figures_up_to_the_19_wards():
    lewisham_wards()
    report = run_import("deprivation", SHARED / "lewisham" / "imd2019_lsoa11_with_ward.csv")
    assert report.ok, problems(report)
    assert (report.rows_read, report.updated, report.skipped) == (169, 19, 0)
    # Bellingham's six LSOAs rank 2,371 to 5,993: their mean is 4,111, in decile 2.
    bellingham = Ward.objects.get(code="E05013714")
    assert (bellingham.imd_rank, bellingham.imd_decile) == (4111, 2)
    assert Ward.objects.filter(imd_rank__isnull=True).count() == 0


@needs_shared_data
@pytest.mark.shared_data
def test_it_finds_the_wards_through_a_lookup_file(tmp_path):
    lewisham_wards()
    with (SHARED / "lewisham" / "imd2019_lsoa11_with_ward.csv").open() as f:
        rows = list(csv.DictReader(f))
    # The same figures without their ward column: the lookup file gives the wards.
    path = tmp_path / "imd.csv"
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["LSOA code (2011)", "Index of Multiple Deprivation (IMD) Rank"])
        writer.writerows([r["LSOA11CD"], r["IMD_rank"]] for r in rows)
    report = run_import("deprivation", path, lookup=SHARED / "lewisham" / "lsoa11_to_ward2022.csv")
    assert report.ok, problems(report)
    assert report.updated == 19
    assert Ward.objects.get(code="E05013714").imd_rank == 4111


def test_it_weights_each_lsoa_by_its_population_when_the_file_has_them(tmp_path):
    ward = WardFactory(code="E05000001", imd_rank=None, imd_decile=None, population=None)
    path = write_csv(
        tmp_path / "imd.csv",
        "LSOA11CD,WD22CD,IMD_rank,IMD score,Total population: mid 2015\n"
        "E01000001,E05000001,1000,40.5,3000\n"
        "E01000002,E05000001,5000,20.5,1000\n"
        "E01000003,E05999999,9000,10,1500\n",
    )
    report = run_import("deprivation", path)
    assert report.ok, problems(report)
    ward.refresh_from_db()
    # (1000 x 3000 + 5000 x 1000) / 4000 = 2000; decile 1 holds ranks up to 3,284.
    assert (ward.imd_rank, ward.imd_decile, ward.population) == (2000, 1, 4000)
    assert str(ward.imd_score) == "35.500"
    assert report.skipped == 1  # a ward of another area


def test_it_takes_figures_by_ward(tmp_path):
    ward = WardFactory(code="E05000001", imd_rank=None, imd_decile=None)
    path = write_csv(tmp_path / "imd.csv", "ward_code,imd_rank,imd_decile\nE05000001,7000,3\n")
    assert run_import("deprivation", path).ok
    ward.refresh_from_db()
    assert (ward.imd_rank, ward.imd_decile) == (7000, 3)


def test_it_refuses_a_file_without_the_rank_column(tmp_path, unchanged):
    WardFactory(code="E05000001")
    unchanged.mark()
    path = write_csv(tmp_path / "imd.csv", "LSOA11CD,WD22CD,score\nE01000001,E05000001,3\n")
    assert "no IMD rank column" in only_message(run_import("deprivation", path))
    unchanged()


def test_it_asks_for_the_lookup_when_the_file_has_no_wards(tmp_path, unchanged):
    path = write_csv(tmp_path / "imd.csv", "LSOA11CD,IMD_rank\nE01000001,5\n")
    assert "add the LSOA-to-ward lookup file" in only_message(run_import("deprivation", path))
    unchanged()


def test_it_names_every_bad_row_and_writes_nothing(tmp_path, unchanged):
    WardFactory(code="E05000001", imd_rank=16000)
    unchanged.mark()
    path = write_csv(
        tmp_path / "imd.csv",
        "LSOA11CD,WD22CD,IMD_rank,IMD_decile\n"
        "E01000001,E05000001,100,1\n"
        "E01000001,E05000001,200,1\n"
        "E0100000X,E05000001,100,1\n"
        "E01000004,E05000001,40000,1\n"
        "E01000005,E05000001,100,11\n",
    )
    report = run_import("deprivation", path)
    assert problems(report) == [
        (3, "LSOA code", "E01000001 appears twice: lines 2 and 3."),
        (4, "LSOA code", "'E0100000X' is not a LSOA code."),
        (5, "IMD rank", "'40000' is not a rank from 1 to 32,844."),
        (6, "IMD decile", "'11' is not a decile from 1 to 10."),
    ]
    assert Ward.objects.get().imd_rank == 16000
    unchanged()
