"""Geography for the demo and for scale data: real wards from the shared public data
when it is present, otherwise a made-up borough that looks right on a map.

Deprivation: the IMD 2019 ranks 32,844 small areas (LSOAs) in England, 1 being the most
deprived. A ward's rank here is the mean rank of its LSOAs, each counting equally (the
shared data has no LSOA populations, and LSOAs hold roughly equal populations by
design), rounded to a whole number and still on the LSOA scale; its decile is the LSOA
decile that rank falls in. So a ward in decile 2 is, on average, as deprived as an LSOA
in England's most deprived 10-20%.
"""

import csv
import json
import math
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

# The roll-up is the deprivation import's: one definition for the demo and for imports.
from mapping.imports import LSOAS_IN_ENGLAND, decile_for_rank, roll_up_deprivation

LEWISHAM_WARD_CODES = [f"E050137{n}" for n in range(14, 33)]


@dataclass
class WardData:
    code: str
    name: str
    boundary: dict | None
    imd_rank: int | None
    imd_decile: int | None
    population: int | None = None


def shared_data_dir():
    """../shared/data beside the checkout: real public data, never copied into the repo."""
    return Path(settings.BASE_DIR).parent / "shared" / "data"


def lewisham_wards(data_dir=None):
    """The 19 Lewisham wards (2022 boundaries) with IMD 2019 rolled up from their LSOAs,
    or None when the shared data is not there.

    Population is left empty: the data has none, and counting best-fit LSOAs would badly
    under-count wards that LSOAs straddle (Lewisham Central has only 3).
    """
    folder = (data_dir or shared_data_dir()) / "lewisham"
    boundaries = folder / "wards_2022_simplified.geojson"
    deprivation = folder / "imd2019_lsoa11_with_ward.csv"
    if not (boundaries.exists() and deprivation.exists()):
        return None
    ranks = {}
    with deprivation.open(newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            ranks.setdefault(row["WD22CD_proposed"], []).append(int(row["IMD_rank"]))
    features = json.loads(boundaries.read_text(encoding="utf-8"))["features"]
    wards = []
    for feature in features:
        code = feature["properties"]["id"]
        rank, decile = roll_up_deprivation(ranks.get(code, []))
        wards.append(
            WardData(
                code=code,
                name=feature["properties"]["name"],
                boundary=feature["geometry"],
                imd_rank=rank,
                imd_decile=decile,
            )
        )
    return sorted(wards, key=lambda ward: ward.code)


# A made-up borough ------------------------------------------------------------------------

DEMO_WARD_NAMES = [
    "Ashgrove",
    "Bramblecote",
    "Brookmead",
    "Castle Hill",
    "Elmstead Vale",
    "Fairfield",
    "Foxley",
    "Greenbank",
    "Harrowden",
    "Hollins Park",
    "Kingsmere",
    "Larkfield",
    "Millbrook",
    "Northgate",
    "Oakhurst",
    "Pennington",
    "Riverside",
    "St Anne's",
    "Thornbury",
    "Westcombe",
]
_PREFIXES = [
    "Ash",
    "Beech",
    "Birch",
    "Bram",
    "Brook",
    "Cold",
    "Elm",
    "Fern",
    "Fox",
    "Green",
    "Hazel",
    "Holly",
    "King",
    "Lark",
    "Mill",
    "North",
    "Oak",
    "Pen",
    "Quarry",
    "Red",
    "Rush",
    "South",
    "Stone",
    "Thorn",
    "Well",
    "West",
    "Whit",
    "Willow",
    "Wood",
    "Yew",
]
_SUFFIXES = [
    "bank",
    "bury",
    "combe",
    "cote",
    "croft",
    "dale",
    "field",
    "ford",
    "gate",
    "hurst",
    "ley",
    "mead",
    "stead",
    "thorpe",
    "wick",
]


def ward_names(count):
    """``count`` distinct made-up place names."""
    if count <= len(DEMO_WARD_NAMES):
        return DEMO_WARD_NAMES[:count]
    names = [prefix + suffix for suffix in _SUFFIXES for prefix in _PREFIXES]
    rounds = math.ceil(count / len(names))
    if rounds > 1:
        names = [f"{name} {n}" for n in range(1, rounds + 1) for name in names]
    return names[:count]


# About 1.5 km each way at the latitude of the made-up centre (in the English Midlands).
CENTRE = (-1.47, 52.92)
CELL_LON = 0.022
CELL_LAT = 0.0135


def synthetic_wards(count, *, rng, code_start=990_001, centre=CENTRE):
    """``count`` wards tiling a made-up borough, with deprivation over deciles 1 to 10.

    The wards are the cells of a grid whose corners and edges are jittered: neighbours
    share their edges exactly, so the borough has no gaps or overlaps. Deprivation runs
    from the north-west (most deprived) to the south-east, with some noise, and the
    ranks are spread over the whole of England's range.
    """
    cols = math.ceil(math.sqrt(count * 1.4))
    rows = math.ceil(count / cols)
    west = centre[0] - cols * CELL_LON / 2
    south = centre[1] - rows * CELL_LAT / 2

    corners = {}
    for i in range(cols + 1):
        for j in range(rows + 1):
            jitter_x = rng.uniform(-0.25, 0.25) * CELL_LON
            jitter_y = rng.uniform(-0.25, 0.25) * CELL_LAT
            corners[i, j] = (west + i * CELL_LON + jitter_x, south + j * CELL_LAT + jitter_y)

    edges = {}

    def edge_points(a, b):
        """Two wiggly points between corners a and b, the same for both neighbours."""
        key = (a, b) if a < b else (b, a)
        if key not in edges:
            (x1, y1), (x2, y2) = corners[key[0]], corners[key[1]]
            dx, dy = x2 - x1, y2 - y1
            points = []
            for t in (1 / 3, 2 / 3):
                # Along the edge, pushed sideways (perpendicular) a little.
                offset = rng.uniform(-0.12, 0.12)
                points.append((x1 + dx * t - dy * offset, y1 + dy * t + dx * offset))
            edges[key] = points
        points = edges[key]
        return points if key == (a, b) else list(reversed(points))

    cells = [(i, j) for j in reversed(range(rows)) for i in range(cols)][:count]
    # North-west first: the most deprived end of the borough.
    gradient = {
        cell: cell[0] / cols + (rows - 1 - cell[1]) / max(rows, 1) + rng.uniform(-0.35, 0.35)
        for cell in cells
    }
    by_deprivation = sorted(cells, key=lambda cell: gradient[cell])
    ranks = {}
    for position, cell in enumerate(by_deprivation):
        share = (position + rng.uniform(0.1, 0.9)) / len(cells)
        ranks[cell] = max(1, min(LSOAS_IN_ENGLAND, round(share * LSOAS_IN_ENGLAND)))

    names = ward_names(count)
    wards = []
    for n, (i, j) in enumerate(cells):
        ring = []
        for a, b in [
            ((i, j), (i + 1, j)),
            ((i + 1, j), (i + 1, j + 1)),
            ((i + 1, j + 1), (i, j + 1)),
            ((i, j + 1), (i, j)),
        ]:
            ring.append(corners[a])
            ring.extend(edge_points(a, b))
        ring.append(ring[0])
        boundary = {
            "type": "Polygon",
            "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]],
        }
        rank = ranks[i, j]
        wards.append(
            WardData(
                code=f"E05{code_start + n:06d}",
                name=names[n],
                boundary=boundary,
                imd_rank=rank,
                imd_decile=decile_for_rank(rank),
                population=rng.randrange(8_000, 18_000, 10),
            )
        )
    return wards
