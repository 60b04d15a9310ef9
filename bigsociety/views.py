import sys

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.middleware.csp import get_nonce
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@require_safe
@never_cache
def healthz(request):
    """The process is alive. Never touches the database."""
    return JsonResponse({"status": "ok"})


@require_safe
@never_cache
def readyz(request):
    """The process can serve pages: the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return JsonResponse({"status": "unavailable", "database": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_safe
def home(request):
    """Send each person to where their work starts."""
    if request.user.is_authenticated and request.user.is_officer:
        return officer_home(request)
    return render(request, "home.html")


def officer_home(request):
    from mapping.dashboard import officer_home_context as capacity_context
    from services.dashboard import officer_home_context as handover_context

    context = capacity_context(request) | handover_context(request)
    return render(request, "officer_home.html", context)


@require_safe
def privacy(request):
    from bigsociety.personal_data import holdings_for_notice

    return render(
        request,
        "pages/privacy.html",
        {
            "holdings": holdings_for_notice(),
            "unconfirmed_days": settings.UNCONFIRMED_ACCOUNT_DAYS,
            "invitation_days": settings.STALE_INVITATION_DAYS,
            "log_days": settings.SIGN_IN_LOG_DAYS,
        },
    )


@require_safe
def accessibility(request):
    return render(request, "pages/accessibility.html")


def _render_plain(template_name, status, request=None):
    """Render an error page without context processors, so no database is needed.

    The page's one inline script carries the request's CSP nonce, as on every page.
    """
    context = {
        "COUNCIL_NAME": settings.COUNCIL_NAME,
        "csp_nonce": get_nonce(request) if request is not None else None,
    }
    body = loader.get_template(template_name).render(context)
    return HttpResponse(body, status=status)


def database_unavailable(request):
    response = _render_plain("503.html", 503, request)
    response["Retry-After"] = "30"
    return response


def server_error(request):
    # Called while the exception is being handled, so it can tell a database outage
    # (503, try again) from a bug (500).
    if isinstance(sys.exc_info()[1], DatabaseError):
        return database_unavailable(request)
    return _render_plain("500.html", 500, request)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def permission_denied(request, exception):
    return render(request, "403.html", status=403)


def bad_request(request, exception):
    return _render_plain("400.html", 400, request)
