"""Drawing wards as SVG, and the bins that colour the map."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from mapping import wardmap

SQUARE = [[0.0, 51.0], [0.0, 51.1], [0.1, 51.1], [0.1, 51.0], [0.0, 51.0]]


def test_it_projects_a_polygon_into_the_view_box_keeping_its_shape():
    shapes, view_box = wardmap.project({1: {"type": "Polygon", "coordinates": [SQUARE]}})
    # A square of 0.1 degrees at latitude 51 is cos(51.05) = 0.6285 as wide as it is
    # tall: 784 wide inside the padding of 8, so 784 / 0.6285 = 1247.1 tall, + 16.
    assert view_box == "0 0 800 1263"
    shape = shapes[1]
    assert shape.path == "M8,1255.1 L8,8 L792,8 L792,1255.1 L8,1255.1 Z"
    assert (shape.label_x, shape.label_y) == (400.0, 631.5)


def test_it_draws_every_part_of_a_multipolygon_and_labels_the_largest():
    small = [[x + 0.2, y] for x, y in SQUARE[:1]] + [
        [0.2, 51.0],
        [0.2, 51.01],
        [0.21, 51.01],
        [0.2, 51.0],
    ]
    multi = {"type": "MultiPolygon", "coordinates": [[small], [SQUARE]]}
    shapes, _ = wardmap.project({7: multi})
    assert shapes[7].path.count("M") == 2
    assert shapes[7].label_x < 400  # the big square, on the left


@pytest.mark.parametrize(
    "geometry",
    [
        None,
        {},
        {"type": "Point", "coordinates": [0, 51]},
        {"type": "Polygon", "coordinates": "x"},
        {"type": "Polygon", "coordinates": [[[0, 51]]]},
        "not json",
    ],
)
def test_a_ward_with_an_unusable_boundary_is_left_out(geometry):
    shapes, view_box = wardmap.project(
        {1: geometry, 2: {"type": "Polygon", "coordinates": [SQUARE]}}
    )
    assert list(shapes) == [2]
    assert view_box.startswith("0 0 800 ")


def test_a_feature_is_read_for_its_geometry():
    feature = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [SQUARE]}}
    assert list(wardmap.project({3: feature})[0]) == [3]


def test_no_boundaries_give_an_empty_map():
    assert wardmap.project({}) == ({}, "0 0 800 400")


@pytest.mark.parametrize(
    ("share", "key"),
    [
        (None, "none"),
        (Decimal(0), "g0"),
        (Decimal("0.3333"), "g1"),
        (Decimal("0.5"), "g2"),
        (Decimal("0.6667"), "g3"),
        (Decimal(1), "g3"),
    ],
)
def test_gap_bins(share, key):
    assert wardmap.bin_gaps(share).key == key


def test_capacity_bins_are_thirds_of_the_largest_in_whole_hours():
    bins, third = wardmap.capacity_bins(Decimal("100"))
    assert third == 34
    assert [str(b.label) for b in bins] == [
        "None",
        "Up to 34 hours",
        "34 to 68 hours",
        "More than 68 hours",
    ]
    assert [wardmap.bin_capacity(Decimal(h), bins, third).key for h in (0, 1, 34, 35, 68, 69)] == [
        "c0",
        "c1",
        "c1",
        "c2",
        "c2",
        "c3",
    ]


@pytest.mark.parametrize(
    ("decile", "key"), [(None, "none"), (1, "d1"), (2, "d1"), (3, "d2"), (10, "d5")]
)
def test_deprivation_bins(decile, key):
    assert wardmap.bin_deprivation(decile).key == key


@pytest.mark.parametrize(
    ("mean", "key"),
    [(None, "none"), (Decimal("1.99"), "r1"), (Decimal(2), "r2"), (Decimal(4), "r4")],
)
def test_comfort_bins(mean, key):
    assert wardmap.bin_comfort(mean).key == key


def test_every_legend_ends_with_no_figure_and_uses_a_pattern_for_it():
    for metric in ("gaps", "deprivation", "comfort"):
        legend = wardmap.legend(metric)
        assert legend[-1].is_pattern
        assert not any(b.is_pattern for b in legend[:-1])


@pytest.mark.shared_data
def test_it_draws_the_real_lewisham_wards():
    path = (
        Path(settings.BASE_DIR).parent
        / "shared"
        / "data"
        / "lewisham"
        / "wards_2022_simplified.geojson"
    )
    if not path.exists():
        pytest.skip("the shared data (../shared/data) is not beside this checkout")
    features = json.loads(path.read_text())["features"]
    shapes, view_box = wardmap.project({f["properties"]["id"]: f["geometry"] for f in features})
    assert len(shapes) == 19
    width, height = map(float, view_box.split()[2:])
    assert width == 800 and 900 < height < 1000  # Lewisham is taller than it is wide
    for shape in shapes.values():
        assert 0 <= shape.label_x <= width and 0 <= shape.label_y <= height
