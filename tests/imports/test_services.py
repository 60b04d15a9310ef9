"""import_services: an LGA Service List coded CSV into the service catalogue."""

import pytest

from mapping.imports import run_import
from services.models import Service
from tests.factories import ServiceFactory, WardFactory
from tests.imports.conftest import SHARED, needs_shared_data, only_message, problems, write_csv

pytestmark = pytest.mark.django_db


@needs_shared_data
@pytest.mark.shared_data
def test_it_imports_the_real_service_list():
    wards = WardFactory.create_batch(3)
    path = SHARED / "lgsl" / "services_2015.csv"
    report = run_import("services", path, category="information-advice")
    assert report.ok, problems(report)
    assert (report.rows_read, report.created) == (1519, 1519)
    bursary = Service.objects.get(lgsl_code=1614)
    assert bursary.name == "16 to 19 bursary fund"
    assert bursary.description.startswith("Those aged between 16 and 19 years")
    assert bursary.category.slug == "information-advice"
    assert bursary.risk_tier == "medium"  # the category's usual risk
    assert not bursary.published  # officers publish what they mean to
    assert set(bursary.wards.all()) == set(wards)
    again = run_import("services", path, category="libraries")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1519)


def test_it_fills_in_empty_details_of_services_with_the_same_code(tmp_path):
    service = ServiceFactory(
        name="Our libraries", lgsl_code=1614, description="", annual_cost=None
    )
    path = write_csv(
        tmp_path / "s.csv",
        "Identifier,Label,Description,Annual cost\n"
        '1614,16 to 19 bursary fund,About it,"£12,500"\n',
    )
    report = run_import("services", path)
    assert (report.created, report.updated) == (0, 1)
    service.refresh_from_db()
    assert (service.name, service.description, str(service.annual_cost)) == (
        "Our libraries",
        "About it",
        "12500.00",
    )


def test_it_takes_the_category_from_a_column(tmp_path):
    path = write_csv(
        tmp_path / "s.csv", "Identifier,Label,Category\n1,Park wardens,Parks and green spaces\n"
    )
    assert run_import("services", path).ok
    assert Service.objects.get().category.slug == "parks"


def test_it_asks_which_category_new_services_go_in(tmp_path, unchanged):
    path = write_csv(tmp_path / "s.csv", "Identifier,Label\n1614,Bursary\n")
    assert "Say which category new services go in" in only_message(run_import("services", path))
    unchanged()


def test_it_refuses_duplicate_and_bad_codes(tmp_path, unchanged):
    path = write_csv(
        tmp_path / "s.csv",
        "Identifier,Label\n1614,Bursary\n1614,Bursary again\nabc,Something\n7,\n",
    )
    assert problems(run_import("services", path, category="youth")) == [
        (3, "LGSL code", "1614 appears twice: lines 2 and 3."),
        (4, "LGSL code", "'abc' is not an LGSL code (a whole number)."),
        (5, "name", "The service has no name."),
    ]
    unchanged()
