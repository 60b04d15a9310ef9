"""The demo borough's geography: the real Lewisham wards and their deprivation, or a
made-up borough whose wards tile without gaps."""

import csv
import itertools
import random
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from mapping.management.commands import _borough as borough
from mapping.management.commands import _catalogue as catalogue

SHARED = Path(settings.BASE_DIR).parent / "shared" / "data"
needs_shared_data = pytest.mark.skipif(
    not (SHARED / "lewisham").exists(), reason="../shared/data is not beside the checkout"
)


@needs_shared_data
@pytest.mark.shared_data
def test_the_decile_of_a_rank_matches_the_published_decile_of_every_lewisham_lsoa():
    with (SHARED / "lewisham" / "imd2019_lsoa11_with_ward.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 169
    for row in rows:
        assert borough.decile_for_rank(int(row["IMD_rank"])) == int(row["IMD_decile"]), row


def test_the_decile_boundaries_split_32844_areas_into_tenths():
    assert borough.decile_for_rank(1) == 1
    assert borough.decile_for_rank(3284) == 1
    assert borough.decile_for_rank(3285) == 2
    assert borough.decile_for_rank(32844) == 10


def test_a_ward_rank_is_the_mean_of_its_lsoa_ranks():
    assert borough.roll_up_deprivation([3400, 5993, 5923, 2371]) == (4422, 2)
    assert borough.roll_up_deprivation([]) == (None, None)


@needs_shared_data
@pytest.mark.shared_data
def test_the_real_lewisham_wards_and_bellinghams_deprivation():
    wards = borough.lewisham_wards()
    assert [w.code for w in wards] == borough.LEWISHAM_WARD_CODES
    assert len(wards) == 19
    bellingham = wards[0]
    assert bellingham.name == "Bellingham"
    # Six LSOAs ranked 3400, 5993, 5923, 2371, ... : mean rank 4,111, decile 2.
    assert (bellingham.imd_rank, bellingham.imd_decile) == (4111, 2)
    crofton_park = next(w for w in wards if w.name == "Crofton Park")
    assert (crofton_park.imd_rank, crofton_park.imd_decile) == (16487, 6)
    assert all(w.boundary["type"] in ("Polygon", "MultiPolygon") for w in wards)
    assert all(w.population is None for w in wards)


def test_without_the_shared_data_there_are_no_lewisham_wards(tmp_path):
    assert borough.lewisham_wards(tmp_path) is None


def segments(ward):
    ring = ward.boundary["coordinates"][0]
    return [(tuple(a), tuple(b)) for a, b in itertools.pairwise(ring)]


def signed_area(ring):
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(ring)) / 2


@pytest.mark.parametrize("count", [15, 20, 100])
def test_a_made_up_borough_tiles_without_gaps_or_overlaps(count):
    wards = borough.synthetic_wards(count, rng=random.Random(1))
    assert len(wards) == count
    assert len({w.code for w in wards}) == count
    assert len({w.name for w in wards}) == count
    edges = Counter()
    for ward in wards:
        ring = ward.boundary["coordinates"][0]
        assert ring[0] == ring[-1]
        assert signed_area(ring) > 0  # anticlockwise, as GeoJSON asks
        for a, b in segments(ward):
            edges[frozenset((a, b))] += 1
    # Each edge belongs to one ward (the borough's outline) or to two neighbours.
    assert set(edges.values()) == {1, 2}
    assert sum(1 for n in edges.values() if n == 2) >= count


@pytest.mark.parametrize("count", [15, 20, 100])
def test_a_made_up_borough_has_wards_in_every_deprivation_decile(count):
    wards = borough.synthetic_wards(count, rng=random.Random(3))
    assert {w.imd_decile for w in wards} == set(range(1, 11))
    assert all(w.imd_decile == borough.decile_for_rank(w.imd_rank) for w in wards)
    assert all(8_000 <= w.population < 18_000 for w in wards)


def test_a_made_up_borough_is_the_same_for_the_same_seed():
    first = borough.synthetic_wards(20, rng=random.Random(5))
    again = borough.synthetic_wards(20, rng=random.Random(5))
    other = borough.synthetic_wards(20, rng=random.Random(6))
    assert first == again
    assert first != other


@needs_shared_data
@pytest.mark.shared_data
def test_every_lgsl_code_in_the_demo_catalogue_is_real_and_labelled_as_published():
    with (SHARED / "lgsl" / "services_2015.csv").open(encoding="utf-8-sig") as f:
        labels = {row["Identifier"]: row["Label"] for row in csv.DictReader(f)}
    for service in catalogue.SERVICES:
        code, label = service.lgsl
        assert labels.get(str(code)) == label, service.name


def test_the_demo_catalogue_covers_every_category_and_risk_tier():
    from services.reference import CATEGORIES

    assert len(catalogue.SERVICES) >= 40
    assert {s.category for s in catalogue.SERVICES} == {slug for slug, _n, _t in CATEGORIES}
    assert {s.risk for s in catalogue.SERVICES} == {"low", "medium", "high"}
    names = [(s.category, s.name) for s in catalogue.SERVICES]
    assert len(names) == len(set(names))
