"""Imports of the council's own data: ward boundaries, deprivation, organisations,
services and the postcode lookup.

Every import reads its file twice, as a stream: the first pass checks every row and
collects every problem (row, column, reason) without writing anything; only when there
is none does the second pass write, in one transaction, so a file is imported whole or
not at all. Neither pass holds the whole file in memory: CSV files are decoded a line at
a time and GeoJSON a feature at a time (with ijson), and what is kept between rows is
small (the codes already seen, to catch duplicates; running totals per ward).

``run_import(kind, path, ...)`` runs one import and returns its ``Report``. The
management commands (``import_wards`` and the rest) and the upload pages' worker
(``run_imports``) both call it.
"""

import csv
import itertools
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path

import ijson
import shapely
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from shapely.geometry import shape
from simple_history.utils import bulk_create_with_history

from mapping.identifiers import number_from_org_id
from mapping.models import (
    ImportKind,
    IncomeBand,
    LegalForm,
    Organisation,
    Postcode,
    VerificationStatus,
    Ward,
    normalise_postcode,
)

MAX_PROBLEMS_KEPT = 1000  # problems listed in a report; all of them are counted
BATCH = 1000

ENCODINGS = {
    "utf-8": "UTF-8",
    "cp1252": "Windows-1252 (Excel's plain 'CSV' on Windows)",
}


# Reports -------------------------------------------------------------------------------------


@dataclass
class Problem:
    row: int | None  # the line of a CSV file or the feature of a GeoJSON file; None: the file
    field: str
    message: str

    def as_dict(self):
        return {"row": self.row, "field": self.field, "message": self.message}


class ImportFailed(Exception):
    """The file cannot be read at all (wrong encoding, missing columns, not JSON...)."""

    def __init__(self, message, *, row=None, field=""):
        super().__init__(message)
        self.problem = Problem(row, field, message)


@dataclass
class Report:
    kind: str
    filename: str
    dry_run: bool = False
    row_label: str = "line"  # "line" for CSV files, "feature" for GeoJSON
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    problems: list = field(default_factory=list)
    problem_count: int = 0
    warnings: list = field(default_factory=list)
    warning_count: int = 0
    notes: list = field(default_factory=list)  # plain-English lines for the summary
    written: bool = False

    def problem(self, row, field_name, message):
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append(Problem(row, field_name, message))

    def warn(self, row, field_name, message):
        self.warning_count += 1
        if len(self.warnings) < MAX_PROBLEMS_KEPT:
            self.warnings.append(Problem(row, field_name, message))

    @property
    def ok(self):
        return self.problem_count == 0

    def where(self, problem):
        if problem.row is None:
            return _("the file")
        if self.row_label == "feature":
            return _("feature %(n)s") % {"n": f"{problem.row:,}"}
        return _("line %(n)s") % {"n": f"{problem.row:,}"}

    def summary_lines(self):
        noun = _("features") if self.row_label == "feature" else _("rows")
        lines = [
            _("Read %(count)s %(noun)s of %(file)s.")
            % {"count": f"{self.rows_read:,}", "noun": noun, "file": self.filename}
        ]
        if not self.ok:
            lines.append(
                _("Found %(count)s problems. Nothing was written: correct the file and try again.")
                % {"count": f"{self.problem_count:,}"}
                if self.problem_count != 1
                else _("Found 1 problem. Nothing was written: correct the file and try again.")
            )
        else:
            figures = {
                "created": f"{self.created:,}",
                "updated": f"{self.updated:,}",
                "unchanged": f"{self.unchanged:,}",
            }
            if self.dry_run:
                lines.append(
                    _(
                        "Checked: no problems. It would add %(created)s, update %(updated)s "
                        "and leave %(unchanged)s as they are. Nothing was written (dry run)."
                    )
                    % figures
                )
            else:
                lines.append(
                    _(
                        "Imported: added %(created)s, updated %(updated)s, left %(unchanged)s "
                        "as they were."
                    )
                    % figures
                )
        if self.skipped:
            lines.append(_("Skipped %(count)s rows (see below).") % {"count": f"{self.skipped:,}"})
        lines.extend(self.notes)
        if self.warning_count:
            lines.append(
                _("%(count)s rows were imported with a note (see below).")
                % {"count": f"{self.warning_count:,}"}
            )
        return lines

    def as_text(self):
        """The report as printed by the management commands."""
        lines = self.summary_lines()
        for title, items, count in (
            (_("Problems"), self.problems, self.problem_count),
            (_("Notes"), self.warnings, self.warning_count),
        ):
            if not items:
                continue
            lines.append("")
            lines.append(f"{title} ({count:,}):")
            for item in items:
                column = f", {item.field}" if item.field else ""
                lines.append(f"  {self.where(item)}{column}: {item.message}")
            if count > len(items):
                lines.append(
                    "  " + _("... and %(count)s more.") % {"count": f"{count - len(items):,}"}
                )
        return "\n".join(lines)


# Reading files -------------------------------------------------------------------------------


def _sniff(path):
    """Refuse, with a helpful message, files that are plainly not text: a workbook, UTF-16."""
    with open(path, "rb") as f:
        start = f.read(4)
    if start.startswith(b"PK\x03\x04"):
        raise ImportFailed(
            _(
                "This is an Excel workbook (or another zipped file), not a CSV file. In Excel, "
                "choose File, Save As, and the type 'CSV UTF-8 (Comma delimited)'."
            )
        )
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFailed(
            _(
                "This file is saved as UTF-16 ('Unicode text'). Save it as 'CSV UTF-8 "
                "(Comma delimited)' and try again."
            )
        )


def text_lines(path, encoding="utf-8"):
    """The file's lines, decoded one at a time so memory stays small and a wrongly encoded
    byte is reported with its line. A byte order mark at the start is dropped."""
    if encoding not in ENCODINGS:
        raise ImportFailed(_("Unknown encoding %(name)s.") % {"name": encoding})
    _sniff(path)
    with open(path, "rb") as f:
        for number, raw in enumerate(f, start=1):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError as error:
                raise ImportFailed(
                    _(
                        "Line %(line)s is not %(encoding)s text: the byte 0x%(byte)s cannot be "
                        "read. The file was probably saved in another encoding (Excel's plain "
                        "'CSV' uses Windows-1252): save it as 'CSV UTF-8 (Comma delimited)', or "
                        "say which encoding it uses."
                    )
                    % {
                        "line": f"{number:,}",
                        "encoding": ENCODINGS[encoding].split(" (")[0],
                        "byte": f"{raw[error.start]:02X}",
                    },
                    row=number,
                ) from error
            if number == 1:
                text = text.removeprefix("\ufeff")
            yield text


def header_key(text):
    """A column heading reduced to letters and digits: "Charity Number" -> "charitynumber"."""
    return re.sub(r"[^a-z0-9]", "", (text or "").lower())


@dataclass
class Column:
    """A column the import reads, found by any of several headings (or a pattern)."""

    name: str  # what the report calls it
    aliases: tuple = ()
    pattern: str = ""  # a regular expression matched against header_key()
    required: bool = False

    def find(self, keys):
        for alias in self.aliases:
            if alias in keys:
                return keys.index(alias)
        if self.pattern:
            for i, key in enumerate(keys):
                if re.fullmatch(self.pattern, key):
                    return i
        return None


class CsvTable:
    """Rows of a CSV file as dicts of the wanted columns, each with its line number."""

    def __init__(self, path, columns, *, encoding="utf-8", label=""):
        self.path = Path(path)
        self.columns = columns
        self.encoding = encoding
        self.label = label  # "lookup file: " for a second file
        self.positions = None

    def _reader(self):
        return csv.reader(text_lines(self.path, self.encoding))

    def _find_columns(self, header):
        keys = [header_key(h) for h in header]
        positions = {c.name: c.find(keys) for c in self.columns}
        missing = [c for c in self.columns if c.required and positions[c.name] is None]
        if missing:
            shown = ", ".join(f"'{h}'" for h in header if h.strip()) or _("none")
            raise ImportFailed(
                self.label
                + _("The file has no column for: %(missing)s. Its columns are: %(shown)s.")
                % {
                    "missing": ", ".join(
                        f"{c.name} ({_('for example')} '{(c.aliases or (c.pattern,))[0]}')"
                        for c in missing
                    ),
                    "shown": shown,
                },
                row=1,
            )
        return positions

    def has(self, name):
        return self.positions is not None and self.positions.get(name) is not None

    def rows(self):
        reader = self._reader()
        try:
            header = next(reader, None)
            if header is None:
                raise ImportFailed(self.label + _("The file is empty."))
            self.positions = self._find_columns(header)
            while True:
                start = reader.line_num + 1
                try:
                    values = next(reader)
                except StopIteration:
                    return
                if not any(v.strip() for v in values):
                    continue
                yield (
                    start,
                    {
                        name: (values[i].strip() if i is not None and i < len(values) else "")
                        for name, i in self.positions.items()
                    },
                )
        except csv.Error as error:
            raise ImportFailed(
                self.label
                + _("Line %(line)s cannot be read as CSV: %(reason)s.")
                % {"line": f"{reader.line_num:,}", "reason": error},
                row=reader.line_num,
            ) from error


def geojson_features(path):
    """(number, feature) for each feature of a GeoJSON FeatureCollection, one at a time.

    First reads the top of the file (up to the features) to check it is a
    FeatureCollection in longitude and latitude; then builds one feature at a time (in
    ijson's C parser, so a 50 MB file takes seconds).
    """
    _sniff(path)
    number = 0
    with open(path, "rb") as f:
        start = 3 if f.read(3) == b"\xef\xbb\xbf" else 0
        f.seek(start)
        try:
            for prefix, event, value in ijson.parse(f):
                if prefix == "type" and value != "FeatureCollection":
                    raise ImportFailed(
                        _("The file is a GeoJSON %(type)s, not a FeatureCollection of wards.")
                        % {"type": value}
                    )
                if prefix == "crs.properties.name" and not _is_wgs84(value):
                    raise ImportFailed(
                        _(
                            "The boundaries are in the coordinate system %(crs)s. Export them "
                            "in longitude and latitude (WGS84, EPSG:4326) and try again."
                        )
                        % {"crs": value}
                    )
                if prefix == "features" and event == "start_array":
                    break
            f.seek(start)
            for number, feature in enumerate(
                ijson.items(f, "features.item", use_float=True), start=1
            ):
                yield number, feature
        except ijson.JSONError as error:
            text = str(error)
            if "UTF8" in text or "utf-8" in text.lower():
                message = _(
                    "The file is not UTF-8 text (after feature %(n)s). Save it as UTF-8 GeoJSON."
                ) % {"n": number}
            else:
                reason = text.strip().splitlines()[0] if text.strip() else _("it ends too soon")
                message = _("The file is not valid JSON (after feature %(n)s): %(reason)s.") % {
                    "n": number,
                    "reason": reason,
                }
            raise ImportFailed(message, row=number + 1) from error
    if number == 0:
        raise ImportFailed(_("The file holds no features: it has no wards in it."))


def _is_wgs84(name):
    name = str(name).upper()
    return name.endswith(("CRS84", "EPSG::4326", "EPSG:4326")) or name == "4326"


# Checking values ------------------------------------------------------------------------------


def boundary_problem(geometry):
    """Why a GeoJSON geometry is not a usable ward boundary, or None if it is."""
    if not isinstance(geometry, dict) or "type" not in geometry:
        return _("It has no geometry.")
    kind = geometry.get("type")
    if kind not in ("Polygon", "MultiPolygon"):
        return _(
            "Its geometry is a %(type)s: a ward boundary must be a Polygon or MultiPolygon."
        ) % {"type": kind}
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if kind == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        return _("Its geometry has no coordinates.")
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return _("A polygon of its boundary has no rings.")
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                return _("A ring of its boundary has fewer than 4 points.")
            for point in ring:
                if (
                    not isinstance(point, list)
                    or len(point) < 2
                    or not all(
                        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
                        for v in point[:2]
                    )
                ):
                    return _("A point of its boundary is not a pair of numbers.")
            if ring[0][:2] != ring[-1][:2]:
                return _("A ring of its boundary is not closed (its last point is not its first).")
    try:
        geom = shape(geometry)
    except (ValueError, TypeError, shapely.errors.ShapelyError) as error:
        return _("Its boundary is not a polygon: %(reason)s.") % {"reason": error}
    west, south, east, north = geom.bounds
    if west < -180 or east > 180 or south < -90 or north > 90:
        return _(
            "Its coordinates are not longitude and latitude (they look like British National "
            "Grid metres). Export the boundaries in WGS84 (EPSG:4326)."
        )
    if not geom.is_valid:
        return _("Its boundary is not a valid shape: %(reason)s.") % {
            "reason": shapely.is_valid_reason(geom)
        }
    return None


WARD_CODE = re.compile(r"[EWSN]\d{8}")
LSOA_CODE = re.compile(r"[EW]01\d{6}")
CHARITY_NUMBER = re.compile(r"\d{5,8}(-\d{1,2})?|SC\d{6}|NIC\d{6}")
COMPANY_NUMBER = re.compile(r"(\d{8}|[A-Z]{2}\d{6})")


def whole_number(text, *, low=0, high=None):
    """An integer from text like "1,234"; None when it is not one in range."""
    text = text.replace(",", "").strip()
    if not re.fullmatch(r"\d+", text):
        return None
    value = int(text)
    if value < low or (high is not None and value > high):
        return None
    return value


def decimal_number(text, *, low=None):
    text = text.replace(",", "").replace("£", "").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or (low is not None and value < low):
        return None
    return value


# Deprivation arithmetic (shared with the demo borough) ----------------------------------------

LSOAS_IN_ENGLAND = 32_844  # IMD 2019


def decile_for_rank(rank):
    """The IMD decile (1 most deprived) of an LSOA rank, or of a mean rank on that scale.

    Decile d holds the ranks above (d - 1) tenths and up to d tenths of 32,844.
    """
    return min(10, max(1, math.ceil(Fraction(rank) * 10 / LSOAS_IN_ENGLAND)))


def roll_up_deprivation(lsoa_ranks, weights=None):
    """(rank, decile) for a ward from its LSOAs' ranks, each weighted by its population
    (or counting equally without populations)."""
    if not lsoa_ranks:
        return None, None
    weights = weights or [1] * len(lsoa_ranks)
    total = sum(weights)
    if not total:
        return None, None
    rank = round(Fraction(sum(r * w for r, w in zip(lsoa_ranks, weights, strict=True)), total))
    return rank, decile_for_rank(rank)


# The imports ---------------------------------------------------------------------------------


class Importer:
    """One kind of import. ``check()`` is the first pass (no writes); ``write()`` the
    second, run in a transaction only when ``check()`` found no problem."""

    kind = None
    row_label = "line"

    def __init__(self, path, *, report, user=None, encoding="utf-8", **options):
        self.path = Path(path)
        self.report = report
        self.user = user
        self.encoding = encoding
        self.options = options

    def check(self):
        raise NotImplementedError

    def write(self):
        raise NotImplementedError

    def _history(self, obj):
        obj._history_user = self.user
        return obj

    def _is_repeat(self, seen, code, row, field_name):
        """Whether ``code`` was in an earlier row; if so, a problem naming both rows.
        ``seen`` (code -> its first row) keeps the first row of each code."""
        if code not in seen:
            seen[code] = row
            return False
        first = seen[code]
        if self.row_label == "feature":
            message = _("%(code)s appears twice: features %(first)s and %(this)s.")
        else:
            message = _("%(code)s appears twice: lines %(first)s and %(this)s.")
        self.report.problem(row, field_name, message % {"code": code, "first": first, "this": row})
        return True


# Wards


class WardImporter(Importer):
    kind = ImportKind.WARDS
    row_label = "feature"

    def __init__(self, path, *, code_field="", name_field="", **kwargs):
        super().__init__(path, **kwargs)
        self.code_field = code_field
        self.name_field = name_field

    def _fields(self, properties):
        """The properties holding the ONS code and the name: as named, or detected
        (WD24CD and WD24NM, for any year; else code/id and name)."""
        keys = list(properties)
        code = self.code_field or next(
            (k for k in keys if re.fullmatch(r"WD\d{2}CD", k, re.I)),
            next((k for k in keys if k.lower() in ("code", "id", "ward_code", "gss_code")), None),
        )
        name = self.name_field or next(
            (k for k in keys if re.fullmatch(r"WD\d{2}NM", k, re.I)),
            next((k for k in keys if k.lower() in ("name", "ward_name")), None),
        )
        shown = ", ".join(keys) or _("none")
        if not code or code not in properties:
            raise ImportFailed(
                _(
                    "Cannot tell which property holds the ward's ONS code. The first ward's "
                    "properties are: %(keys)s. Name it with --code-field (or on the upload page)."
                )
                % {"keys": shown},
                row=1,
                field="properties",
            )
        if not name or name not in properties:
            raise ImportFailed(
                _(
                    "Cannot tell which property holds the ward's name. The first ward's "
                    "properties are: %(keys)s. Name it with --name-field (or on the upload page)."
                )
                % {"keys": shown},
                row=1,
                field="properties",
            )
        return code, name

    def wards(self):
        """(number, code, name, boundary) for each good feature; problems go in the report."""
        fields = None
        seen = {}
        for number, feature in geojson_features(self.path):
            self.report.rows_read += 1
            properties = feature.get("properties") if isinstance(feature, dict) else None
            if not isinstance(properties, dict):
                self.report.problem(number, "properties", _("The feature has no properties."))
                continue
            if fields is None:
                fields = self._fields(properties)
            code_field, name_field = fields
            code = str(properties.get(code_field) or "").strip().upper()
            name = str(properties.get(name_field) or "").strip()
            good = True
            if not WARD_CODE.fullmatch(code):
                self.report.problem(
                    number,
                    code_field,
                    _("'%(code)s' is not an ONS ward code like E05013714.") % {"code": code}
                    if code
                    else _("The ward has no ONS code."),
                )
                good = False
            elif self._is_repeat(seen, code, number, code_field):
                good = False
            if not name or len(name) > 100:
                self.report.problem(
                    number,
                    name_field,
                    _("The ward has no name.")
                    if not name
                    else _("The name is over 100 characters."),
                )
                good = False
            reason = boundary_problem(feature.get("geometry"))
            if reason:
                self.report.problem(number, "geometry", reason)
                good = False
            if good:
                yield number, code, name, feature["geometry"]

    def check(self):
        existing = set(Ward.objects.values_list("code", flat=True))
        codes = set()
        for _number, code, _name, _boundary in self.wards():
            codes.add(code)
        self.report.created = len(codes - existing)
        self.report.updated = len(codes & existing)
        left = sorted(existing - codes)
        if left:
            self.report.notes.append(
                _(
                    "%(count)s wards in the database are not in the file and were left as "
                    "they are: %(codes)s."
                )
                % {
                    "count": len(left),
                    "codes": ", ".join(left[:20]) + (" ..." if len(left) > 20 else ""),
                }
            )

    def write(self):
        self.report.rows_read = 0
        existing = {w.code: w for w in Ward.objects.defer("boundary")}
        self.report.created = self.report.updated = 0
        for _number, code, name, boundary in self.wards():
            ward = existing.get(code) or Ward(code=code)
            if ward.pk:
                self.report.updated += 1
            else:
                self.report.created += 1
            ward.name = name
            ward.boundary = boundary
            self._history(ward).save()


# Deprivation


DEPRIVATION_COLUMNS = [
    Column(
        "LSOA code",
        ("lsoacode2011", "lsoacode2021", "lsoacode", "lsoa"),
        pattern=r"lsoa\d\dcd",
    ),
    Column("ward code", ("wardcode", "ward"), pattern=r"wd\d\dcd.*"),
    Column("IMD rank", ("imdrank", "rank"), pattern=r"indexofmultipledeprivationimdrank.*"),
    Column(
        "IMD decile", ("imddecile", "decile"), pattern=r"indexofmultipledeprivationimddecile.*"
    ),
    Column("IMD score", ("imdscore", "score"), pattern=r"indexofmultipledeprivationimdscore.*"),
    Column("population", ("population",), pattern=r"totalpopulation.*"),
]
LOOKUP_COLUMNS = [
    Column(
        "LSOA code",
        ("lsoacode2011", "lsoacode2021", "lsoacode", "lsoa"),
        pattern=r"lsoa\d\dcd",
        required=True,
    ),
    Column("ward code", ("wardcode", "ward"), pattern=r"wd\d\dcd.*", required=True),
]


@dataclass
class WardFigures:
    ranks: list = field(default_factory=list)
    weights: list = field(default_factory=list)
    scores: list = field(default_factory=list)
    population: int = 0
    decile: int | None = None  # as given, for figures by ward


class DeprivationImporter(Importer):
    """IMD by LSOA, rolled up to wards (with a ward column or a lookup file), or by ward."""

    kind = ImportKind.DEPRIVATION

    def __init__(self, path, *, lookup=None, **kwargs):
        super().__init__(path, **kwargs)
        self.lookup_path = Path(lookup) if lookup else None
        self.figures = {}

    def _lookup(self):
        table = CsvTable(
            self.lookup_path, LOOKUP_COLUMNS, encoding=self.encoding, label=_("Lookup file: ")
        )
        wards = {}
        for line, row in table.rows():
            lsoa, ward = row["LSOA code"].upper(), row["ward code"].upper()
            if lsoa in wards and wards[lsoa] != ward:
                self.report.problem(
                    line,
                    _("lookup file, LSOA code"),
                    _("%(lsoa)s is given two wards in the lookup file: %(a)s and %(b)s.")
                    % {"lsoa": lsoa, "a": wards[lsoa], "b": ward},
                )
            wards[lsoa] = ward
        return wards

    def check(self):
        table = CsvTable(self.path, DEPRIVATION_COLUMNS, encoding=self.encoding)
        rows = table.rows()
        try:
            first = next(rows)
        except StopIteration:
            first = None
        if not table.has("IMD rank"):
            raise ImportFailed(
                _("The file has no IMD rank column (for example 'IMD_rank')."), row=1
            )
        by_lsoa = table.has("LSOA code")
        if not by_lsoa and not table.has("ward code"):
            raise ImportFailed(
                _(
                    "The file has neither an LSOA code column (for example 'LSOA11CD') nor a "
                    "ward code column (for example 'WD22CD')."
                ),
                row=1,
            )
        lookup = None
        if by_lsoa and not table.has("ward code"):
            if not self.lookup_path:
                raise ImportFailed(
                    _(
                        "The file gives figures by LSOA but says nothing of wards: add the "
                        "LSOA-to-ward lookup file (--lookup)."
                    ),
                    row=1,
                )
            lookup = self._lookup()
        wards = dict(Ward.objects.values_list("code", "pk"))
        weighted = table.has("population")
        seen = {}
        skipped_no_ward = skipped_other = 0
        for line, row in itertools.chain([first] if first else [], rows):
            self.report.rows_read += 1
            key = row["LSOA code"].upper() if by_lsoa else row["ward code"].upper()
            pattern, label = (LSOA_CODE, "LSOA code") if by_lsoa else (WARD_CODE, "ward code")
            good = True
            if not pattern.fullmatch(key):
                self.report.problem(
                    line, label, _("'%(code)s' is not a %(what)s.") % {"code": key, "what": label}
                )
                good = False
            elif self._is_repeat(seen, key, line, label):
                good = False
            rank = whole_number(row["IMD rank"], low=1, high=LSOAS_IN_ENGLAND)
            if rank is None:
                self.report.problem(
                    line,
                    "IMD rank",
                    _("'%(value)s' is not a rank from 1 to %(max)s.")
                    % {"value": row["IMD rank"], "max": f"{LSOAS_IN_ENGLAND:,}"},
                )
                good = False
            decile = None
            if table.has("IMD decile"):
                decile = whole_number(row["IMD decile"], low=1, high=10)
                if decile is None:
                    self.report.problem(
                        line,
                        "IMD decile",
                        _("'%(value)s' is not a decile from 1 to 10.")
                        % {"value": row["IMD decile"]},
                    )
                    good = False
            score = None
            if table.has("IMD score") and row["IMD score"]:
                score = decimal_number(row["IMD score"], low=0)
                if score is None or score >= 1000:
                    self.report.problem(
                        line,
                        "IMD score",
                        _("'%(value)s' is not a score.") % {"value": row["IMD score"]},
                    )
                    good = False
            population = 1
            if weighted:
                population = whole_number(row["population"])
                if population is None:
                    self.report.problem(
                        line,
                        "population",
                        _("'%(value)s' is not a number of people.") % {"value": row["population"]},
                    )
                    good = False
            if not good:
                continue
            ward_code = (
                key
                if not by_lsoa
                else (row["ward code"].upper() if lookup is None else lookup.get(key, ""))
            )
            if not ward_code:
                skipped_no_ward += 1
                continue
            if ward_code not in wards:
                skipped_other += 1
                continue
            figures = self.figures.setdefault(ward_code, WardFigures())
            figures.ranks.append(rank)
            figures.weights.append(population)
            if score is not None:
                figures.scores.append(score)
            if weighted:
                figures.population += population
            if not by_lsoa:
                figures.decile = decile
        self.report.skipped = skipped_no_ward + skipped_other
        if skipped_no_ward:
            self.report.notes.append(
                _("%(count)s LSOAs have no ward in the lookup: skipped.")
                % {"count": f"{skipped_no_ward:,}"}
            )
        if skipped_other:
            self.report.notes.append(
                _(
                    "%(count)s rows are for wards that are not in the database (another "
                    "area's): skipped."
                )
                % {"count": f"{skipped_other:,}"}
            )
        self.by_lsoa, self.weighted, self.ward_pks = by_lsoa, weighted, wards
        self.report.updated = len(self.figures)
        missing = sorted(set(wards) - set(self.figures))
        if missing:
            names = dict(Ward.objects.filter(code__in=missing[:20]).values_list("code", "name"))
            self.report.notes.append(
                _("No figures for %(count)s wards, left as they were: %(names)s.")
                % {
                    "count": len(missing),
                    "names": ", ".join(names.get(c, c) for c in missing[:20])
                    + (" ..." if len(missing) > 20 else ""),
                }
            )
        if self.by_lsoa:
            self.report.notes.append(
                _(
                    "Each ward's rank is the mean rank of its LSOAs, %(how)s; its decile is the "
                    "LSOA decile that rank falls in."
                )
                % {
                    "how": _("weighted by their populations")
                    if weighted
                    else _("each counting equally (the file has no populations)")
                }
            )

    def write(self):
        wards = Ward.objects.in_bulk([self.ward_pks[c] for c in self.figures])
        for code, figures in self.figures.items():
            ward = wards[self.ward_pks[code]]
            if self.by_lsoa:
                ward.imd_rank, ward.imd_decile = roll_up_deprivation(
                    figures.ranks, figures.weights
                )
            else:
                ward.imd_rank = figures.ranks[0]
                ward.imd_decile = figures.decile or decile_for_rank(ward.imd_rank)
            if figures.scores and len(figures.scores) == len(figures.ranks):
                total = sum(figures.weights)
                ward.imd_score = round(
                    sum(s * w for s, w in zip(figures.scores, figures.weights, strict=True))
                    / total,
                    3,
                )
            if self.weighted:
                ward.population = figures.population
            self._history(ward).save()


# Postcodes


POSTCODE_COLUMNS = [
    Column(
        "postcode",
        ("pcds", "postcodenatural", "postcode", "pcd", "pcd7", "postcode7", "pcd8", "postcode8"),
        required=True,
    ),
    Column("ward code", ("osward", "wardcode", "ward"), pattern=r"wd\d\dcd.*", required=True),
    Column("termination date", ("doterm", "terminationdate")),
]


class PostcodeImporter(Importer):
    """An ONS postcode-to-ward lookup. Terminated postcodes and those of wards that are not
    in the database (a national file holds every ward's) are skipped."""

    kind = ImportKind.POSTCODES

    def postcodes(self):
        wards = dict(Ward.objects.values_list("code", "pk"))
        seen = {}
        terminated = elsewhere = 0
        for line, row in CsvTable(self.path, POSTCODE_COLUMNS, encoding=self.encoding).rows():
            self.report.rows_read += 1
            postcode = normalise_postcode(row["postcode"])
            if postcode is None:
                self.report.problem(
                    line,
                    "postcode",
                    _("'%(value)s' is not a UK postcode.") % {"value": row["postcode"]},
                )
                continue
            if row["termination date"]:
                terminated += 1
                continue
            ward_code = row["ward code"].upper()
            if ward_code not in wards:
                elsewhere += 1
                continue
            if postcode in seen:
                self.report.problem(
                    line,
                    "postcode",
                    _("%(postcode)s appears twice: lines %(first)s and %(this)s.")
                    % {"postcode": postcode, "first": f"{seen[postcode]:,}", "this": f"{line:,}"},
                )
                continue
            seen[postcode] = line
            yield postcode, wards[ward_code]
        self.report.skipped = terminated + elsewhere
        if terminated:
            self.report.notes.append(
                _("%(count)s postcodes are no longer in use: skipped.")
                % {"count": f"{terminated:,}"}
            )
        if elsewhere:
            self.report.notes.append(
                _("%(count)s postcodes are in wards that are not in the database: skipped.")
                % {"count": f"{elsewhere:,}"}
            )

    def _plan(self):
        existing = dict(Postcode.objects.values_list("postcode", "ward_id"))
        for postcode, ward_id in self.postcodes():
            before = existing.get(postcode)
            if before is None:
                self.report.created += 1
            elif before != ward_id:
                self.report.updated += 1
            else:
                self.report.unchanged += 1
                continue
            yield postcode, ward_id

    def check(self):
        for _item in self._plan():
            pass

    def write(self):
        self.report.rows_read = self.report.created = self.report.updated = 0
        self.report.unchanged = 0
        self.report.notes.clear()
        batch = []
        for postcode, ward_id in self._plan():
            batch.append(Postcode(postcode=postcode, ward_id=ward_id))
            if len(batch) >= BATCH:
                self._save(batch)
                batch = []
        self._save(batch)

    @staticmethod
    def _save(batch):
        if batch:
            Postcode.objects.bulk_create(
                batch, update_conflicts=True, unique_fields=["postcode"], update_fields=["ward"]
            )


# Organisations


@dataclass
class OrganisationRow:
    line: int
    name: str = ""
    legal_form: str = ""
    charity_number: str = ""
    company_number: str = ""
    other_identifier: str = ""
    address: str = ""
    postcode: str = ""
    website: str = ""
    description: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    volunteers: int | None = None
    paid_staff: int | None = None
    income_band: str = ""
    ward_ids: list | None = None
    serves_whole_borough: bool | None = None

    IDENTIFIERS = ("charity_number", "company_number", "other_identifier")
    # What an import may fill in or change on an organisation.
    FIELDS = (
        "name",
        "legal_form",
        "charity_number",
        "company_number",
        "other_identifier",
        "address",
        "postcode",
        "website",
        "description",
        "contact_name",
        "contact_email",
        "contact_phone",
        "volunteers",
        "paid_staff",
        "income_band",
        "serves_whole_borough",
    )


ORGANISATION_FORMATS = {
    "charity-commission": _("Charity Commission register extract"),
    "360giving": _("360Giving grants data"),
    "csv": _("The council's own spreadsheet (CSV)"),
}

CHARITY_COMMISSION_COLUMNS = [
    Column(
        "charity number",
        ("registeredcharitynumber", "charitynumber", "regcharitynumber"),
        required=True,
    ),
    Column("company number", ("charitycompanyregistrationnumber", "companynumber")),
    Column("name", ("charityname", "name"), required=True),
    Column("charity type", ("charitytype",)),
    Column("activities", ("charityactivities", "activities")),
    Column("address", ("charitycontactaddress", "address")),
    Column("postcode", ("charitycontactpostcode", "postcode")),
    Column("phone", ("charitycontactphone", "phone")),
    Column("email", ("charitycontactemail", "email")),
    Column("website", ("charitycontactweb", "website", "web")),
]
GRANTS_COLUMNS = [
    Column("recipient identifier", ("recipientorgidentifier",), required=True),
    Column("recipient name", ("recipientorgname",), required=True),
    Column("charity number", ("recipientorgcharitynumber",)),
    Column("company number", ("recipientorgcompanynumber",)),
    Column("street address", ("recipientorgstreetaddress",)),
    Column("city", ("recipientorgcity",)),
    Column("postcode", ("recipientorgpostalcode",)),
    Column("description", ("recipientorgdescription",)),
    Column("website", ("recipientorgwebaddress",)),
]
OWN_COLUMNS = [
    Column(
        "name", ("name", "group", "organisation", "organisationname", "groupname"), required=True
    ),
    Column("legal form", ("legalform",)),
    Column("identifiers", ("identifiers", "identifier", "orgid", "otheridentifier")),
    Column("charity number", ("charitynumber", "registeredcharitynumber")),
    Column("company number", ("companynumber",)),
    Column("address", ("address",)),
    Column("postcode", ("postcode",)),
    Column("website", ("website",)),
    Column("description", ("description", "whatthegroupdoes")),
    Column("contact name", ("contactname",)),
    Column("contact email", ("contactemail", "email")),
    Column("contact phone", ("contactphone", "phone")),
    Column("volunteers", ("volunteers",)),
    Column("paid staff", ("paidstaff",)),
    Column("income", ("income", "incomeband")),
    Column("wards", ("wards", "wardsserved")),
]

# The Charity Commission's charity types, as the app's legal forms. Trusts, "other" and
# "previously excepted" charities are unincorporated charities.
CHARITY_TYPES = {
    "charitable company": LegalForm.CHARITABLE_COMPANY,
    "cio": LegalForm.CIO,
}


def _clean(value):
    """Empty for the register's "NA"."""
    return "" if value.strip().upper() in ("NA", "N/A") else value.strip()


class OrganisationImporter(Importer):
    """Organisations, matched on their org-id identifiers (charity number, company number,
    other identifier) so that nothing is duplicated.

    New organisations wait for an officer's review (pending): a register entry shows that
    a charity exists, not that the council has checked what the group offers. Existing
    organisations keep their verification. The council's own spreadsheet ("csv") changes
    the columns it fills in; the registers (Charity Commission, 360Giving) only fill in
    what is empty, so they never overwrite what a group or an officer wrote.
    """

    kind = ImportKind.ORGANISATIONS

    def __init__(self, path, *, format="csv", **kwargs):
        super().__init__(path, **kwargs)
        if format not in ORGANISATION_FORMATS:
            raise ImportFailed(
                _("Unknown format %(format)s: use one of %(formats)s.")
                % {"format": format, "formats": ", ".join(ORGANISATION_FORMATS)}
            )
        self.format = format
        self.overwrite = format == "csv"

    # Reading each format into OrganisationRow

    def _charity_commission(self, line, row):
        record = OrganisationRow(line=line)
        record.charity_number = _clean(row["charity number"])
        record.company_number = _clean(row["company number"])
        record.name = _clean(row["name"])
        record.legal_form = CHARITY_TYPES.get(
            _clean(row["charity type"]).lower(), LegalForm.UNINCORPORATED
        )
        record.description = _clean(row["activities"])
        record.address = _clean(row["address"])
        record.postcode = _clean(row["postcode"])
        record.contact_phone = _clean(row["phone"])
        record.contact_email = _clean(row["email"])
        record.website = _clean(row["website"])
        if not record.charity_number:
            self.report.problem(line, "charity number", _("The row has no charity number."))
            return None
        return record

    def _grants(self, line, row):
        record = OrganisationRow(line=line)
        self._identifier(record, row["recipient identifier"], "recipient identifier")
        record.charity_number = record.charity_number or row["charity number"]
        record.company_number = record.company_number or row["company number"]
        record.name = row["recipient name"]
        # 360Giving does not say what legal form a recipient has.
        record.legal_form = (
            LegalForm.CHARITABLE_COMPANY
            if record.charity_number and record.company_number
            else LegalForm.UNINCORPORATED
        )
        record.address = ", ".join(v for v in (row["street address"], row["city"]) if v)
        record.postcode = row["postcode"]
        record.description = row["description"]
        record.website = row["website"]
        return record

    def _own(self, line, row):
        record = OrganisationRow(line=line)
        problems_before = self.report.problem_count
        for identifier in re.split(r"[;,]", row["identifiers"]):
            if identifier.strip():
                self._identifier(record, identifier, "identifiers")
        record.charity_number = row["charity number"] or record.charity_number
        record.company_number = row["company number"] or record.company_number
        record.name = row["name"]
        legal_form = row["legal form"]
        if legal_form:
            record.legal_form = _choice(LegalForm, legal_form)
            if not record.legal_form:
                self.report.problem(
                    line,
                    "legal form",
                    _("'%(value)s' is not a legal form. Use one of: %(choices)s.")
                    % {
                        "value": legal_form,
                        "choices": "; ".join(str(label) for label in LegalForm.labels),
                    },
                )
        income = row["income"]
        if income:
            record.income_band = _choice(IncomeBand, income)
            if not record.income_band:
                self.report.problem(
                    line,
                    "income",
                    _("'%(value)s' is not an income band. Use one of: %(choices)s.")
                    % {
                        "value": income,
                        "choices": "; ".join(str(label) for label in IncomeBand.labels),
                    },
                )
        for name in ("volunteers", "paid staff"):
            if row[name]:
                number = whole_number(row[name])
                if number is None:
                    self.report.problem(
                        line, name, _("'%(value)s' is not a whole number.") % {"value": row[name]}
                    )
                setattr(record, name.replace(" ", "_"), number)
        record.address = row["address"]
        record.postcode = row["postcode"]
        record.website = row["website"]
        record.description = row["description"]
        record.contact_name = row["contact name"]
        record.contact_email = row["contact email"]
        record.contact_phone = row["contact phone"]
        if row["wards"]:
            if row["wards"].strip().lower() in ("whole borough", "the whole borough"):
                record.serves_whole_borough = True
                record.ward_ids = []
            else:
                record.ward_ids = []
                for item in re.split(r"[;,]", row["wards"]):
                    item = item.strip()
                    ward = self.wards_by_key.get(item.upper()) or self.wards_by_key.get(
                        item.lower()
                    )
                    if item and ward is None:
                        self.report.problem(
                            line,
                            "wards",
                            _("'%(ward)s' is not a ward (give ONS codes or names).")
                            % {"ward": item},
                        )
                    elif item:
                        record.ward_ids.append(ward)
        return record if self.report.problem_count == problems_before else None

    def _identifier(self, record, identifier, column):
        field, value = number_from_org_id(identifier)
        setattr(record, field or "other_identifier", value)

    # Checking a row

    def _valid(self, record):
        line = record.line
        problems_before = self.report.problem_count
        record.name = " ".join(record.name.split())
        if not record.name:
            self.report.problem(line, "name", _("The organisation has no name."))
        elif len(record.name) > 200:
            self.report.problem(line, "name", _("The name is over 200 characters."))
        charity = record.charity_number.replace(" ", "")
        if charity.isdigit():
            # England and Wales numbers have no leading zeros, though some grant data adds one.
            charity = charity.lstrip("0")
        elif CHARITY_NUMBER.fullmatch(charity.upper()):
            charity = charity.upper()  # sc012345: a Scottish number in lower case
        record.charity_number = charity
        if charity and not CHARITY_NUMBER.fullmatch(charity):
            self.report.problem(
                line,
                "charity number",
                _(
                    "'%(value)s' is not a registered charity number (5 to 8 digits, or SC "
                    "or NIC and 6 digits)."
                )
                % {"value": charity},
            )
        company = record.company_number.replace(" ", "").upper()
        # Registers often drop leading zeros: Companies House numbers are 8 characters.
        short = re.fullmatch(r"([A-Z]{2})?(\d{1,7})", company)
        if short and len(company) < 8:
            prefix = short.group(1) or ""
            company = prefix + short.group(2).zfill(8 - len(prefix))
        record.company_number = company
        if company and not COMPANY_NUMBER.fullmatch(company):
            self.report.problem(
                line,
                "company number",
                _(
                    "'%(value)s' is not a Companies House number (8 characters, like 01234567 "
                    "or SC123456)."
                )
                % {"value": company},
            )
        if len(record.other_identifier) > 100:
            self.report.problem(line, "identifier", _("The identifier is over 100 characters."))
        if self.report.problem_count > problems_before:
            return False
        # Details that are only nice to have: imported without them, with a note.
        if record.postcode:
            postcode = normalise_postcode(record.postcode)
            if postcode is None:
                self.report.warn(
                    line,
                    "postcode",
                    _("'%(value)s' is not a UK postcode: left out.") % {"value": record.postcode},
                )
            record.postcode = postcode or ""
        if record.website:
            website = record.website if "://" in record.website else f"https://{record.website}"
            try:
                URLValidator(schemes=["http", "https"])(website)
            except ValidationError:
                self.report.warn(
                    line,
                    "website",
                    _("'%(value)s' is not a web address: left out.") % {"value": record.website},
                )
                website = ""
            record.website = website if len(website) <= 200 else ""
        if record.contact_email:
            try:
                EmailValidator()(record.contact_email)
            except ValidationError:
                self.report.warn(
                    line,
                    "email",
                    _("'%(value)s' is not an email address: left out.")
                    % {"value": record.contact_email},
                )
                record.contact_email = ""
        if len(record.contact_phone) > 30:
            self.report.warn(line, "phone", _("The phone number is over 30 characters: left out."))
            record.contact_phone = ""
        if len(record.address) > 300:
            self.report.warn(line, "address", _("The address is over 300 characters: shortened."))
            record.address = record.address[:300]
        record.contact_name = record.contact_name[:150]
        return True

    def records(self):
        columns, read = {
            "charity-commission": (CHARITY_COMMISSION_COLUMNS, self._charity_commission),
            "360giving": (GRANTS_COLUMNS, self._grants),
            "csv": (OWN_COLUMNS, self._own),
        }[self.format]
        for line, row in CsvTable(self.path, columns, encoding=self.encoding).rows():
            self.report.rows_read += 1
            record = read(line, row)
            if record is not None and self._valid(record):
                yield record

    # Matching

    def _load(self):
        self.wards_by_key = {}
        for pk, code, name in Ward.objects.values_list("pk", "code", "name"):
            self.wards_by_key[code.upper()] = pk
            self.wards_by_key[name.lower()] = pk
        self.known = {}  # key: {identifier field: value, "name": name}
        self.index = {f: {} for f in OrganisationRow.IDENTIFIERS}
        self.names = defaultdict(list)
        for values in Organisation.objects.values("pk", "name", *OrganisationRow.IDENTIFIERS):
            key = values.pop("pk")
            self.known[key] = values
            for f in OrganisationRow.IDENTIFIERS:
                if values[f]:
                    self.index[f][values[f]] = key
            self.names[values["name"].lower()].append(key)

    def _match(self, record):
        """The key of the organisation the row is about (None: a new one), or False after
        recording a conflict."""
        keys = {
            f: self.index[f].get(getattr(record, f))
            for f in OrganisationRow.IDENTIFIERS
            if getattr(record, f)
        }
        found = {k for k in keys.values() if k is not None}
        if len(found) > 1:
            which = "; ".join(
                _("%(field)s %(value)s is %(name)s")
                % {
                    "field": f.replace("_", " "),
                    "value": getattr(record, f),
                    "name": self.known[k]["name"],
                }
                for f, k in keys.items()
                if k is not None
            )
            self.report.problem(
                record.line,
                _("identifiers"),
                _("The identifiers belong to different organisations: %(which)s.")
                % {"which": which},
            )
            return False
        if found:
            key = found.pop()
            for f in ("charity_number", "company_number"):
                have, given = self.known[key][f], getattr(record, f)
                if have and given and have != given:
                    self.report.problem(
                        record.line,
                        f.replace("_", " "),
                        _("%(name)s already has %(field)s %(have)s, not %(given)s.")
                        % {
                            "name": self.known[key]["name"],
                            "field": f.replace("_", " "),
                            "have": have,
                            "given": given,
                        },
                    )
                    return False
            return key
        if not keys:
            # No identifier at all (a small group's own row): match on the name.
            same_name = self.names.get(record.name.lower(), [])
            if len(same_name) > 1:
                self.report.problem(
                    record.line,
                    "name",
                    _(
                        "%(count)s organisations are called %(name)s: add an identifier to say "
                        "which."
                    )
                    % {"count": len(same_name), "name": record.name},
                )
                return False
            if same_name:
                return same_name[0]
        return None

    def _remember(self, key, record):
        known = self.known.setdefault(
            key, {"name": record.name, **dict.fromkeys(OrganisationRow.IDENTIFIERS, "")}
        )
        for f in OrganisationRow.IDENTIFIERS:
            value = getattr(record, f)
            if value and not known[f]:
                known[f] = value
                self.index[f][value] = key
        if key not in self.names[known["name"].lower()]:
            self.names[known["name"].lower()].append(key)

    def _plan(self):
        """(key or None, record) for each good row, None being a new organisation."""
        self._load()
        created = set()
        first_line = {}
        for record in self.records():
            key = self._match(record)
            if key is False:
                continue
            # A grants file names a recipient once per grant; any other file names each
            # organisation once, so a second row about it is a mistake.
            if key is not None and key in first_line and self.format != "360giving":
                field_name = next(
                    (f for f in OrganisationRow.IDENTIFIERS if getattr(record, f)), "name"
                )
                self.report.problem(
                    record.line,
                    field_name.replace("_", " "),
                    _("The %(field)s %(value)s appears twice: lines %(first)s and %(this)s.")
                    % {
                        "field": field_name.replace("_", " "),
                        "value": getattr(record, field_name),
                        "first": first_line[key],
                        "this": record.line,
                    },
                )
                continue
            if key is None:
                key = f"new:{record.line}"
                created.add(key)
            first_line.setdefault(key, record.line)
            self._remember(key, record)
            yield key, record

    def check(self):
        touched = set()
        for key, _record in self._plan():
            touched.add(key)
        self.report.created = sum(1 for k in touched if isinstance(k, str))
        self.report.updated = len(touched) - self.report.created
        self._notes()

    def _notes(self):
        if self.format != "csv":
            self.report.notes.append(
                _(
                    "New organisations wait for an officer's review; existing ones keep their "
                    "verification. Details already filled in were not changed."
                )
            )

    def write(self):
        self.report.rows_read = 0
        objects = {}  # key: Organisation
        created, changed = set(), set()
        wards_to_set = {}
        for key, record in self._plan():
            organisation = objects.get(key)
            if organisation is None:
                if isinstance(key, str):
                    organisation = Organisation(
                        verification_status=VerificationStatus.PENDING,
                        legal_form=record.legal_form or LegalForm.UNINCORPORATED,
                    )
                    created.add(key)
                else:
                    organisation = Organisation.objects.get(pk=key)
                objects[key] = organisation
            if self._apply(organisation, record, new=key in created):
                changed.add(key)
            if record.ward_ids is not None and (self.overwrite or key in created):
                wards_to_set[key] = record
        new = [objects[k] for k in created]
        for organisation in new:
            organisation.full_clean(validate_unique=False, validate_constraints=False)
        for start in range(0, len(new), BATCH):
            bulk_create_with_history(
                new[start : start + BATCH], Organisation, default_user=self.user
            )
        for key in changed - created:
            organisation = objects[key]
            organisation.version += 1
            self._history(organisation).save()
        for key, record in wards_to_set.items():
            organisation = objects[key]
            if organisation.pk is None:  # bulk_create on SQLite may not set it
                organisation = Organisation.objects.get(**_identity(organisation))
            organisation.wards_served.set(record.ward_ids)
        self.report.created = len(created)
        self.report.updated = len(changed - created)
        self.report.unchanged = len(objects) - len(created) - self.report.updated

    def _apply(self, organisation, record, *, new):
        changed = False
        for name in OrganisationRow.FIELDS:
            value = getattr(record, name)
            if value in ("", None):
                continue
            current = getattr(organisation, name)
            if name == "legal_form" and not (new or self.overwrite):
                continue
            if (new or self.overwrite or current in ("", None)) and current != value:
                setattr(organisation, name, value)
                changed = True
        return changed


def _identity(organisation):
    for f in OrganisationRow.IDENTIFIERS:
        if getattr(organisation, f):
            return {f: getattr(organisation, f)}
    return {"name": organisation.name}


def _choice(choices, text):
    """A TextChoices value from its value or its label, in any case."""
    wanted = header_key(text)
    for value, label in choices.choices:
        if wanted in (header_key(value), header_key(str(label))):
            return value
    return ""


# Services


SERVICE_COLUMNS = [
    Column("LGSL code", ("identifier", "lgslcode", "lgsl", "lgacode", "code"), required=True),
    Column("name", ("label", "name", "service"), required=True),
    Column("description", ("description",)),
    Column("category", ("category", "kindofservice")),
    Column("annual cost", ("annualcost", "cost")),
    Column(
        "volunteer hours",
        ("volunteerhoursneeded", "volunteerhours", "volunteerhoursitneedsamonth"),
    ),
]


class ServiceImporter(Importer):
    """Services from an LGA Service List coded CSV (Identifier, Label, Description), with
    optional columns of the council's own (category, annual cost, volunteer hours).

    A row whose LGSL code a service already has updates that service (filling in what is
    empty; names are kept); any other row adds a service covering every ward, kept off
    the public pages until an officer publishes it.
    """

    kind = ImportKind.SERVICES

    def __init__(self, path, *, category="", **kwargs):
        super().__init__(path, **kwargs)
        self.default_category = category

    def _categories(self):
        from services.models import ServiceCategory

        categories = {}
        for category in ServiceCategory.objects.all():
            categories[category.slug.lower()] = category
            categories[category.name.lower()] = category
        return categories

    def records(self):
        from services.models import Service

        categories = self._categories()
        default = None
        if self.default_category:
            default = categories.get(self.default_category.lower())
            if default is None:
                raise ImportFailed(
                    _("There is no category %(category)s. Categories: %(list)s.")
                    % {
                        "category": self.default_category,
                        "list": ", ".join(sorted({c.slug for c in categories.values()})),
                    }
                )
        by_code = defaultdict(list)
        for pk, code in Service.objects.filter(lgsl_code__isnull=False).values_list(
            "pk", "lgsl_code"
        ):
            by_code[code].append(pk)
        by_name = {
            (c, n.lower()): pk
            for pk, c, n in Service.objects.values_list("pk", "category_id", "name")
        }
        seen_codes, seen_names = {}, {}
        table = CsvTable(self.path, SERVICE_COLUMNS, encoding=self.encoding)
        for line, row in table.rows():
            self.report.rows_read += 1
            good = True
            code = whole_number(row["LGSL code"], low=1, high=2_147_483_647)
            if code is None:
                self.report.problem(
                    line,
                    "LGSL code",
                    _("'%(value)s' is not an LGSL code (a whole number).")
                    % {"value": row["LGSL code"]},
                )
                good = False
            elif self._is_repeat(seen_codes, code, line, "LGSL code"):
                good = False
            name = " ".join(row["name"].split())
            if not name or len(name) > 200:
                self.report.problem(
                    line,
                    "name",
                    _("The service has no name.")
                    if not name
                    else _("The name is over 200 characters."),
                )
                good = False
            category = default
            if row["category"]:
                category = categories.get(row["category"].lower())
                if category is None:
                    self.report.problem(
                        line,
                        "category",
                        _("'%(value)s' is not a category.") % {"value": row["category"]},
                    )
                    good = False
            elif category is None and not by_code.get(code):
                if not table.has("category"):
                    raise ImportFailed(
                        _(
                            "Say which category new services go in: choose one (--category), "
                            "or add a 'Category' column. Categories: %(list)s."
                        )
                        % {"list": ", ".join(sorted({c.slug for c in categories.values()}))}
                    )
                self.report.problem(line, "category", _("The row has no category."))
                good = False
            cost = None
            if row["annual cost"]:
                cost = decimal_number(row["annual cost"], low=0)
                if cost is None or cost >= Decimal("1e10"):
                    self.report.problem(
                        line,
                        "annual cost",
                        _("'%(value)s' is not an amount of money.")
                        % {"value": row["annual cost"]},
                    )
                    good = False
            hours = None
            if row["volunteer hours"]:
                hours = whole_number(row["volunteer hours"])
                if hours is None:
                    self.report.problem(
                        line,
                        "volunteer hours",
                        _("'%(value)s' is not a whole number.")
                        % {"value": row["volunteer hours"]},
                    )
                    good = False
            if good and category is not None and not by_code.get(code):
                name_key = (category.pk, name.lower())
                if name_key in seen_names:
                    self.report.problem(
                        line,
                        "name",
                        _("%(name)s appears twice in %(category)s: lines %(first)s and %(this)s.")
                        % {
                            "name": name,
                            "category": category,
                            "first": seen_names[name_key],
                            "this": line,
                        },
                    )
                    good = False
                seen_names[name_key] = line
            if good:
                existing = by_code.get(code) or (
                    [by_name[(category.pk, name.lower())]]
                    if (category.pk, name.lower()) in by_name
                    else []
                )
                yield (
                    existing,
                    {
                        "lgsl_code": code,
                        "name": name,
                        "description": row["description"],
                        "category": category,
                        "annual_cost": cost,
                        "volunteer_hours_needed": hours,
                    },
                )

    def check(self):
        for existing, _values in self.records():
            if existing:
                self.report.updated += len(existing)
            else:
                self.report.created += 1
        self.report.notes.append(
            _(
                "New services cover every ward and are kept off the public pages until an "
                "officer publishes them."
            )
        )

    def write(self):
        from services.models import Service

        self.report.rows_read = self.report.created = self.report.updated = 0
        ward_ids = list(Ward.objects.values_list("pk", flat=True))
        new = []
        for existing, values in self.records():
            if existing:
                for service in Service.objects.filter(pk__in=existing):
                    changed = False
                    for name in ("description", "annual_cost", "lgsl_code"):
                        if values[name] not in ("", None) and getattr(service, name) in ("", None):
                            setattr(service, name, values[name])
                            changed = True
                    if (
                        values["volunteer_hours_needed"] is not None
                        and not service.volunteer_hours_needed
                    ):
                        service.volunteer_hours_needed = values["volunteer_hours_needed"]
                        changed = True
                    if changed:
                        service.version += 1
                        self._history(service).save()
                        self.report.updated += 1
                    else:
                        self.report.unchanged += 1
                continue
            category = values.pop("category")
            new.append(
                Service(
                    category=category,
                    risk_tier=category.default_risk_tier,
                    statutory_duty=False,
                    published=False,
                    **{k: v for k, v in values.items() if v is not None},
                )
            )
            self.report.created += 1
        for start in range(0, len(new), BATCH):
            bulk_create_with_history(new[start : start + BATCH], Service, default_user=self.user)
        if new and ward_ids:
            through = Service.wards.through
            links = [through(service_id=s.pk, ward_id=w) for s in new for w in ward_ids]
            for start in range(0, len(links), BATCH * 5):
                through.objects.bulk_create(links[start : start + BATCH * 5])


# Running an import ---------------------------------------------------------------------------

IMPORTERS = {
    ImportKind.WARDS: WardImporter,
    ImportKind.DEPRIVATION: DeprivationImporter,
    ImportKind.ORGANISATIONS: OrganisationImporter,
    ImportKind.SERVICES: ServiceImporter,
    ImportKind.POSTCODES: PostcodeImporter,
}


def run_import(kind, path, *, dry_run=False, user=None, filename="", **options):
    """Check the file and, when every row is good and it is not a dry run, write it all
    in one transaction. Returns the Report; never raises for a bad file."""
    importer_class = IMPORTERS[ImportKind(kind)]
    report = Report(
        kind=kind,
        filename=filename or Path(path).name,
        dry_run=dry_run,
        row_label=importer_class.row_label,
    )
    try:
        importer = importer_class(path, report=report, user=user, **options)
        importer.check()
    except ImportFailed as failure:
        report.problem(failure.problem.row, failure.problem.field, failure.problem.message)
        return report
    except OSError as error:
        report.problem(
            None,
            "",
            _("The file cannot be opened: %(reason)s.") % {"reason": error.strerror or error},
        )
        return report
    if not report.ok or dry_run:
        return report
    warnings, warning_count = report.warnings, report.warning_count
    try:
        with transaction.atomic():
            report.warnings, report.warning_count = [], 0
            importer.write()
            if not report.ok:  # the data changed between the two passes
                raise ImportFailed(report.problems[0].message)
    except (ImportFailed, DatabaseError, ValidationError) as error:
        report.warnings, report.warning_count = warnings, warning_count
        report.problem(
            None,
            "",
            _(
                "Nothing was written: the data changed while the file was being imported "
                "(%(reason)s). Try again."
            )
            % {"reason": str(error)[:300]},
        )
        return report
    report.written = True
    return report
