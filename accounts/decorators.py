from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

# When the person last proved who they are: at sign-in, and on "confirm your password".
SESSION_AUTHENTICATED_AT_KEY = "_authenticated_at"


def officer_required(view):
    """Council officers only: anyone else signed in gets 403, anonymous people sign in."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_officer:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def authenticated_recently(request, max_age=None):
    """True when the person gave their password less than ``max_age`` seconds ago."""
    max_age = settings.REAUTHENTICATION_MAX_AGE if max_age is None else max_age
    given_at = request.session.get(SESSION_AUTHENTICATED_AT_KEY)
    if given_at is None:
        return False
    return timezone.now().timestamp() - given_at <= max_age


def recent_authentication_required(view=None, *, max_age=None):
    """Ask for the password again before a sensitive action (erasure, role changes).

    Anonymous people sign in. Anyone who signed in, or last confirmed their password,
    more than ``max_age`` seconds ago (default ``REAUTHENTICATION_MAX_AGE``) confirms it
    on a page of its own and comes back here. Put it below the other access checks, so
    nobody is asked for a password only to be refused:

        @officer_required
        @recent_authentication_required
        def member_remove(request, pk): ...

    A form posted after the time ran out is not processed: the person confirms their
    password and gets the page again, with nothing changed.
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not authenticated_recently(request, max_age):
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('accounts:confirm_password')}?{query}")
            return view(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate
