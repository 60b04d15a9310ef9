"""A 50 MB file: checked in full with little memory and in little time, and a bad row at its
very end still means nothing is written."""

import math
import time
import tracemalloc

import pytest

from mapping.imports import run_import
from tests.imports.conftest import CC_HEADER_LINE, problems

pytestmark = pytest.mark.django_db

FIFTY_MB = 50 * 1024 * 1024
# Memory the check may take, whatever the file's size: a fraction of the file.
MEMORY_LIMIT = 40 * 1024 * 1024
TIME_LIMIT = 90  # seconds, on a busy 2-core machine; it takes a few


def measure(call):
    tracemalloc.start()
    started = time.monotonic()
    try:
        result = call()
    finally:
        seconds = time.monotonic() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return result, peak, seconds


def test_a_50_mb_register_with_one_bad_row_at_the_end_writes_nothing(tmp_path, unchanged):
    path = tmp_path / "register.csv"
    activities = "Runs a lunch club, a library and a youth group for the area. " * 14
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(CC_HEADER_LINE)
        number = 1_000_000
        while f.tell() < FIFTY_MB:
            rows = [
                f'{number + i},NA,COMMUNITY GROUP {number + i},Other,"{activities}",2001-01-01,'
                f'"1 High Street, Lewisham",SE13 5AA,NA,NA,NA\n'
                for i in range(1000)
            ]
            f.writelines(rows)
            number += 1000
        f.write("not-a-number,NA,LAST GROUP,Other,NA,NA,NA,NA,NA,NA,NA\n")
    assert path.stat().st_size > FIFTY_MB

    report, peak, seconds = measure(
        lambda: run_import("organisations", path, format="charity-commission")
    )

    assert report.rows_read == number - 1_000_000 + 1
    assert problems(report) == [
        (
            report.rows_read + 1,
            "charity number",
            "'not-a-number' is not a registered charity number (5 to 8 digits, or SC or NIC and "
            "6 digits).",
        )
    ]
    unchanged()
    assert peak < MEMORY_LIMIT, f"{peak / 1e6:.0f} MB"
    assert seconds < TIME_LIMIT


def test_50_mb_of_ward_boundaries_with_a_bad_last_ward_writes_nothing(tmp_path, unchanged):
    path = tmp_path / "wards.geojson"
    # Each ward: a 400-sided polygon and a long property (a council's notes), so the file
    # is large without millions of points (tracemalloc slows every allocation it traces).
    angles = [2 * math.pi * k / 400 for k in range(400)]
    ring = ",".join(f"[{0.005 * math.cos(a):.7f},{0.005 * math.sin(a):.7f}]" for a in angles)
    ring += "," + ring.split("],", 1)[0] + "]"
    notes = "Boundary as at the 2022 review; polling districts follow it. " * 600
    with path.open("w") as f:
        f.write('{"type": "FeatureCollection", "features": [')
        n = 0
        while f.tell() < FIFTY_MB:
            f.write(
                ("," if n else "")
                + f'{{"type": "Feature", "properties": {{"WD24CD": "E05{n:06d}", '
                f'"WD24NM": "Ward {n}", "notes": "{notes}"}}, "geometry": {{"type": "Polygon", '
                f'"coordinates": [[{ring}]]}}}}'
            )
            n += 1
        # The last ward's ring is not closed.
        f.write(
            ',{"type": "Feature", "properties": {"WD24CD": "E05999999", "WD24NM": "Last"}, '
            '"geometry": {"type": "Polygon", "coordinates": [[[0, 51], [0.01, 51], '
            "[0.01, 51.01], [0, 51.01]]]}}]}"
        )
    assert path.stat().st_size > FIFTY_MB

    report, peak, seconds = measure(lambda: run_import("wards", path))

    assert report.rows_read == n + 1
    assert [(p.row, p.field) for p in report.problems] == [(n + 1, "geometry")]
    assert "is not closed" in report.problems[0].message
    unchanged()
    assert peak < MEMORY_LIMIT, f"{peak / 1e6:.0f} MB"
    assert seconds < TIME_LIMIT
