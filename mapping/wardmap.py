"""The ward map: ward boundaries drawn as SVG paths in Python, so the map needs no map
tiles, no JavaScript and no internet, and the bins that colour it.

Boundaries are GeoJSON (WGS84 longitude/latitude). They are projected equirectangularly,
with longitudes scaled by the cosine of the middle latitude so that a borough keeps its
shape, then fitted to a fixed-width viewBox. Nothing is simplified.
"""

import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from django.utils.translation import gettext_lazy as _

WIDTH = 800
PADDING = 8


@dataclass(frozen=True)
class Shape:
    ward_id: int
    path: str  # the SVG path's d attribute
    label_x: float
    label_y: float


def polygons(geometry):
    """The polygons (lists of rings of [lon, lat]) of a GeoJSON geometry; [] if unusable."""
    if not isinstance(geometry, dict):
        return []
    if geometry.get("type") == "Feature":
        geometry = geometry.get("geometry") or {}
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    try:
        if kind == "Polygon":
            found = [coordinates]
        elif kind == "MultiPolygon":
            found = list(coordinates)
        else:
            return []
        return [
            [[(float(p[0]), float(p[1])) for p in ring] for ring in polygon if len(ring) >= 3]
            for polygon in found
        ]
    except (TypeError, ValueError, IndexError):
        return []


def _ring_area_centroid(ring):
    """Signed area and centroid of a closed ring in the plane (the shoelace formula)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if not area:
        xs, ys = zip(*ring, strict=True)
        return 0.0, (sum(xs) / len(xs), sum(ys) / len(ys))
    return area, (cx / (6 * area), cy / (6 * area))


def project(boundaries, *, width=WIDTH, padding=PADDING):
    """({ward_id: Shape}, "viewBox") for {ward_id: GeoJSON geometry}.

    Wards whose boundary is missing or not a polygon are left out: the page lists them.
    """
    shapes_lonlat = {ward_id: polygons(geometry) for ward_id, geometry in boundaries.items()}
    shapes_lonlat = {k: v for k, v in shapes_lonlat.items() if any(v)}
    points = [
        p for shape in shapes_lonlat.values() for poly in shape for ring in poly for p in ring
    ]
    if not points:
        return {}, f"0 0 {width} {width // 2}"
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    min_lon, max_lon, min_lat, max_lat = min(lons), max(lons), min(lats), max(lats)
    x_scale = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = (max_lon - min_lon) * x_scale or 1e-9
    span_y = (max_lat - min_lat) or 1e-9
    scale = (width - 2 * padding) / span_x
    height = round(span_y * scale + 2 * padding)

    def to_svg(lon, lat):
        return (
            round((lon - min_lon) * x_scale * scale + padding, 1),
            round((max_lat - lat) * scale + padding, 1),
        )

    shapes = {}
    for ward_id, shape in shapes_lonlat.items():
        parts, best = [], (0.0, None)
        for polygon in shape:
            for i, ring in enumerate(polygon):
                projected = [to_svg(lon, lat) for lon, lat in ring]
                parts.append("M" + " L".join(f"{x:g},{y:g}" for x, y in projected) + " Z")
                if i == 0:  # the outer ring: label the largest piece of the ward
                    area, centroid = _ring_area_centroid(projected)
                    if abs(area) >= best[0]:
                        best = (abs(area), centroid)
        label_x, label_y = best[1]
        shapes[ward_id] = Shape(
            ward_id=ward_id,
            path=" ".join(parts),
            label_x=round(label_x, 1),
            label_y=round(label_y, 1),
        )
    return shapes, f"0 0 {width} {height}"


# Bins --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bin:
    key: str
    label: str
    fill: str  # a colour, or url(#pattern) for "no figure"
    text: str  # dark or light, whichever reads on the fill

    @property
    def is_pattern(self):
        return self.fill.startswith("url(")


NO_DATA = Bin("none", _("No figure"), "url(#app-map-no-data)", "#0b0c0c")
DARK, LIGHT = "#0b0c0c", "#ffffff"


def _bins_gaps():
    return [
        Bin("g0", _("None of its services"), "#f7f7f7", DARK),
        Bin("g1", _("Up to a third"), "#fcbba1", DARK),
        Bin("g2", _("A third to two thirds"), "#fb6a4a", DARK),
        Bin("g3", _("More than two thirds"), "#a50f15", LIGHT),
    ]


def bin_gaps(share):
    """Bins for the share of a ward's services with no capacity or fragile."""
    bins = _bins_gaps()
    if share is None:
        return NO_DATA
    if share == 0:
        return bins[0]
    if share <= Decimal(1) / 3:
        return bins[1]
    if share <= Decimal(2) / 3:
        return bins[2]
    return bins[3]


def capacity_bins(maximum):
    """Bins for weighted hours, in thirds of the largest ward's figure, in whole hours."""
    third = (Decimal(maximum) / 3).to_integral_value(ROUND_CEILING) if maximum else Decimal(0)
    third = max(third, Decimal(1))
    return [
        Bin("c0", _("None"), "#f7f7f7", DARK),
        Bin("c1", _("Up to %(n)s hours") % {"n": third}, "#c6dbef", DARK),
        Bin(
            "c2",
            _("%(a)s to %(b)s hours") % {"a": third, "b": 2 * third},
            "#6baed6",
            DARK,
        ),
        Bin("c3", _("More than %(n)s hours") % {"n": 2 * third}, "#08519c", LIGHT),
    ], third


def bin_capacity(hours, bins, third):
    if hours is None:
        return NO_DATA
    if hours == 0:
        return bins[0]
    if hours <= third:
        return bins[1]
    if hours <= 2 * third:
        return bins[2]
    return bins[3]


def _bins_deprivation():
    return [
        Bin("d1", _("Deciles 1 and 2 (most deprived 20%)"), "#3f007d", LIGHT),
        Bin("d2", _("Deciles 3 and 4"), "#6a51a3", LIGHT),
        Bin("d3", _("Deciles 5 and 6"), "#9e9ac8", DARK),
        Bin("d4", _("Deciles 7 and 8"), "#cbc9e2", DARK),
        Bin("d5", _("Deciles 9 and 10 (least deprived 20%)"), "#f2f0f7", DARK),
    ]


def bin_deprivation(decile):
    if decile is None:
        return NO_DATA
    return _bins_deprivation()[min(max((decile - 1) // 2, 0), 4)]


def _bins_comfort():
    return [
        Bin("r1", _("Under 2: uneasy"), "#a6611a", LIGHT),
        Bin("r2", _("2 to under 3"), "#dfc27d", DARK),
        Bin("r3", _("3 to under 4"), "#80cdc1", DARK),
        Bin("r4", _("4 to 5: comfortable"), "#01665e", LIGHT),
    ]


def bin_comfort(mean):
    if mean is None:
        return NO_DATA
    bins = _bins_comfort()
    if mean < 2:
        return bins[0]
    if mean < 3:
        return bins[1]
    if mean < 4:
        return bins[2]
    return bins[3]


def legend(metric, *, capacity=None):
    """The bins of a metric, in order, then "no figure"."""
    if metric == "capacity":
        return [*capacity, NO_DATA]
    return [
        *{"gaps": _bins_gaps, "deprivation": _bins_deprivation, "comfort": _bins_comfort}[
            metric
        ](),
        NO_DATA,
    ]
