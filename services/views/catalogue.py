"""The service catalogue for officers (issue 5): the list, a service's drill-down with the
groups ready to help and where, and the edit page."""

import copy
from collections import Counter, defaultdict

from django.contrib import messages
from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.decorators import officer_required
from bigsociety.exports import export_response, requested_format
from bigsociety.history import recent_changes
from bigsociety.paging import Sorter, paginate
from mapping.filters import GapFilter
from mapping.gaps import analyse, candidate_offers, explain
from mapping.models import Ward
from mapping.reports import cell_headers, cell_values, offer_headers, offer_values
from services.access import get_service_for_user
from services.actions import ServiceChanged, service_update
from services.filters import ServiceFilter
from services.forms import ServiceForm
from services.models import ReviewStatus, RiskTier, Service


def _rank(field, values):
    return Case(
        *[When(**{field: value}, then=Value(i)) for i, value in enumerate(values)],
        output_field=IntegerField(),
    )


SERVICE_SORTS = {
    "name": "name",
    "category": ["category__name", "name"],
    "risk": ["risk_rank", "name"],
    "review": ["review_rank", "name"],
    "cost": ["annual_cost", "name"],
    "change": ["planned_budget_change", "name"],
    "hours": ["volunteer_hours_needed", "name"],
}


@officer_required
@require_safe
def service_list(request):
    services = Service.objects.select_related("category").annotate(
        risk_rank=_rank("risk_tier", RiskTier.values),
        review_rank=_rank("review_status", ReviewStatus.values),
    )
    filterset = ServiceFilter(request.GET, queryset=services)
    sorter = Sorter(request, SERVICE_SORTS, default="name")
    services = sorter.apply(filterset.qs)

    fmt = requested_format(request)
    if fmt:
        services = list(services)
        analysis = analyse(services=[s.pk for s in services], with_demand=False)
        gaps = {s.id: s for s in analysis.services}
        return export_response(
            fmt=fmt,
            filename=_("services"),
            headers=service_export_headers(),
            rows=(_service_export_row(s, gaps[s.pk]) for s in services),
        )

    page = paginate(request, services)
    analysis = analyse(services=[s.pk for s in page], with_demand=False)
    gaps = {s.id: s for s in analysis.services}
    return render(
        request,
        "services/service_list.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "sorter": sorter,
            "page_obj": page,
            "rows": [(service, gaps.get(service.pk)) for service in page],
            "any_services": page.paginator.count or Service.objects.exists(),
        },
    )


def service_export_headers():
    return [
        _("Service"),
        _("Category"),
        _("Provided by"),
        _("LGA Service List code"),
        _("Risk"),
        _("Review status"),
        _("How it is run now"),
        _("Annual cost (£)"),
        _("Planned budget change (£ a year)"),
        _("Statutory duty"),
        _("Volunteer hours needed a month"),
        _("Wards covered"),
        _("Wards with no capacity or fragile"),
        _("Falling through the gaps"),
        _("Shown on public pages"),
    ]


def _service_export_row(service, gaps):
    return [
        service.name,
        service.category.name,
        service.get_providing_body_display(),
        service.lgsl_code,
        service.get_risk_tier_display(),
        service.get_review_status_display(),
        service.get_delivery_model_display(),
        service.annual_cost,
        service.planned_budget_change,
        service.statutory_duty,
        service.volunteer_hours_needed,
        gaps.ward_count,
        gaps.gap_cells,
        gaps.falling_through,
        service.published,
    ]


@officer_required
@require_safe
def service_detail(request, pk):
    service = get_service_for_user(
        request, pk, queryset=Service.objects.select_related("category", "lead_officer")
    )
    options = GapFilter(request.GET, queryset=Service.objects.none())
    include_pending = options.counts_pending
    analysis = analyse(services=[service.pk], include_pending=include_pending)
    candidates = explain(
        candidate_offers(service=service), include_pending=include_pending, rules=analysis.rules
    )
    in_ward = defaultdict(list)
    for offer in candidates:
        # Once per group, not once for each ward it is listed in.
        offer.organisation_url = reverse(
            "mapping:organisation_detail", args=[offer.organisation_id]
        )
        for ward in offer.ward_list:
            in_ward[ward.pk].append(offer)
    ward_rows = [
        (ward, cell, in_ward.get(ward.id, [])) for ward, cell in analysis.service_cells(service.pk)
    ]

    fmt = requested_format(request)
    if fmt and request.GET.get("table") == "groups":
        return export_response(
            fmt=fmt,
            filename=_("%(service)s groups") % {"service": service.name},
            headers=offer_headers(),
            rows=[offer_values(offer) for offer in candidates],
        )
    if fmt:
        return export_response(
            fmt=fmt,
            filename=_("%(service)s by ward") % {"service": service.name},
            headers=[_("Ward"), _("Ward code"), *cell_headers(), _("Groups counted")],
            rows=[
                [
                    ward.name,
                    ward.code,
                    *cell_values(cell, ward),
                    "; ".join(o.organisation.name for o in groups if o.counts),
                ]
                for ward, cell, groups in ward_rows
            ],
        )

    needs = Counter(need for offer in candidates for need in offer.needs)
    return render(
        request,
        "services/service_detail.html",
        {
            "service": service,
            "options": options,
            "form": options.form,
            "include_pending": include_pending,
            "summary": analysis.services[0],
            "ward_rows": ward_rows,
            "candidates": candidates,
            # The ranked table a page at a time: hundreds of groups offer the busiest.
            "page_obj": paginate(request, candidates),
            "needs": sorted(needs.items(), key=lambda item: (-item[1], item[0].name)),
            "changes": recent_changes(service),
        },
    )


@officer_required
@require_http_methods(["GET", "POST"])
def service_edit(request, pk):
    service = get_service_for_user(
        request,
        pk,
        write=True,
        queryset=Service.objects.select_related("category").prefetch_related(
            Prefetch("wards", queryset=Ward.objects.only("pk", "name"))
        ),
    )
    differences = None
    if request.method == "POST":
        # The form works on a copy: the page keeps naming the service as it is saved.
        form = ServiceForm(request.POST, instance=copy.copy(service))
        if form.is_valid():
            try:
                saved = service_update(form=form, expected_version=form.cleaned_data["version"])
            except ServiceChanged as changed:
                current = changed.current
                differences = form.differences_from(current)
                # Keep what the officer typed, now based on the saved version: saving
                # again after reading the differences is a deliberate choice.
                data = request.POST.copy()
                data["version"] = current.version
                form = ServiceForm(data, instance=copy.copy(current))
                form.is_valid()
                form.add_error(
                    None,
                    _(
                        "Someone else saved changes to this service while you were editing "
                        "it. Nothing you entered has been saved yet. Check what is saved "
                        "now, then save again to replace it with your answers."
                    ),
                )
                service = current
            else:
                messages.success(request, _("The service has been saved"))
                return redirect("services:service_detail", pk=saved.pk)
    else:
        form = ServiceForm(instance=service)
    return render(
        request,
        "services/service_edit.html",
        {"service": service, "form": form, "differences": differences},
    )
