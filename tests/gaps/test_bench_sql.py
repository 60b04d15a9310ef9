"""The benchmark's own arithmetic (scripts/bench.py): its raw SQL must compute what the
app computes, or the app / raw SQL ratio it prints would compare different things."""

import importlib.util

import pytest
from django.conf import settings
from django.db import connection

from mapping.gaps import analyse

pytestmark = pytest.mark.django_db


def load_bench():
    spec = importlib.util.spec_from_file_location(
        "bench", settings.BASE_DIR / "scripts" / "bench.py"
    )
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench


def test_the_raw_sql_gives_every_cell_the_class_the_app_gives_it(borough):
    if connection.vendor != "postgresql":
        pytest.skip("The benchmark's raw SQL is PostgreSQL's (it runs on PostgreSQL only).")
    borough(12, 9)
    sql, params = load_bench().raw_gap_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        raw = {(row[0], row[1]): (row[3], row[6], row[7]) for row in cursor.fetchall()}
    app = analyse()
    assert raw == {
        key: (cell.organisations, cell.gap_class, cell.deprived) for key, cell in app.cells.items()
    }
    assert len(raw) == 12 * 9


def test_the_95th_percentile_of_thirty_timings():
    bench = load_bench()
    assert bench.percentile_95(list(range(1, 31))) == pytest.approx(28.55)
