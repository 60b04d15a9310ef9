"""An officer uploads a file, waits for the worker, reads the report, corrects the file and
imports it. Screenshots in var/screenshots/."""

import pytest
from django.core.management import call_command

from mapping.models import Postcode
from tests.browser.conftest import assert_accessible, assert_fits_width, screenshot, sign_in
from tests.conftest import PASSWORD
from tests.factories import WardFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_imports_postcodes_through_the_page(page, live_server, officer, tmp_path):
    WardFactory(code="E05000001", name="Ashgrove")
    bad = tmp_path / "postcodes.csv"
    bad.write_text("pcds,WD22CD\nSE6 4RU,E05000001\nSE6 4RU,E05000001\n")
    sign_in(page, live_server, officer.email, PASSWORD)

    page.goto(f"{live_server.url}/officer/imports/")
    assert_accessible(page)
    page.get_by_role("link", name="Upload postcodes").click()
    page.get_by_role("button", name="Upload and import").click()
    assert page.get_by_role("link", name="Choose a file to import").is_visible()
    assert_accessible(page)

    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="Upload and import").click()
    assert page.get_by_text("Waiting to start").first.is_visible()
    assert_accessible(page)
    call_command("run_imports", "--once")
    page.get_by_text("The import has finished.").wait_for(timeout=15000)
    page.get_by_role("link", name="Show the report").click()

    assert page.get_by_text("Found 1 problem. Nothing was written").is_visible()
    assert page.get_by_text("SE6 4RU appears twice: lines 2 and 3.").is_visible()
    assert_accessible(page)
    screenshot(page, "import-report")
    assert not Postcode.objects.exists()

    bad.write_text("pcds,WD22CD\nSE6 4RU,E05000001\n")
    page.get_by_role("link", name="Upload another file").click()
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="Upload and import").click()
    call_command("run_imports", "--once")
    page.reload()
    assert page.get_by_text("Imported: added 1").is_visible()
    assert Postcode.objects.get().ward.name == "Ashgrove"


def test_the_import_pages_fit_a_phone(phone, live_server, officer):
    sign_in(phone, live_server, officer.email, PASSWORD)
    for path in ("/officer/imports/", "/officer/imports/new/organisations/"):
        phone.goto(f"{live_server.url}{path}")
        assert_fits_width(phone)
    screenshot(phone, "import-upload-phone")
