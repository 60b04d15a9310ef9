"""Columns and rows of the gap-analysis exports (CSV and XLSX), shared by the matrix,
the ward and service drill-downs, so a figure reads the same wherever it is exported."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _


def cell_headers():
    return [
        _("Deprivation decile"),
        _("Class"),
        _("Deprived ward below the usual capacity"),
        _("Weighted volunteer hours a month"),
        _("Volunteer hours needed a month"),
        _("Coverage ratio"),
        _("Willing groups"),
        _("Residents' mean comfort (1 to 5)"),
        _("Residents willing to give time"),
        _("Residents who answered"),
    ]


def demand_values(demand):
    """Mean comfort, people willing to give time and responses; withheld under 5."""
    if demand is None:
        return [None, 0, 0]
    if demand.suppressed:
        text = _("fewer than 5 responses")
        return [text, text, text]
    return [demand.mean_comfort, demand.volunteers, demand.responses]


HOURS = Decimal("0.01")


def cell_values(cell, ward):
    return [
        ward.imd_decile,
        str(cell.label),
        cell.deprived,
        cell.capacity.quantize(HOURS, ROUND_HALF_UP),
        cell.needed.quantize(HOURS, ROUND_HALF_UP),
        cell.ratio,
        cell.organisations,
        *demand_values(cell.demand),
    ]


def offer_headers():
    return [
        _("Group"),
        _("Verification"),
        _("Service"),
        _("How ready"),
        _("Role"),
        _("Volunteer hours a month"),
        _("Volunteers"),
        _("Wards"),
        _("Hours a month in each ward"),
        _("Support needed"),
        _("Who should run it"),
        _("Earliest start"),
        _("Counts in the gap analysis"),
        _("Why not"),
    ]


def offer_values(offer):
    """An offer prefetched with ``ward_list`` and ``needs`` and annotated by
    gaps.candidate_offers, with ``counts`` and ``not_counted_because`` set."""
    return [
        offer.organisation.name,
        offer.organisation.get_verification_status_display(),
        offer.service.name,
        offer.get_willingness_display(),
        offer.get_role_display(),
        offer.volunteer_hours_per_month,
        offer.volunteers,
        "; ".join(w.name for w in offer.ward_list),
        offer.hours_per_ward,
        "; ".join(n.name for n in offer.needs),
        offer.get_preferred_governance_display(),
        offer.earliest_start,
        offer.counts,
        str(offer.not_counted_because),
    ]
