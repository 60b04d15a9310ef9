"""A fixed-window rate limit kept in the shared cache, so every process sees the same
counts (with Redis or the database cache; never a per-process cache in production).

    if rate_limited(request, "sign-up", limit=5, window=3600):
        return too_many_requests(request, "sign_up")
"""

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render


def client_ip(request):
    """The client's address. Behind PROXY_COUNT proxies, the address the first of them saw."""
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", None) or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        # Each trusted proxy appends the address it saw; the rightmost are our own.
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def rate_limited(request, scope, *, limit, window, key=None):
    """Count this request; True once more than ``limit`` came in ``window`` seconds.

    ``key`` defaults to the client's address; pass e.g. an email address to limit per
    account instead.
    """
    ident = key if key is not None else client_ip(request)
    cache_key = f"ratelimit:{scope}:{ident}"
    # add() sets the counter only if absent, starting the window; incr() is atomic in
    # Redis and in the database cache's single UPDATE.
    if cache.add(cache_key, 1, timeout=window):
        return False
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=window)
        return False
    return count > limit


def too_many_requests(request, reason=""):
    """The one "Please wait before trying again" page (HTTP 429). ``reason`` says which
    limit was reached, so the page can say what to do: "sign_up", "emails",
    "invitations", "password_reset"."""
    return render(request, "accounts/too_many.html", {"reason": reason}, status=429)
