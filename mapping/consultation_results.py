"""A consultation's results as officers and the public see them, with small groups hidden.

The figures come from ``mapping.demand`` (one aggregated query each, whatever the number
of responses). Two rules protect the people who answered:

1. No figure is shown about fewer than ``MIN_RESPONSES`` (5) responses.
2. No shown figure may be subtracted from another to work out a hidden one. Wards with
   fewer than 5 responses are pooled into one "other wards" row. If that row would still
   hold 1 to 4 responses, the "all wards" total minus the wards shown would reveal it,
   so the smallest shown wards join the pool too (secondary suppression) until it holds
   5 or more. The same pooling is used in every table of the consultation, so no table
   can be subtracted from another either.

Every response answers every service asked about (a service cannot be added or removed
once responses exist), so a ward has the same number of responses in every table.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mapping.demand import MIN_RESPONSES, Demand, demand_by_cell, demand_by_ward
from mapping.models import Ward

WARD, OTHERS, TOTAL = "ward", "others", "total"


@dataclass(frozen=True)
class Row:
    label: str
    kind: str
    # None when withheld: templates and exports never see the hidden figures.
    figures: Demand | None

    @property
    def withheld(self):
        return self.figures is None


@dataclass(frozen=True)
class Table:
    """One service's results by ward (or, with no service, everyone by ward)."""

    service: object | None
    rows: list[Row]

    @property
    def total(self):
        return self.rows[-1]


@dataclass
class Results:
    consultation: object
    services: list
    by_ward: Table
    by_service: list[Row]
    tables: list[Table]
    any_responses: bool = False
    pooled_wards: list[str] = field(default_factory=list)
    wards_without_responses: list[str] = field(default_factory=list)

    @property
    def total(self):
        return self.by_ward.total


def pool_wards(counts):
    """Split wards into those shown on their own and those pooled as "other wards".

    ``counts`` maps ward ids to their number of responses. See the module docstring.
    """
    shown = {ward for ward, n in counts.items() if n >= MIN_RESPONSES}
    pooled = set(counts) - shown
    pooled_responses = sum(counts[ward] for ward in pooled)
    while 0 < pooled_responses < MIN_RESPONSES and shown:
        smallest = min(shown, key=lambda ward: (counts[ward], ward))
        shown.remove(smallest)
        pooled.add(smallest)
        pooled_responses += counts[smallest]
    return shown, pooled


def _row(label, kind, demand):
    if demand is None or demand.suppressed:
        return Row(label=label, kind=kind, figures=None)
    return Row(label=label, kind=kind, figures=demand)


def _rows(cells, shown, pooled, ward_names):
    """Rows for the shown wards by name, then other wards (if any), then all wards."""
    rows = [
        _row(ward_names[ward], WARD, cells.get(ward))
        for ward in sorted(shown, key=lambda ward: ward_names[ward])
    ]
    if pooled:
        rows.append(
            _row(_("Other wards"), OTHERS, Demand.combine(cells[w] for w in pooled if w in cells))
        )
    rows.append(_row(_("All wards"), TOTAL, Demand.combine(cells.values())))
    return rows


def tabulate_results(consultation):
    """The consultation's results, ready to show: four queries whatever its size."""
    services = list(
        consultation.services.select_related("category").order_by("category__name", "name")
    )
    cells = demand_by_cell(consultation=consultation)
    people = demand_by_ward(consultation=consultation)
    ward_names = dict(Ward.objects.values_list("pk", "name"))

    shown, pooled = pool_wards({ward: demand.responses for ward, demand in people.items()})
    tables = []
    for service in services:
        service_cells = {ward: d for (svc, ward), d in cells.items() if svc == service.pk}
        tables.append(Table(service=service, rows=_rows(service_cells, shown, pooled, ward_names)))
    return Results(
        consultation=consultation,
        services=services,
        by_ward=Table(service=None, rows=_rows(people, shown, pooled, ward_names)),
        by_service=[
            Row(label=table.service.name, kind=TOTAL, figures=table.total.figures)
            for table in tables
        ],
        tables=tables,
        any_responses=bool(people),
        pooled_wards=sorted(ward_names[ward] for ward in pooled),
        wards_without_responses=sorted(
            name for ward, name in ward_names.items() if ward not in people
        ),
    )


EXPORT_HEADERS = [
    gettext_lazy("Service"),
    gettext_lazy("Area"),
    gettext_lazy("Responses"),
    gettext_lazy("Comfort index (1 to 5)"),
    gettext_lazy("Share uneasy (%)"),
    gettext_lazy("Would give time (people)"),
    gettext_lazy("Hours a month offered"),
    gettext_lazy("Note"),
]


def export_rows(results):
    """Rows for the CSV/XLSX download, withheld exactly as on the page."""
    withheld_note = _("Withheld: fewer than %(n)s responses") % {"n": MIN_RESPONSES}
    pooled_note = _("Included in 'Other wards'")
    for table in results.tables:
        for row in table.rows:
            figures = row.figures
            if figures is None:
                yield [table.service.name, row.label, None, None, None, None, None, withheld_note]
                continue
            yield [
                table.service.name,
                row.label,
                figures.responses,
                figures.mean_comfort,
                figures.percent_uneasy,
                figures.volunteers,
                figures.volunteer_hours,
                "",
            ]
            if row.kind == OTHERS:
                for name in results.pooled_wards:
                    yield [table.service.name, name, None, None, None, None, None, pooled_note]
