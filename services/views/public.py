"""The public service catalogue (issue 6)."""

from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from bigsociety.paging import paginate
from mapping.models import Consultation, Ward
from services.access import get_public_service
from services.filters import PublicServiceFilter
from services.models import ReviewStatus, Service

# Services the public may want to act on come first: groups can apply to run those open
# to expressions of interest, and residents can have their say on those under review.
STATUS_ORDER = Case(
    When(review_status=ReviewStatus.OPEN_TO_EOI, then=Value(0)),
    When(review_status=ReviewStatus.UNDER_REVIEW, then=Value(1)),
    When(review_status=ReviewStatus.HANDED_OVER, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


@require_safe
def public_catalogue(request):
    services = Service.objects.published().select_related("category")
    filterset = PublicServiceFilter(request.GET, queryset=services)
    page_obj = paginate(
        request,
        filterset.qs.annotate(status_order=STATUS_ORDER).order_by("status_order", "name", "pk"),
    )
    open_to_interest = Service.objects.published().open_to_interest().count()
    return render(
        request,
        "services/public/catalogue.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "page_obj": page_obj,
            "open_to_interest": open_to_interest,
        },
    )


@require_safe
def public_service(request, pk):
    today = timezone.localdate()
    service = get_public_service(
        request,
        pk,
        queryset=Service.objects.select_related("category").prefetch_related(
            Prefetch("wards", queryset=Ward.objects.only("pk", "name"), to_attr="ward_list"),
            Prefetch(
                "consultations",
                queryset=Consultation.objects.open_on(today).order_by("closes_on"),
                to_attr="open_consultations",
            ),
        ),
    )
    return render(request, "services/public/service.html", {"service": service})
