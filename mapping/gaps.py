"""The gap analysis: for each service and each ward it covers (a "cell"), how ready
community groups are to help, and where nobody is.

The rules (DESIGN.md, "The gap analysis"; the numbers are ``settings.GAP_ANALYSIS``):

- An offer's monthly hours are split equally over the wards it names; a service's needed
  hours are split equally over the wards it covers.
- Weighted capacity of a cell = the sum, over the offers for the service naming the
  ward, of weight(willingness) x hours / (wards the offer names).
- Only active (not withdrawn) offers count, and only those of verified organisations
  unless ``include_pending`` (then groups waiting for review count too; rejected groups
  never do). For a high-risk service only supporting roles count.
- Willing organisations of a cell: organisations with a counting offer of weight above
  0. Coverage ratio: weighted capacity / needed hours.
- Class: no capacity (no willing organisation); fragile (one, or ratio under 0.5);
  partial (two or more, ratio from 0.5 to under 1); covered (two or more, ratio 1 or
  more). A service that needs no hours: covered with two or more willing
  organisations, fragile with one, no capacity with none.
- Deprived flag: the ward is in IMD decile 1 or 2 and the cell's capacity is strictly
  below the median capacity of the service's cells (the median of an even count is the
  mean of the two middle values).
- Falling through the gaps: a service under review, open to expressions of interest or
  with a planned budget cut, whose cells are all "no capacity" (or which covers no
  ward at all, since then nobody can be counted ready either).

Residents' demand (mapping.demand) is attached to each cell beside its class, never
folded into it.

How it is computed: a fixed number of queries whatever the size of the data (services,
cells, wards, capacity summed per cell by the database, demand), then plain Python over
the aggregated rows. The database sums in floating point; every figure is then rounded
to ``PLACES`` (4 decimal places) as a Decimal before it is compared, so a ratio of
exactly one half is "partial" even when the hours do not divide evenly.

The result is plain data, a pure function of the database and the rules. The analysis
of every service in every ward is kept in the shared cache (mapping.gapcache), made
stale by any write to what it reads; a page narrows it to the services and wards it
shows (``GapAnalysis.restrict``), which is exact because nothing about one service
depends on another.
"""

import hashlib
from collections import Counter
from dataclasses import dataclass, field, fields, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.conf import settings
from django.db import connections, router
from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from mapping import gapcache
from mapping.demand import MIN_RESPONSES, demand_by_cell
from mapping.models import (
    SUPPORTING_ROLES,
    CapacityOffer,
    ConsultationResponse,
    Organisation,
    SupportNeed,
    VerificationStatus,
    Ward,
    Willingness,
)
from services.models import ReviewStatus, RiskTier, Service

PLACES = Decimal("0.0001")
# Review statuses that put a service at risk (as does a planned budget cut).
AT_RISK_STATUSES = (ReviewStatus.UNDER_REVIEW, ReviewStatus.OPEN_TO_EOI)
ZERO = Decimal(0)


class GapClass:
    """The four classes of a cell, worst first. Values match the status tag colours."""

    NO_CAPACITY = "no_capacity"
    FRAGILE = "fragile"
    PARTIAL = "partial"
    COVERED = "covered"

    ORDER = (NO_CAPACITY, FRAGILE, PARTIAL, COVERED)
    LABELS = {
        NO_CAPACITY: _("No capacity"),
        FRAGILE: _("Fragile"),
        PARTIAL: _("Partial"),
        COVERED: _("Covered"),
    }
    # Short text shown in each matrix cell, so colour is never the only signal.
    ABBREVIATIONS = {
        NO_CAPACITY: _("None"),
        FRAGILE: _("Frag"),
        PARTIAL: _("Part"),
        COVERED: _("Cov"),
    }
    GAPS = (NO_CAPACITY, FRAGILE)


# The rules -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    weights: dict
    min_organisations: int
    fragile_below: Decimal
    covered_from: Decimal
    deprived_decile_at_most: int

    def weight(self, willingness):
        return self.weights.get(willingness, ZERO)

    @property
    def counting_willingness(self):
        """Willingness values whose offers count (weight above 0)."""
        return [value for value, weight in self.weights.items() if weight > 0]

    def weight_rows(self):
        """(label, weight as text) for every willingness, in order, for the method page."""
        return [(label, plain(self.weight(value))) for value, label in Willingness.choices]

    @property
    def fragile_below_text(self):
        return plain(self.fragile_below)

    @property
    def covered_from_text(self):
        return plain(self.covered_from)


def plain(number):
    """A Decimal as people write it: 0.8, 1, 10 (not 0.80, 1.0 or 1E+1)."""
    return format(number.normalize(), "f")


def current_rules():
    conf = settings.GAP_ANALYSIS
    return Rules(
        weights={key: Decimal(str(value)) for key, value in conf["WEIGHTS"].items()},
        min_organisations=int(conf["MIN_ORGANISATIONS"]),
        fragile_below=Decimal(str(conf["FRAGILE_BELOW"])),
        covered_from=Decimal(str(conf["COVERED_FROM"])),
        deprived_decile_at_most=int(conf["DEPRIVED_DECILE_AT_MOST"]),
    )


def classify(*, organisations, ratio, rules):
    """The class of a cell. ``ratio`` is None when the service needs no hours."""
    if organisations == 0:
        return GapClass.NO_CAPACITY
    if organisations < rules.min_organisations:
        return GapClass.FRAGILE
    if ratio is None:
        return GapClass.COVERED
    if ratio < rules.fragile_below:
        return GapClass.FRAGILE
    if ratio < rules.covered_from:
        return GapClass.PARTIAL
    return GapClass.COVERED


def median(values):
    """The middle value; for an even count, the mean of the two middle values."""
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return ((ordered[middle - 1] + ordered[middle]) / 2).quantize(PLACES, ROUND_HALF_UP)


def exact(value):
    """A number from the database as a Decimal rounded to PLACES."""
    if value is None:
        return ZERO
    return Decimal(repr(value) if isinstance(value, float) else str(value)).quantize(
        PLACES, ROUND_HALF_UP
    )


# The result: plain data ----------------------------------------------------------------


@dataclass(frozen=True)
class WardInfo:
    id: int
    code: str
    name: str
    imd_decile: int | None
    imd_rank: int | None
    has_boundary: bool


@dataclass(frozen=True)
class Cell:
    service_id: int
    ward_id: int
    capacity: Decimal  # weighted volunteer hours a month
    needed: Decimal  # volunteer hours a month the service needs in this ward
    organisations: int  # willing organisations
    ratio: Decimal | None  # capacity / needed; None when the service needs no hours
    gap_class: str
    deprived: bool  # deprived ward left below the service's median capacity
    demand: object = None  # mapping.demand.Demand, or None without any answers

    @property
    def label(self):
        return GapClass.LABELS[self.gap_class]

    @property
    def abbreviation(self):
        return GapClass.ABBREVIATIONS[self.gap_class]

    @property
    def is_gap(self):
        return self.gap_class in GapClass.GAPS


@dataclass(frozen=True)
class ServiceGaps:
    id: int
    name: str
    category_id: int
    category_name: str
    risk_tier: str
    review_status: str
    planned_budget_change: Decimal
    hours_needed: int
    ward_count: int
    capacity: Decimal  # weighted hours over all its cells
    median_capacity: Decimal | None
    classes: dict = field(default_factory=dict)  # GapClass -> number of cells
    at_risk: bool = False  # under review, open to expressions of interest, or being cut
    falling_through: bool = False

    @property
    def gap_cells(self):
        return sum(self.classes.get(c, 0) for c in GapClass.GAPS)

    @property
    def risk_label(self):
        return RiskTier(self.risk_tier).label

    @property
    def review_label(self):
        return ReviewStatus(self.review_status).label

    def risk_reasons(self):
        """Why the service is at risk, in words: ["under review", "being cut"]."""
        reasons = []
        if self.review_status == ReviewStatus.UNDER_REVIEW:
            reasons.append(_("under review"))
        if self.review_status == ReviewStatus.OPEN_TO_EOI:
            reasons.append(_("open to expressions of interest"))
        if self.planned_budget_change < 0:
            reasons.append(_("budget being cut"))
        return reasons

    def class_counts(self):
        """[(class, label, count)] worst first, for summaries."""
        return [(c, GapClass.LABELS[c], self.classes.get(c, 0)) for c in GapClass.ORDER]


@dataclass(frozen=True)
class WardGaps:
    """One ward's cells over the services analysed: for the map and its table."""

    ward: WardInfo
    cells: int
    gap_cells: int
    capacity: Decimal
    classes: dict

    @property
    def gap_share(self):
        """Cells with no capacity or fragile, as a share from 0 to 1; None without cells."""
        if not self.cells:
            return None
        return (Decimal(self.gap_cells) / self.cells).quantize(PLACES, ROUND_HALF_UP)


# One cell, packed as plain integers so that a county's analysis (some 35,000 cells)
# pickles small and loads from the shared cache in milliseconds. Capacity, hours needed
# and the ratio are held in ten-thousandths (they are rounded to PLACES, so exactly);
# the class is its index in GapClass.ORDER. A service's cells are kept as columns (a
# tuple of ward ids, one of capacities...): a third of the time to load of a tuple per
# cell.
PACKED = ("ward_id", "capacity", "needed", "organisations", "ratio", "gap_class", "deprived")
SCALE = 10_000


def _pack(number):
    return int(number.scaleb(4))


def _unpack(number):
    return Decimal(number).scaleb(-4)


@dataclass(frozen=True)
class GapAnalysis:
    """The analysis of some services in some wards, as plain data.

    ``packed`` holds every cell of every service analysed, whichever wards were asked
    for; ``Cell`` objects are made only for the cells a page asks for.
    """

    rules: Rules
    include_pending: bool
    services: tuple  # ServiceGaps, by name
    wards: tuple  # WardInfo, by name: the wards asked for (all by default)
    packed: dict  # service id -> columns of its packed cells, one for each ward it covers
    # (service id, ward id) -> Demand: residents' answers, read fresh for each page (see
    # ``analyse``), never kept in the cache.
    demand: dict = field(default_factory=dict)

    def __getstate__(self):
        # Only the fields: never the cached_property values below.
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @cached_property
    def _service_ids(self):
        return frozenset(s.id for s in self.services)

    @cached_property
    def _ward_ids(self):
        return frozenset(w.id for w in self.wards)

    def restrict(self, *, service_ids=None, ward_ids=None):
        """The same analysis for fewer services and wards (None keeps them all).

        Exact, because everything about one service (its median, class counts, whether
        it falls through the gaps) depends on that service alone.
        """
        services, wards = self.services, self.wards
        if service_ids is not None:
            services = tuple(s for s in services if s.id in service_ids)
        if ward_ids is not None:
            wards = tuple(w for w in wards if w.id in ward_ids)
        return replace(self, services=services, wards=wards)

    def _cell(self, service_id, packed):
        ward_id, capacity, needed, organisations, ratio, gap_class, deprived = packed
        return Cell(
            service_id=service_id,
            ward_id=ward_id,
            capacity=_unpack(capacity),
            needed=_unpack(needed),
            organisations=organisations,
            ratio=None if ratio is None else _unpack(ratio),
            gap_class=GapClass.ORDER[gap_class],
            deprived=deprived,
            demand=self.demand.get((service_id, ward_id)),
        )

    def _packed_in_wards(self, service_id):
        ward_ids = self._ward_ids
        return {p[0]: p for p in self._rows(service_id) if p[0] in ward_ids}

    def _rows(self, service_id):
        """The service's packed cells, one tuple each (see PACKED)."""
        return zip(*self.packed.get(service_id, ()), strict=True)

    @cached_property
    def cells(self):
        """{(service_id, ward_id): Cell} for the services and wards asked for."""
        return {
            (s.id, ward_id): self._cell(s.id, p)
            for s in self.services
            for ward_id, p in self._packed_in_wards(s.id).items()
        }

    def cell(self, service_id, ward_id):
        if service_id not in self._service_ids:
            return None
        packed = self._packed_in_wards(service_id).get(ward_id)
        return None if packed is None else self._cell(service_id, packed)

    def falling_through(self):
        return [s for s in self.services if s.falling_through]

    def rows(self, services=None):
        """[(service, [(ward, cell or None) for each ward])]: the matrix, for ``services``
        (a page of ``self.services``; all of them by default)."""
        rows = []
        for s in self.services if services is None else services:
            packed = self._packed_in_wards(s.id)
            rows.append(
                (
                    s,
                    [
                        (w, self._cell(s.id, packed[w.id]) if w.id in packed else None)
                        for w in self.wards
                    ],
                )
            )
        return rows

    def class_rows(self, services=None):
        """[(service, [(ward, gap class or None, deprived) for each ward])]: the matrix
        as the page draws it, without making a Cell for each of its cells."""
        rows = []
        for s in self.services if services is None else services:
            packed = self._packed_in_wards(s.id)
            cells = []
            for w in self.wards:
                p = packed.get(w.id)
                cells.append((w, None, False) if p is None else (w, GapClass.ORDER[p[5]], p[6]))
            rows.append((s, cells))
        return rows

    def service_cells(self, service_id):
        """[(ward, cell)] for the wards the service covers."""
        if service_id not in self._service_ids:
            return []
        packed = self._packed_in_wards(service_id)
        return [(w, self._cell(service_id, packed[w.id])) for w in self.wards if w.id in packed]

    def ward_cells(self, ward_id):
        """[(service, cell)] for the services covering the ward."""
        if ward_id not in self._ward_ids:
            return []
        found = []
        for s in self.services:
            for p in self._rows(s.id):
                if p[0] == ward_id:
                    found.append((s, self._cell(s.id, p)))
                    break
        return found

    def by_ward(self):
        """{ward_id: WardGaps} for every ward asked for."""
        totals = {w.id: [0] * len(GapClass.ORDER) for w in self.wards}
        capacity = dict.fromkeys(totals, 0)
        for s in self.services:
            for ward_id, cap, _needed, _orgs, _ratio, gap_class, _deprived in self._rows(s.id):
                if ward_id in totals:
                    totals[ward_id][gap_class] += 1
                    capacity[ward_id] += cap
        result = {}
        for w in self.wards:
            classes = {c: n for c, n in zip(GapClass.ORDER, totals[w.id], strict=True) if n}
            result[w.id] = WardGaps(
                ward=w,
                cells=sum(classes.values()),
                gap_cells=sum(classes.get(c, 0) for c in GapClass.GAPS),
                capacity=_unpack(capacity[w.id]),
                classes=classes,
            )
        return result


# The queries --------------------------------------------------------------------------


def _services():
    """Every service, with what the analysis needs of it (query 1)."""
    return Service.objects.order_by("name", "pk").values(
        "id",
        "name",
        "category_id",
        "category__name",
        "risk_tier",
        "review_status",
        "planned_budget_change",
        "volunteer_hours_needed",
    )


def _capacity_by_cell(*, include_pending, rules):
    """{(service_id, ward_id): (weighted capacity, willing organisations)} (query 4).

    Written in SQL because the ORM cannot say it in one efficient statement: the inner
    query gives each counting offer its weighted hours per ward (weight x hours / the
    number of wards it names, a GROUP BY over its wards); the outer one adds those up
    per service and ward. (The ORM's way, a correlated subquery counting each offer's
    wards, ran once per offer and ward: five times slower at county scale.)

    COUNT(*) is the number of willing organisations because an organisation has at most
    one offer per service (the constraint offer_one_per_organisation_service) and names
    a ward at most once, so each row of a service-and-ward group is another one.
    """
    counting = rules.counting_willingness
    if not counting:
        return {}
    statuses = [VerificationStatus.VERIFIED]
    if include_pending:
        statuses.append(VerificationStatus.PENDING)
    offer_ward = CapacityOffer.wards.through
    db = router.db_for_read(CapacityOffer)
    quote = connections[db].ops.quote_name
    table = {
        "offer": quote(CapacityOffer._meta.db_table),
        "offer_ward": quote(offer_ward._meta.db_table),
        "organisation": quote(Organisation._meta.db_table),
        "service": quote(Service._meta.db_table),
    }

    def placeholders(values):
        return ", ".join(["%s"] * len(values))

    weights = [(value, float(rules.weight(value))) for value in counting]
    sql = f"""
        SELECT share.service_id, offer_ward.ward_id, SUM(share.hours), COUNT(*)
        FROM (
            SELECT offer.id, offer.service_id,
                CASE offer.willingness {" ".join(["WHEN %s THEN %s"] * len(weights))}
                    ELSE 0.0 END
                * offer.volunteer_hours_per_month / COUNT(*) AS hours
            FROM {table["offer"]} offer
            JOIN {table["offer_ward"]} named ON named.capacityoffer_id = offer.id
            JOIN {table["organisation"]} organisation
                ON organisation.id = offer.organisation_id
            JOIN {table["service"]} service ON service.id = offer.service_id
            WHERE offer.withdrawn_at IS NULL
                AND offer.willingness IN ({placeholders(counting)})
                AND organisation.verification_status IN ({placeholders(statuses)})
                AND (service.risk_tier <> %s OR offer.role IN ({placeholders(SUPPORTING_ROLES)}))
            GROUP BY offer.id, offer.service_id, offer.willingness,
                offer.volunteer_hours_per_month
        ) share
        JOIN {table["offer_ward"]} offer_ward ON offer_ward.capacityoffer_id = share.id
        GROUP BY share.service_id, offer_ward.ward_id
    """  # Only table names are formatted in; every value is a parameter.
    params = [
        *[x for pair in weights for x in pair],
        *counting,
        *statuses,
        RiskTier.HIGH,
        *SUPPORTING_ROLES,
    ]
    with connections[db].cursor() as cursor:
        cursor.execute(sql, [str(p) if isinstance(p, str) else p for p in params])
        return {(service, ward): (hours, n) for service, ward, hours, n in cursor.fetchall()}


def _decimal(value):
    """A number from the database as an exact Decimal (a float as it prints)."""
    if value is None:
        return ZERO
    return Decimal(repr(value) if isinstance(value, float) else str(value))


def _compute(*, include_pending):
    """The analysis of every service in every ward, without residents' demand: four
    queries whatever the size of the data, then plain Python over the aggregated rows."""
    rules = current_rules()
    service_rows = list(_services())  # query 1
    pairs = list(  # query 2: every cell
        Service.wards.through.objects.order_by().values_list("service_id", "ward_id")
    )
    ward_rows = [  # query 3
        WardInfo(**row)
        for row in Ward.objects.annotate(
            has_boundary=ExpressionWrapper(Q(boundary__isnull=False), output_field=BooleanField())
        )
        .values("id", "code", "name", "imd_decile", "imd_rank", "has_boundary")
        .order_by("name", "pk")
    ]
    capacity = _capacity_by_cell(include_pending=include_pending, rules=rules)  # query 4

    by_service = {s["id"]: [] for s in service_rows}
    for service_id, ward_id in pairs:
        by_service[service_id].append(ward_id)
    deprived_wards = {
        w.id
        for w in ward_rows
        if w.imd_decile is not None and w.imd_decile <= rules.deprived_decile_at_most
    }
    class_index = {c: i for i, c in enumerate(GapClass.ORDER)}

    summaries, packed = [], {}
    for service in service_rows:
        service_id = service["id"]
        ward_ids = by_service[service_id]
        needed_raw = (
            Decimal(service["volunteer_hours_needed"]) / len(ward_ids) if ward_ids else ZERO
        )
        needed = _pack(needed_raw.quantize(PLACES, ROUND_HALF_UP))
        figures = []
        for ward_id in ward_ids:
            raw, organisations = capacity.get((service_id, ward_id), (None, 0))
            raw = _decimal(raw)
            ratio = (raw / needed_raw).quantize(PLACES, ROUND_HALF_UP) if needed_raw else None
            figures.append((ward_id, raw.quantize(PLACES, ROUND_HALF_UP), organisations, ratio))
        mid = median([f[1] for f in figures])
        classes = Counter()
        cells = []
        for ward_id, cap, organisations, ratio in figures:
            gap_class = classify(organisations=organisations, ratio=ratio, rules=rules)
            classes[gap_class] += 1
            cells.append(
                (
                    ward_id,
                    _pack(cap),
                    needed,
                    organisations,
                    None if ratio is None else _pack(ratio),
                    class_index[gap_class],
                    ward_id in deprived_wards and cap < mid,
                )
            )
        packed[service_id] = tuple(zip(*cells, strict=True))
        at_risk = (
            service["review_status"] in AT_RISK_STATUSES or service["planned_budget_change"] < 0
        )
        summaries.append(
            ServiceGaps(
                id=service_id,
                name=service["name"],
                category_id=service["category_id"],
                category_name=service["category__name"],
                risk_tier=service["risk_tier"],
                review_status=service["review_status"],
                planned_budget_change=service["planned_budget_change"],
                hours_needed=service["volunteer_hours_needed"],
                ward_count=len(ward_ids),
                capacity=sum((f[1] for f in figures), ZERO),
                median_capacity=mid,
                classes=dict(classes),
                at_risk=at_risk,
                falling_through=at_risk and classes.keys() <= {GapClass.NO_CAPACITY},
            )
        )
    return GapAnalysis(
        rules=rules,
        include_pending=include_pending,
        services=tuple(summaries),
        wards=tuple(ward_rows),
        packed=packed,
    )


def _cache_name(include_pending):
    """What the whole analysis is cached under: the options, the rules in use and the
    shape of the data kept (so a deploy that changes either never reads an old entry)."""
    shape = [PACKED] + [
        [f.name for f in fields(cls)] for cls in (GapAnalysis, ServiceGaps, WardInfo)
    ]
    digest = hashlib.sha256(
        repr((shape, sorted(settings.GAP_ANALYSIS.items()))).encode()
    ).hexdigest()[:16]
    return f"analysis:{'pending' if include_pending else 'verified'}:{digest}"


def _whole_analysis(*, include_pending):
    if not gapcache.usable():
        return _compute(include_pending=include_pending)
    return gapcache.fetch(
        _cache_name(include_pending), lambda: _compute(include_pending=include_pending)
    )


def _ids(objects):
    if objects is None:
        return None
    if isinstance(objects, QuerySet):
        return set(objects.values_list("pk", flat=True))
    return {getattr(o, "pk", o) for o in objects}


def analyse(*, services=None, wards=None, include_pending=False, with_demand=True):
    """The gap analysis of ``services`` (a Service queryset or ids; all by default).

    ``wards`` (a Ward queryset or ids; all by default) chooses which cells come back;
    medians, class counts and "falling through the gaps" always use all of a service's
    cells. The analysis of every service comes from the shared cache (mapping.gapcache)
    when it is fresh; otherwise it takes four queries whatever the size of the data.
    Narrowing to ``services`` given as a queryset takes one more, and residents' demand
    one more.
    """
    service_ids, ward_ids = _ids(services), _ids(wards)
    analysis = _whole_analysis(include_pending=include_pending).restrict(
        service_ids=service_ids, ward_ids=ward_ids
    )
    if with_demand and analysis.services and analysis.wards:
        # Read fresh each time rather than cached with the rest: answers come in often
        # (a consultation event brings hundreds in an hour) and would otherwise empty the
        # cache each time; this is one aggregated query.
        analysis = replace(
            analysis,
            demand=demand_by_cell(
                services=None if service_ids is None else list(service_ids),
                wards=None if ward_ids is None else list(ward_ids),
            ),
        )
    return analysis


# Candidates and residents per ward -------------------------------------------------------


def readiness_rank():
    """0 for "already delivering" up to 4 for "not interested": the order to rank offers."""
    return Case(
        *[When(willingness=value, then=Value(i)) for i, value in enumerate(Willingness.values)],
        default=Value(len(Willingness.values)),
        output_field=IntegerField(),
    )


def wards_named():
    """The number of wards an offer names, as a subquery annotation."""
    offer_ward = CapacityOffer.wards.through
    return Coalesce(
        Subquery(
            offer_ward.objects.filter(capacityoffer_id=OuterRef("pk"))
            .order_by()
            .values("capacityoffer_id")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def candidate_offers(*, service=None, ward=None):
    """Active offers from groups willing to help (verified or waiting for review), best
    first: by readiness, then by hours. Each offer comes with ``rank``, ``ward_count``,
    its wards in ``ward_list`` and its support needs in ``needs`` (three queries)."""
    offers = (
        CapacityOffer.objects.active()
        .willing()
        .exclude(organisation__verification_status=VerificationStatus.REJECTED)
        .select_related("organisation", "service", "service__category")
        .annotate(rank=readiness_rank(), ward_count=wards_named())
        .prefetch_related(
            Prefetch(
                "wards", queryset=Ward.objects.only("pk", "code", "name"), to_attr="ward_list"
            ),
            Prefetch("support_needed", queryset=SupportNeed.objects.all(), to_attr="needs"),
        )
    )
    if service is not None:
        offers = offers.filter(service=service)
    if ward is not None:
        offers = offers.filter(wards=ward)
    return offers.order_by("rank", "-volunteer_hours_per_month", "organisation__name", "pk")


def explain(offers, *, include_pending=False, rules=None):
    """The offers as a list, each with ``counts`` (whether it adds to the gap analysis),
    ``not_counted_because`` and ``hours_per_ward`` (its hours split over its wards)."""
    rules = rules or current_rules()
    explained = []
    for offer in offers:
        offer.counts, offer.not_counted_because = counts_in_analysis(
            offer, include_pending=include_pending, rules=rules
        )
        wards = getattr(offer, "ward_count", None) or len(getattr(offer, "ward_list", []))
        offer.hours_per_ward = (
            (Decimal(offer.volunteer_hours_per_month) / wards).quantize(
                Decimal("0.01"), ROUND_HALF_UP
            )
            if wards
            else None
        )
        explained.append(offer)
    return explained


def counts_in_analysis(offer, *, include_pending=False, rules=None):
    """Whether the offer adds to the gap analysis, and if not, why not (for display)."""
    rules = rules or current_rules()
    if offer.withdrawn_at is not None:
        return False, _("withdrawn")
    if rules.weight(offer.willingness) <= 0:
        return False, _("not interested")
    status = offer.organisation.verification_status
    if status == VerificationStatus.REJECTED:
        return False, _("group rejected")
    if status == VerificationStatus.PENDING and not include_pending:
        return False, _("group waiting for review")
    if offer.service.is_high_risk and offer.role not in SUPPORTING_ROLES:
        return False, _("high-risk service: only supporting roles count")
    return True, ""


@dataclass(frozen=True)
class WardResidents:
    """What residents of one ward said about the services analysed (for the map)."""

    responses: int
    mean_comfort: Decimal | None
    volunteers: int

    @property
    def suppressed(self):
        return self.responses < MIN_RESPONSES


def residents_by_ward(*, services=None):
    """{ward_id: WardResidents} from published consultations, one aggregated query.

    Counts the responses that answered about at least one of ``services`` (all by
    default); the mean comfort is over those services' answers.
    """
    responses = ConsultationResponse.objects.filter(consultation__is_published=True)
    if services is not None:
        responses = responses.filter(answers__service__in=services.values("pk"))
    rows = (
        responses.values("ward_id")
        .annotate(
            responses_count=Count("pk", distinct=True),
            volunteers=Count("pk", filter=Q(gives_time=True), distinct=True),
            mean_comfort=Avg("answers__comfort"),
        )
        .order_by()
    )
    return {
        row["ward_id"]: WardResidents(
            responses=row["responses_count"],
            mean_comfort=(
                None
                if row["mean_comfort"] is None
                else Decimal(repr(float(row["mean_comfort"]))).quantize(
                    Decimal("0.01"), ROUND_HALF_UP
                )
            ),
            volunteers=row["volunteers"],
        )
        for row in rows
    }
