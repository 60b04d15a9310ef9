"""Public accountability pages (issue 7): who runs each handed-over service or asset,
since when, how it is doing, and every monitoring return; and the public register of
Assets of Community Value. No sign-in."""

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from bigsociety.paging import Sorter, paginate
from services.access import get_public_agreement
from services.filters import AccountabilityFilter
from services.models import (
    AcvNomination,
    HandoverAgreement,
    IndicatorValue,
    MonitoringReturn,
    Rating,
    SaleNotice,
)

ACCOUNTABILITY_SORTS = {
    "subject": ["subject_name"],
    "group": ["organisation__name"],
    "since": ["starts_on"],
}


def _latest_rated():
    return (
        MonitoringReturn.objects.rated().filter(agreement=OuterRef("pk")).order_by("-period_start")
    )


@require_safe
def accountability(request):
    today = timezone.localdate()
    agreements = (
        HandoverAgreement.objects.current_on(today)
        .select_related("organisation", "service", "asset")
        .annotate(
            subject_name=Coalesce("service__name", "asset__name"),
            latest_rating=Subquery(_latest_rated().values("rating")[:1]),
            latest_rated_period_end=Subquery(_latest_rated().values("period_end")[:1]),
        )
        .prefetch_related(
            Prefetch(
                "returns",
                queryset=MonitoringReturn.objects.submitted()
                .order_by("agreement_id", "-period_start")
                .prefetch_related(
                    Prefetch(
                        "values",
                        queryset=IndicatorValue.objects.select_related("indicator").order_by(
                            "indicator_id"
                        ),
                        to_attr="value_list",
                    )
                )[:1],
                to_attr="latest_returns",
            )
        )
    )
    filterset = AccountabilityFilter(request.GET, queryset=agreements)
    sorter = Sorter(request, ACCOUNTABILITY_SORTS, default="subject")
    page_obj = paginate(request, sorter.apply(filterset.qs))
    for agreement in page_obj:
        agreement.latest_rating_label = (
            Rating(agreement.latest_rating).label if agreement.latest_rating else ""
        )
    return render(
        request,
        "services/accountability/list.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "sorter": sorter,
            "page_obj": page_obj,
            "any_agreements": HandoverAgreement.objects.current_on(today).exists(),
        },
    )


@require_safe
def accountability_detail(request, pk):
    today = timezone.localdate()
    agreement = get_public_agreement(
        request,
        pk,
        queryset=HandoverAgreement.objects.select_related(
            "organisation", "service", "asset__ward"
        ).prefetch_related(
            Prefetch("wards", to_attr="ward_list"),
            Prefetch("indicators", to_attr="indicator_list"),
            Prefetch(
                # Periods that have reached their last day: sent in, due or overdue.
                "returns",
                queryset=MonitoringReturn.objects.filter(period_end__lte=today)
                .order_by("-period_start")
                .prefetch_related(Prefetch("values", to_attr="value_list")),
                to_attr="return_history",
            ),
        ),
    )
    indicators = agreement.indicator_list
    history = []
    for monitoring_return in agreement.return_history:
        values = {v.indicator_id: v.value for v in monitoring_return.value_list}
        history.append((monitoring_return, [values.get(i.pk) for i in indicators]))
    latest = next((r for r, _values in history if r.is_submitted), None)
    latest_values = {}
    if latest is not None:
        latest_values = {v.indicator_id: v.value for v in latest.value_list}
    rated = next((r for r, _values in history if r.rating), None)
    return render(
        request,
        "services/accountability/detail.html",
        {
            "agreement": agreement,
            "indicator_rows": [(i, latest_values.get(i.pk)) for i in indicators],
            "history": history,
            "latest": latest,
            "rated": rated,
            "today": today,
        },
    )


@require_safe
def acv_register(request):
    """The council's list of Assets of Community Value, with the dates of any sale."""
    today = timezone.localdate()
    listed = (
        AcvNomination.objects.listed_on_day(today)
        .select_related("asset__ward", "organisation")
        .prefetch_related(
            Prefetch(
                "asset__sale_notices",
                queryset=SaleNotice.objects.protecting_on(today).annotate(
                    intention_count=Count("intentions")
                ),
                to_attr="notice_list",
            )
        )
        .order_by("asset__name", "pk")
    )
    return render(
        request,
        "services/accountability/acv_register.html",
        {"page_obj": paginate(request, listed), "today": today},
    )
