"""Every page that downloads CSV or Excel goes through bigsociety/exports.py, which defuses
formulas. This fails if any app code writes CSV or XLSX another way."""

import re
from pathlib import Path

from django.conf import settings

APPS = ["accounts", "bigsociety", "mapping", "services"]
HELPER = Path("bigsociety") / "exports.py"
# Ways of writing a spreadsheet download without the helper.
WRITERS = re.compile(
    r"csv\.writer|csv\.DictWriter|DictWriter\(|openpyxl|Workbook\(|xlsxwriter|text/csv"
    r"|spreadsheetml|to_csv\(|to_excel\("
)


def app_sources():
    base = Path(settings.BASE_DIR)
    for app in APPS:
        for path in sorted((base / app).rglob("*.py")):
            relative = path.relative_to(base)
            if "migrations" in relative.parts or relative == HELPER:
                continue
            yield relative, path.read_text(encoding="utf-8")


def test_it_finds_no_csv_or_xlsx_written_outside_the_export_helper():
    offenders = [
        f"{relative}: {match.group(0)}"
        for relative, text in app_sources()
        for match in WRITERS.finditer(text)
    ]
    assert offenders == []


def test_the_check_would_catch_a_view_writing_csv_itself():
    sample = "import csv\nwriter = csv.writer(response)\nresponse['Content-Type'] = 'text/csv'\n"
    assert [m.group(0) for m in WRITERS.finditer(sample)] == ["csv.writer", "text/csv"]


def test_every_view_that_offers_a_download_uses_the_helper():
    for relative, text in app_sources():
        if "views" in relative.parts and "requested_format(" in text:
            assert "export_response(" in text, relative
