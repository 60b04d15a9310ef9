"""The one export helper: CSV and XLSX downloads for every page that exports.

A page builds its rows once (the same queryset, with the same filters, as it shows) and
hands them here with the column headers. Text cells that a spreadsheet would read as a
formula (starting with = + - @, or a tab or carriage return) are prefixed with an
apostrophe, so a group name like "=HYPERLINK(...)" cannot run in an officer's Excel.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _

FORMATS = ("csv", "xlsx")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def safe_cell(value):
    """A value ready for a spreadsheet: numbers and dates as they are, text defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int | float | Decimal | datetime.date):
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            # Spreadsheets have no time zones: show local time without one.
            from django.utils import timezone

            return timezone.localtime(value).replace(tzinfo=None)
        return value
    text = str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def _csv_stream(headers, rows):
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a byte order mark, so Excel reads the file as UTF-8
    yield writer.writerow([safe_cell(h) for h in headers])
    for row in rows:
        yield writer.writerow([safe_cell(v) for v in row])


def _xlsx_bytes(headers, rows, sheet_title):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31] or _("Export"))
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=safe_cell(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        cells = []
        for value in row:
            value = safe_cell(value)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, datetime.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, str):
                # Keep text as text: openpyxl would otherwise store "=..." as a formula.
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_response(
    *,
    fmt: str,
    filename: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    sheet_title: str = "",
):
    """A download of the rows as CSV (streamed) or XLSX. ``fmt`` is "csv" or "xlsx"."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}")
    name = f"{slugify(filename) or 'export'}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            _csv_stream(headers, rows), content_type=CONTENT_TYPES[fmt]
        )
    else:
        response = HttpResponse(
            _xlsx_bytes(headers, rows, sheet_title or filename), content_type=CONTENT_TYPES[fmt]
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def requested_format(request):
    """The export format asked for in ?export=csv|xlsx, or None for the HTML page."""
    fmt = request.GET.get("export")
    return fmt if fmt in FORMATS else None
