"""Shared pieces for the import tests: the real files, and a check that nothing was written."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from mapping.models import ImportRun, Organisation, Postcode, Ward
from services.models import Service

SHARED = Path(settings.BASE_DIR).parent / "shared" / "data"
needs_shared_data = pytest.mark.skipif(
    not SHARED.exists(), reason="../shared/data is not beside the checkout"
)


CC_HEADER_LINE = (
    "registered_charity_number,charity_company_registration_number,charity_name,charity_type,"
    "charity_activities,date_of_registration,charity_contact_address,charity_contact_postcode,"
    "charity_contact_phone,charity_contact_email,charity_contact_web\n"
)


def square(west=-0.05, south=51.45, size=0.01):
    """A closed square ring as a GeoJSON Polygon, in longitude and latitude."""
    return {
        "type": "Polygon",
        "coordinates": [
            [
                [west, south],
                [west + size, south],
                [west + size, south + size],
                [west, south + size],
                [west, south],
            ]
        ],
    }


def feature(code, name, geometry=None, **properties):
    return {
        "type": "Feature",
        "properties": {"WD24CD": code, "WD24NM": name, **properties},
        "geometry": geometry if geometry is not None else square(),
    }


def write_geojson(path, features, **extra):
    path.write_text(json.dumps({"type": "FeatureCollection", **extra, "features": features}))
    return path


def write_csv(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def counts():
    """How many rows of each imported kind the database holds, and their history."""
    return {
        "wards": Ward.objects.count(),
        "ward history": Ward.history.count(),
        "organisations": Organisation.objects.count(),
        "organisation history": Organisation.history.count(),
        "services": Service.objects.count(),
        "postcodes": Postcode.objects.count(),
    }


class Unchanged:
    """Call it to assert that no imported table changed since it was marked."""

    def __init__(self):
        self.mark()

    def mark(self):
        """Start from here: after the test's own rows are made."""
        self.before = counts()

    def __call__(self):
        assert counts() == self.before


@pytest.fixture
def unchanged(db):
    return Unchanged()


def problems(report):
    return [(p.row, p.field, p.message) for p in report.problems]


def only_message(report):
    assert report.problem_count == 1, problems(report)
    return report.problems[0].message


__all__ = ["ImportRun"]
