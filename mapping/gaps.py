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

The result is plain data (frozen dataclasses, dicts, Decimals), a pure function of the
database and the arguments, so it can be cached.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from mapping.demand import MIN_RESPONSES, demand_by_cell
from mapping.models import (
    SUPPORTING_ROLES,
    CapacityOffer,
    ConsultationResponse,
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


@dataclass(frozen=True)
class GapAnalysis:
    rules: Rules
    include_pending: bool
    services: tuple  # ServiceGaps, by name
    wards: tuple  # WardInfo, by name: the wards asked for (all by default)
    cells: dict  # (service_id, ward_id) -> Cell, for the wards asked for

    def cell(self, service_id, ward_id):
        return self.cells.get((service_id, ward_id))

    def falling_through(self):
        return [s for s in self.services if s.falling_through]

    def rows(self):
        """[(service, [(ward, cell or None) for each ward])]: the matrix."""
        return [
            (s, [(w, self.cells.get((s.id, w.id))) for w in self.wards]) for s in self.services
        ]

    def service_cells(self, service_id):
        """[(ward, cell)] for the wards the service covers."""
        return [
            (w, self.cells[(service_id, w.id)])
            for w in self.wards
            if (service_id, w.id) in self.cells
        ]

    def ward_cells(self, ward_id):
        """[(service, cell)] for the services covering the ward."""
        return [
            (s, self.cells[(s.id, ward_id)])
            for s in self.services
            if (s.id, ward_id) in self.cells
        ]

    def by_ward(self):
        """{ward_id: WardGaps} for every ward asked for."""
        totals = {w.id: Counter() for w in self.wards}
        capacity = {w.id: ZERO for w in self.wards}
        for (_service_id, ward_id), cell in self.cells.items():
            totals[ward_id][cell.gap_class] += 1
            capacity[ward_id] += cell.capacity
        return {
            w.id: WardGaps(
                ward=w,
                cells=sum(totals[w.id].values()),
                gap_cells=sum(totals[w.id][c] for c in GapClass.GAPS),
                capacity=capacity[w.id],
                classes=dict(totals[w.id]),
            )
            for w in self.wards
        }


# The queries --------------------------------------------------------------------------


def _services(services):
    """The services analysed, with the number of wards each covers (query 1)."""
    queryset = Service.objects.all()
    if services is not None:
        queryset = queryset.filter(pk__in=services.values("pk"))
    return (
        queryset.select_related("category")
        .annotate(ward_count=Count("wards"))
        .order_by("name", "pk")
    )


def _capacity_by_cell(service_ids, *, include_pending, rules):
    """{(service_id, ward_id): (weighted capacity, willing organisations)} (query 4).

    One row per (offer, ward) in the through table, weighted and divided by the number
    of wards the offer names (a subquery), summed by the database per service and ward.
    """
    offer_ward = CapacityOffer.wards.through
    statuses = [VerificationStatus.VERIFIED]
    if include_pending:
        statuses.append(VerificationStatus.PENDING)
    weight = Case(
        *[
            When(capacityoffer__willingness=value, then=Value(float(w)))
            for value, w in rules.weights.items()
            if w > 0
        ],
        default=Value(0.0),
        output_field=FloatField(),
    )
    wards_named = Subquery(
        offer_ward.objects.filter(capacityoffer_id=OuterRef("capacityoffer_id"))
        .order_by()
        .values("capacityoffer_id")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )
    rows = (
        offer_ward.objects.filter(
            capacityoffer__service_id__in=service_ids,
            capacityoffer__withdrawn_at__isnull=True,
            capacityoffer__organisation__verification_status__in=statuses,
            capacityoffer__willingness__in=rules.counting_willingness,
        )
        .filter(
            ~Q(capacityoffer__service__risk_tier=RiskTier.HIGH)
            | Q(capacityoffer__role__in=SUPPORTING_ROLES)
        )
        .values("capacityoffer__service_id", "ward_id")
        .annotate(
            capacity=Sum(
                ExpressionWrapper(
                    weight * F("capacityoffer__volunteer_hours_per_month") / wards_named,
                    output_field=FloatField(),
                )
            ),
            organisations=Count("capacityoffer__organisation_id", distinct=True),
        )
        .order_by()
    )
    return {
        (row["capacityoffer__service_id"], row["ward_id"]): (
            row["capacity"],
            row["organisations"],
        )
        for row in rows
    }


def analyse(*, services=None, wards=None, include_pending=False, with_demand=True):
    """The gap analysis of ``services`` (a Service queryset; all by default).

    ``wards`` (a Ward queryset or list of ids; all by default) chooses which cells come
    back; medians, class counts and "falling through the gaps" always use all of a
    service's cells. Five queries (four without demand) whatever the data size.
    """
    rules = current_rules()
    service_rows = list(_services(services))  # query 1
    service_ids = [s.pk for s in service_rows]
    pairs = list(  # query 2: every cell of those services
        Service.wards.through.objects.filter(service_id__in=service_ids).values_list(
            "service_id", "ward_id"
        )
    )
    ward_queryset = Ward.objects.all()
    if wards is not None:
        ward_queryset = ward_queryset.filter(pk__in=wards)
    ward_rows = [  # query 3
        WardInfo(**row)
        for row in ward_queryset.annotate(
            has_boundary=ExpressionWrapper(Q(boundary__isnull=False), output_field=BooleanField())
        )
        .values("id", "code", "name", "imd_decile", "imd_rank", "has_boundary")
        .order_by("name", "pk")
    ]
    ward_ids = {w.id for w in ward_rows}
    capacity = _capacity_by_cell(  # query 4
        service_ids, include_pending=include_pending, rules=rules
    )
    demand = {}
    if with_demand and service_ids and ward_ids:
        demand = demand_by_cell(services=service_ids, wards=list(ward_ids))  # query 5

    by_service = {s.pk: [] for s in service_rows}
    for service_id, ward_id in pairs:
        by_service[service_id].append(ward_id)
    deprived_wards = {
        w.id
        for w in ward_rows
        if w.imd_decile is not None and w.imd_decile <= rules.deprived_decile_at_most
    }

    summaries, cells = [], {}
    for service in service_rows:
        ward_count = len(by_service[service.pk])
        needed_raw = (
            Decimal(service.volunteer_hours_needed) / ward_count if ward_count else Decimal(0)
        )
        service_cells = []
        for ward_id in by_service[service.pk]:
            raw, organisations = capacity.get((service.pk, ward_id), (None, 0))
            raw = Decimal(repr(raw)) if raw is not None else ZERO
            ratio = None
            if needed_raw:
                ratio = (raw / needed_raw).quantize(PLACES, ROUND_HALF_UP)
            service_cells.append(
                (ward_id, exact(raw), organisations, ratio),
            )
        mid = median([c[1] for c in service_cells])
        classes = Counter()
        for ward_id, cap, organisations, ratio in service_cells:
            gap_class = classify(organisations=organisations, ratio=ratio, rules=rules)
            classes[gap_class] += 1
            if ward_id not in ward_ids:
                continue
            cells[(service.pk, ward_id)] = Cell(
                service_id=service.pk,
                ward_id=ward_id,
                capacity=cap,
                needed=needed_raw.quantize(PLACES, ROUND_HALF_UP),
                organisations=organisations,
                ratio=ratio,
                gap_class=gap_class,
                deprived=ward_id in deprived_wards and cap < mid,
                demand=demand.get((service.pk, ward_id)),
            )
        at_risk = service.review_status in AT_RISK_STATUSES or service.planned_budget_change < 0
        summaries.append(
            ServiceGaps(
                id=service.pk,
                name=service.name,
                category_id=service.category_id,
                category_name=service.category.name,
                risk_tier=service.risk_tier,
                review_status=service.review_status,
                planned_budget_change=service.planned_budget_change,
                hours_needed=service.volunteer_hours_needed,
                ward_count=ward_count,
                capacity=sum((c[1] for c in service_cells), ZERO),
                median_capacity=mid,
                classes=dict(classes),
                at_risk=at_risk,
                falling_through=at_risk
                and all(c == GapClass.NO_CAPACITY for c in classes.elements()),
            )
        )
    return GapAnalysis(
        rules=rules,
        include_pending=include_pending,
        services=tuple(summaries),
        wards=tuple(ward_rows),
        cells=cells,
    )


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
