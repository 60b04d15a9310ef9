"""Officer mapping: organisation directory, gap matrix, ward map, drill-downs (issue 5)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.decorators import officer_required
from bigsociety.exports import export_response, requested_format
from bigsociety.history import recent_changes
from bigsociety.paging import Sorter, paginate
from mapping import wardmap
from mapping.access import get_organisation_for_user, get_ward_for_user
from mapping.filters import (
    GapFilter,
    GapMapFilter,
    MapMetric,
    OrganisationFilter,
    SupportNeedsForm,
)
from mapping.gaps import (
    GapClass,
    analyse,
    candidate_offers,
    current_rules,
    explain,
    readiness_rank,
    residents_by_ward,
    wards_named,
)
from mapping.models import (
    CapacityOffer,
    Membership,
    Organisation,
    Skill,
    SupportNeed,
    VerificationStatus,
    Ward,
)
from mapping.reports import cell_headers, cell_values, offer_headers, offer_values
from services.models import Service


def _count_of(queryset, outer_field):
    """A correlated COUNT subquery: a count per row without a join, so no duplicate rows."""
    return Coalesce(
        Subquery(
            queryset.filter(**{outer_field: OuterRef("pk")})
            .order_by()
            .values(outer_field)
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


# The organisation directory ------------------------------------------------------------

ORGANISATION_SORTS = {
    "name": "name",
    "legal_form": ["legal_form", "name"],
    "verification": ["verification_status", "name"],
    "volunteers": ["volunteers", "name"],
    "offers": ["offer_count", "name"],
}


@officer_required
@require_safe
def organisation_directory(request):
    organisations = Organisation.objects.annotate(
        offer_count=_count_of(CapacityOffer.objects.active(), "organisation_id"),
    ).prefetch_related(
        Prefetch("wards_served", queryset=Ward.objects.only("pk", "name"), to_attr="ward_list")
    )
    filterset = OrganisationFilter(request.GET, queryset=organisations)
    sorter = Sorter(request, ORGANISATION_SORTS, default="name")
    organisations = sorter.apply(filterset.qs)

    fmt = requested_format(request)
    if fmt:
        return export_response(
            fmt=fmt,
            filename=_("community groups"),
            headers=[
                _("Group"),
                _("Legal form"),
                _("Identifiers"),
                _("Verification"),
                _("Wards served"),
                _("Volunteers"),
                _("Paid staff"),
                _("Income"),
                _("Active offers"),
                _("Postcode"),
                _("Contact email"),
                _("Registered"),
            ],
            rows=(
                [
                    o.name,
                    o.get_legal_form_display(),
                    "; ".join(o.identifiers),
                    o.get_verification_status_display(),
                    _("Whole borough")
                    if o.serves_whole_borough
                    else "; ".join(w.name for w in o.ward_list),
                    o.volunteers,
                    o.paid_staff,
                    o.get_income_band_display(),
                    o.offer_count,
                    o.postcode,
                    o.contact_email,
                    o.created_at,
                ]
                for o in organisations
            ),
        )

    return render(
        request,
        "mapping/organisation_directory.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "sorter": sorter,
            "page_obj": paginate(request, organisations),
        },
    )


@officer_required
@require_safe
def organisation_detail(request, pk):
    organisation, _membership = get_organisation_for_user(
        request,
        pk,
        queryset=Organisation.objects.select_related("verified_by")
        .annotate(member_count=_count_of(Membership.objects.all(), "organisation_id"))
        .prefetch_related(
            Prefetch("wards_served", queryset=Ward.objects.only("pk", "name"), to_attr="ward_list")
        ),
    )
    offers = explain(
        CapacityOffer.objects.filter(organisation=organisation)
        .select_related("organisation", "service", "service__category")
        .annotate(rank=readiness_rank(), ward_count=wards_named())
        .prefetch_related(
            Prefetch(
                "wards", queryset=Ward.objects.only("pk", "code", "name"), to_attr="ward_list"
            ),
            Prefetch("support_needed", queryset=SupportNeed.objects.all(), to_attr="needs"),
            Prefetch("skills", queryset=Skill.objects.all(), to_attr="skill_list"),
        )
        # Active offers first, then withdrawn ones, most recently withdrawn first.
        .order_by(F("withdrawn_at").desc(nulls_first=True), "rank", "service__name", "pk")
    )
    fmt = requested_format(request)
    if fmt:
        return export_response(
            fmt=fmt,
            filename=_("%(group)s offers") % {"group": organisation.name},
            headers=offer_headers(),
            rows=[offer_values(offer) for offer in offers],
        )
    return render(
        request,
        "mapping/organisation_detail.html",
        {
            "organisation": organisation,
            "offers": offers,
            "changes": recent_changes(organisation),
        },
    )


# The gap matrix ----------------------------------------------------------------------


@officer_required
@require_safe
def gap_matrix(request):
    filterset = GapFilter(request.GET, queryset=Service.objects.all())
    fmt = requested_format(request)
    analysis = analyse(
        services=filterset.qs,
        include_pending=filterset.counts_pending,
        with_demand=fmt is not None,
    )
    if fmt:
        wards = {w.id: w for w in analysis.wards}
        return export_response(
            fmt=fmt,
            filename=_("gaps by service and ward"),
            headers=[
                _("Service"),
                _("Category"),
                _("Risk"),
                _("Review status"),
                _("Falling through the gaps"),
                _("Ward"),
                _("Ward code"),
                *cell_headers(),
            ],
            rows=[
                [
                    service.name,
                    service.category_name,
                    service.risk_label,
                    service.review_label,
                    service.falling_through,
                    wards[ward.id].name,
                    ward.code,
                    *cell_values(cell, ward),
                ]
                for service in analysis.services
                for ward, cell in analysis.service_cells(service.id)
            ],
        )
    # A page of services at a time: a county's 400 services by 100 wards would be
    # 40,000 cells (8 MB of HTML) on one page.
    page_obj = paginate(request, analysis.services)
    return render(
        request,
        "mapping/gap_matrix.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "analysis": analysis,
            "page_obj": page_obj,
            "rows": analysis.class_rows(page_obj),
            "classes": [
                (c, GapClass.LABELS[c], GapClass.ABBREVIATIONS[c]) for c in GapClass.ORDER
            ],
        },
    )


@officer_required
@require_safe
def gap_method(request):
    return render(request, "mapping/gap_method.html", {"rules": current_rules()})


# The ward map ------------------------------------------------------------------------


@dataclass
class MapRow:
    ward: object  # gaps.WardInfo
    gaps: object  # gaps.WardGaps
    residents: object  # gaps.WardResidents or None
    bin: wardmap.Bin
    value: str  # the figure written on the map
    description: str  # the figure in words, for the ward's accessible name
    shape: wardmap.Shape | None


def _map_figure(metric, gaps, residents, ward):
    """(short figure for the map, the figure in words)."""
    if metric == MapMetric.CAPACITY:
        hours = gaps.capacity.quantize(1)
        return f"{hours:,}", _("%(hours)s weighted volunteer hours a month") % {
            "hours": f"{hours:,}"
        }
    if metric == MapMetric.DEPRIVATION:
        if ward.imd_decile is None:
            return "–", _("no deprivation figure")
        return str(ward.imd_decile), _("deprivation decile %(d)s") % {"d": ward.imd_decile}
    if metric == MapMetric.COMFORT:
        if residents is None:
            return "–", _("no responses from residents")
        if residents.suppressed:
            return "<5", _("fewer than 5 responses")
        if residents.mean_comfort is None:
            return "–", _("no answers about comfort")
        return str(residents.mean_comfort.quantize(Decimal("0.1"))), _(
            "residents' mean comfort %(m)s out of 5"
        ) % {"m": residents.mean_comfort}
    if not gaps.cells:
        return "–", _("no services analysed cover this ward")
    share = round(gaps.gap_share * 100)
    return f"{share}%", _("%(gaps)s of %(cells)s services with no capacity or fragile") % {
        "gaps": gaps.gap_cells,
        "cells": gaps.cells,
    }


def _map_bin(metric, gaps, residents, ward, capacity_bins, third):
    if metric == MapMetric.CAPACITY:
        return wardmap.bin_capacity(gaps.capacity, capacity_bins, third)
    if metric == MapMetric.DEPRIVATION:
        return wardmap.bin_deprivation(ward.imd_decile)
    if metric == MapMetric.COMFORT:
        if residents is None or residents.suppressed:
            return wardmap.NO_DATA
        return wardmap.bin_comfort(residents.mean_comfort)
    return wardmap.bin_gaps(gaps.gap_share)


@officer_required
@require_safe
def gap_map(request):
    data = request.GET.copy()
    data.setdefault("metric", MapMetric.GAPS)
    filterset = GapMapFilter(data, queryset=Service.objects.all())
    metric = filterset.metric_value
    analysis = analyse(
        services=filterset.qs, include_pending=filterset.counts_pending, with_demand=False
    )
    by_ward = analysis.by_ward()
    residents = residents_by_ward(services=filterset.qs)
    boundaries = dict(Ward.objects.with_boundary().order_by().values_list("pk", "boundary"))
    shapes, view_box = wardmap.project(boundaries)
    capacity_bins, third = wardmap.capacity_bins(
        max((g.capacity for g in by_ward.values()), default=0)
    )
    rows = []
    for ward in analysis.wards:
        gaps, said = by_ward[ward.id], residents.get(ward.id)
        value, description = _map_figure(metric, gaps, said, ward)
        rows.append(
            MapRow(
                ward=ward,
                gaps=gaps,
                residents=said,
                bin=_map_bin(metric, gaps, said, ward, capacity_bins, third),
                value=value,
                description=description,
                shape=shapes.get(ward.id),
            )
        )

    fmt = requested_format(request)
    if fmt:
        return export_response(
            fmt=fmt,
            filename=_("ward map"),
            headers=[
                _("Ward"),
                _("Ward code"),
                _("Deprivation decile"),
                _("Services covering the ward"),
                _("Services with no capacity or fragile"),
                _("Share with no capacity or fragile"),
                _("Weighted volunteer hours a month"),
                _("Residents' mean comfort (1 to 5)"),
                _("Residents willing to give time"),
                _("On the map"),
                _("Map key"),
            ],
            rows=[
                [
                    row.ward.name,
                    row.ward.code,
                    row.ward.imd_decile,
                    row.gaps.cells,
                    row.gaps.gap_cells,
                    row.gaps.gap_share,
                    row.gaps.capacity,
                    *_residents_values(row.residents),
                    row.shape is not None,
                    str(row.bin.label),
                ]
                for row in rows
            ],
        )
    return render(
        request,
        "mapping/gap_map.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "metric": metric,
            "metric_label": dict(MapMetric.CHOICES)[metric],
            "rows": rows,
            "drawn": [row for row in rows if row.shape],
            "not_drawn": [row for row in rows if not row.shape],
            "view_box": view_box,
            "legend": wardmap.legend(metric, capacity=capacity_bins),
        },
    )


def _residents_values(residents):
    if residents is None:
        return [None, None]
    if residents.suppressed:
        text = _("fewer than 5 responses")
        return [text, text]
    return [residents.mean_comfort, residents.volunteers]


# The ward drill-down -------------------------------------------------------------------


@officer_required
@require_safe
def ward_detail(request, code):
    ward = get_ward_for_user(request, code, queryset=Ward.objects.defer("boundary"))
    options = GapFilter(request.GET, queryset=Service.objects.none())
    include_pending = options.counts_pending
    # Every service: those covering the ward are the ones with a cell in it.
    analysis = analyse(wards=[ward.pk], include_pending=include_pending)
    info = analysis.wards[0]
    cells = analysis.ward_cells(ward.pk)

    fmt = requested_format(request)
    if fmt and request.GET.get("table") == "groups":
        candidates = explain(
            candidate_offers(ward=ward), include_pending=include_pending, rules=analysis.rules
        )
        return export_response(
            fmt=fmt,
            filename=_("%(ward)s groups") % {"ward": ward.name},
            headers=offer_headers(),
            rows=[offer_values(offer) for offer in candidates],
        )
    if fmt:
        return export_response(
            fmt=fmt,
            filename=_("%(ward)s services") % {"ward": ward.name},
            headers=[
                _("Service"),
                _("Category"),
                _("Risk"),
                _("Falling through the gaps"),
                *cell_headers(),
            ],
            rows=[
                [
                    service.name,
                    service.category_name,
                    service.risk_label,
                    service.falling_through,
                    *cell_values(cell, info),
                ]
                for service, cell in cells
            ],
        )

    classes = dict.fromkeys(GapClass.ORDER, 0)
    for _service, cell in cells:
        classes[cell.gap_class] += 1
    # A page of groups at a time: a busy ward in a county has thousands of offers.
    page_obj = paginate(request, candidate_offers(ward=ward))
    return render(
        request,
        "mapping/ward_detail.html",
        {
            "ward": ward,
            "options": options,
            "form": options.form,
            "include_pending": include_pending,
            "cells": cells,
            "class_counts": [(c, GapClass.LABELS[c], classes[c]) for c in GapClass.ORDER],
            "page_obj": page_obj,
            "candidates": explain(page_obj, include_pending=include_pending, rules=analysis.rules),
            "changes": recent_changes(ward),
        },
    )


# What groups ask for ----------------------------------------------------------------


@officer_required
@require_safe
def support_needs(request):
    form = SupportNeedsForm(request.GET)
    category = include_pending = None
    if form.is_valid():
        category = form.cleaned_data["category"]
        include_pending = form.cleaned_data["include_pending"]
    statuses = [VerificationStatus.VERIFIED]
    if include_pending:
        statuses.append(VerificationStatus.PENDING)
    offers = CapacityOffer.objects.active().filter(organisation__verification_status__in=statuses)
    if category:
        offers = offers.filter(service__category=category)
    asked = CapacityOffer.support_needed.through.objects.filter(capacityoffer__in=offers)
    overall = {
        row["supportneed_id"]: row
        for row in asked.values("supportneed_id")
        .annotate(
            groups=Count("capacityoffer__organisation", distinct=True),
            offers=Count("capacityoffer", distinct=True),
        )
        .order_by()
    }
    per_ward = {
        (row["supportneed_id"], row["capacityoffer__wards"]): row["groups"]
        for row in asked.filter(capacityoffer__wards__isnull=False)
        .values("supportneed_id", "capacityoffer__wards")
        .annotate(groups=Count("capacityoffer__organisation", distinct=True))
        .order_by()
    }
    needs = list(SupportNeed.objects.all())
    wards = list(Ward.objects.only("pk", "code", "name"))
    summary = [
        (
            need,
            overall.get(need.pk, {}).get("groups", 0),
            overall.get(need.pk, {}).get("offers", 0),
        )
        for need in needs
    ]
    ward_rows = [(ward, [per_ward.get((need.pk, ward.pk), 0) for need in needs]) for ward in wards]

    fmt = requested_format(request)
    if fmt:
        return export_response(
            fmt=fmt,
            filename=_("support groups ask for"),
            headers=[_("Ward"), _("Ward code"), *[need.name for need in needs]],
            rows=[
                [
                    _("All wards (groups counted once)"),
                    "",
                    *[groups for _n, groups, _o in summary],
                ],
                *[[ward.name, ward.code, *counts] for ward, counts in ward_rows],
            ],
        )
    return render(
        request,
        "mapping/support_needs.html",
        {
            "form": form,
            "needs": needs,
            "summary": summary,
            "ward_rows": ward_rows,
            "any_asked": any(groups for _n, groups, _o in summary),
        },
    )
