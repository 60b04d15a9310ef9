"""Open Referral UK read-only API (issue 8): open data for the UK directory ecosystem.

``/api/oruk/`` says which version and profile of the standard the API follows.
``/api/oruk/organizations`` and ``/api/oruk/services`` are paginated as ORUK is
(``?page=1&per_page=50``, at most ``ORUK_MAX_PAGE_SIZE``); ``/api/oruk/services/<id>``
is one service with its wards' boundaries. Anyone may read them, from any web site.
"""

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from services import oruk
from services.models import Service

DEFAULT_PAGE_SIZE = 50


class BadRequest(Exception):
    pass


def _json(data, status=200):
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    # Open data: any site may read it (no cookies are sent or needed).
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _whole_number(request, name, default):
    text = request.GET.get(name, "")
    if text == "":
        return default
    if not text.isdigit() or int(text) < 1:
        raise BadRequest(
            _("%(name)s must be a whole number from 1 up, not %(value)r.")
            % {"name": name, "value": text[:20]}
        )
    return int(text)


def _page(request, queryset, to_json, *, complete=None):
    """One ORUK page of ``queryset``. ``complete`` turns the page's slice into the
    records to show, when they need more than the plain rows."""
    try:
        number = _whole_number(request, "page", 1)
        per_page = min(
            _whole_number(request, "per_page", DEFAULT_PAGE_SIZE), settings.ORUK_MAX_PAGE_SIZE
        )
    except BadRequest as error:
        return _json({"error": str(error)}, status=400)
    total = queryset.count()
    start = (number - 1) * per_page
    items = []
    if start < total:
        page = queryset[start : start + per_page]
        items = [to_json(item) for item in (complete(page) if complete else page)]
    return _json(oruk.page_json(total=total, per_page=per_page, number=number, items=items))


# What the API's root says of itself (the schema api_details.json): the HSDS version, the
# UK profile and the OpenAPI definition of the endpoints it offers, which ORUK's validator
# reads to know what to check.
API_DETAILS = {
    "version": "3.0",
    "profile": "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md",
    "openapi_url": (
        "https://raw.githubusercontent.com/tpximpact/OpenReferralApi/refs/heads/main/"
        "OpenReferralApi/Schemas/V3.0-UK/open_api.json"
    ),
}


@require_safe
def api_details(request):
    return _json(API_DETAILS)


@require_safe
def organizations(request):
    return _page(request, oruk.published_organisations(), oruk.organisation_json)


@require_safe
def services(request):
    # Count and slice the plain services; add up the offers of that page's services only.
    return _page(
        request,
        Service.objects.published().order_by(*oruk.SERVICE_ORDER),
        oruk.service_json,
        complete=lambda page: oruk.published_services().filter(pk__in=page.values("pk")),
    )


@require_safe
def service(request, id):
    number = oruk.number_from_id("service", id)
    found = (
        oruk.published_services(full=True).filter(pk=number).first()
        if number is not None
        else None
    )
    if found is None:
        return _json({"error": _("There is no published service with this id.")}, status=404)
    return _json(oruk.service_json(found, full=True))
