"""Residents' demand per service and ward, from consultation answers.

One aggregated query whatever the number of responses. A cell (service x ward) with fewer
than ``MIN_RESPONSES`` responses is suppressed: its figures are withheld so nobody can be
picked out of a small group.

"Comfort" is a resident's answer from 1 (very uncomfortable) to 5 (very comfortable) to
seeing the service run by community groups or volunteers; "don't know" answers count as
responses but not towards the mean. "Uneasy" means an answer of 1 or 2.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q, Sum

from mapping.models import ConsultationAnswer, ConsultationResponse

MIN_RESPONSES = 5
UNEASY_AT_MOST = 2


@dataclass(frozen=True)
class Demand:
    responses: int
    comfort_answers: int
    mean_comfort: Decimal | None
    uneasy: int
    volunteers: int
    volunteer_hours: int
    # The sum of the 1-5 answers, so groups of cells can be combined exactly.
    comfort_total: int = 0

    @classmethod
    def combine(cls, demands):
        """The demand of several cells taken together (e.g. a service across wards)."""
        demands = list(demands)
        comfort_answers = sum(d.comfort_answers for d in demands)
        comfort_total = sum(d.comfort_total for d in demands)
        return cls(
            responses=sum(d.responses for d in demands),
            comfort_answers=comfort_answers,
            mean_comfort=(
                _round(Decimal(comfort_total) / comfort_answers) if comfort_answers else None
            ),
            uneasy=sum(d.uneasy for d in demands),
            volunteers=sum(d.volunteers for d in demands),
            volunteer_hours=sum(d.volunteer_hours for d in demands),
            comfort_total=comfort_total,
        )

    @property
    def suppressed(self):
        return self.responses < MIN_RESPONSES

    @property
    def share_uneasy(self):
        """Uneasy answers as a share of the answers that gave a view (0 to 1)."""
        if not self.comfort_answers:
            return None
        return (Decimal(self.uneasy) / self.comfort_answers).quantize(Decimal("0.01"))

    @property
    def percent_uneasy(self):
        """The share uneasy as a whole percentage (0 to 100)."""
        if not self.comfort_answers:
            return None
        percent = Decimal(self.uneasy) * 100 / self.comfort_answers
        return percent.quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def demand_by_cell(*, consultation=None, services=None, wards=None):
    """{(service_id, ward_id): Demand} for every cell with at least one answer.

    By default counts the answers to every published consultation; pass
    ``consultation`` for one. ``services`` and ``wards`` narrow the cells (querysets or
    lists of ids). Suppressed cells are included; callers must check ``suppressed``
    before showing figures.
    """
    answers = ConsultationAnswer.objects.filter(response__consultation__is_published=True)
    if consultation is not None:
        answers = answers.filter(response__consultation=consultation)
    if services is not None:
        answers = answers.filter(service__in=services)
    if wards is not None:
        answers = answers.filter(response__ward__in=wards)
    gives_time = Q(response__gives_time=True)
    rows = (
        answers.values("service_id", "response__ward_id")
        .annotate(
            responses=Count("pk"),
            comfort_answers=Count("comfort"),
            mean_comfort=Avg("comfort"),
            comfort_total=Sum("comfort"),
            uneasy=Count("pk", filter=Q(comfort__lte=UNEASY_AT_MOST)),
            volunteers=Count("pk", filter=gives_time),
            volunteer_hours=Sum("response__hours_per_month", filter=gives_time),
        )
        .order_by()
    )
    return {
        (row["service_id"], row["response__ward_id"]): Demand(
            responses=row["responses"],
            comfort_answers=row["comfort_answers"],
            mean_comfort=_round(row["mean_comfort"]),
            uneasy=row["uneasy"],
            volunteers=row["volunteers"],
            volunteer_hours=row["volunteer_hours"] or 0,
            comfort_total=row["comfort_total"] or 0,
        )
        for row in rows
    }


def demand_by_ward(*, consultation=None, wards=None):
    """{ward_id: Demand} for every ward with at least one response: people, not answers.

    The volunteering figures are the same as a cell's when every response answers every
    service; the comfort figures are empty (comfort is per service). Suppression as for
    cells.
    """
    responses = ConsultationResponse.objects.filter(consultation__is_published=True)
    if consultation is not None:
        responses = responses.filter(consultation=consultation)
    if wards is not None:
        responses = responses.filter(ward__in=wards)
    gives_time = Q(gives_time=True)
    rows = (
        responses.values("ward_id")
        .annotate(
            responses=Count("pk"),
            volunteers=Count("pk", filter=gives_time),
            volunteer_hours=Sum("hours_per_month", filter=gives_time),
        )
        .order_by()
    )
    return {
        row["ward_id"]: Demand(
            responses=row["responses"],
            comfort_answers=0,
            mean_comfort=None,
            uneasy=0,
            volunteers=row["volunteers"],
            volunteer_hours=row["volunteer_hours"] or 0,
        )
        for row in rows
    }


def _round(value):
    if value is None:
        return None
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
