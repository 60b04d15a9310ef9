"""Public pages: the directory of verified groups (issue 6)."""

from django.db.models import Prefetch
from django.shortcuts import render
from django.views.decorators.http import require_safe

from bigsociety.paging import paginate
from mapping.access import get_public_organisation
from mapping.filters import PublicOrganisationFilter, public_offers
from mapping.models import Organisation, Ward


def _for_public_pages(queryset):
    """What the directory shows of each group: the wards it serves and the kinds of
    service it offers to help with (never the offers' details)."""
    return queryset.prefetch_related(
        Prefetch("wards_served", queryset=Ward.objects.only("pk", "name"), to_attr="ward_list"),
        Prefetch(
            "offers",
            # No order: _helps_with sorts them, and the default one joins every offer's
            # group and service just to sort.
            queryset=public_offers().select_related("service__category").order_by(),
            to_attr="public_offer_list",
        ),
    )


def _helps_with(organisation):
    """Kinds of service, and the services, the group says it could help with."""
    categories = {}
    for offer in organisation.public_offer_list:
        service = offer.service
        categories.setdefault(service.category.name, []).append(service)
    return sorted(
        (name, sorted(services, key=lambda s: s.name)) for name, services in categories.items()
    )


@require_safe
def public_directory(request):
    filterset = PublicOrganisationFilter(request.GET, queryset=Organisation.objects.verified())
    page_obj = paginate(request, _for_public_pages(filterset.qs.order_by("name", "pk")))
    for organisation in page_obj:
        organisation.helps_with = _helps_with(organisation)
    return render(
        request,
        "mapping/public/directory.html",
        {"filter": filterset, "form": filterset.form, "page_obj": page_obj},
    )


@require_safe
def public_organisation(request, pk):
    organisation = get_public_organisation(
        request, pk, queryset=_for_public_pages(Organisation.objects.all())
    )
    organisation.helps_with = _helps_with(organisation)
    return render(request, "mapping/public/organisation.html", {"organisation": organisation})
