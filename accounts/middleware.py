from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.signals import SESSION_LAST_SEEN_KEY, SESSION_STARTED_KEY

# Write the last-seen time at most this often, so a busy page does not save the
# session on every request.
LAST_SEEN_RESOLUTION = 60


class SessionLifetimeMiddleware:
    """Sign people out after 30 minutes idle, and 12 hours after they signed in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(timezone.now().timestamp())
            started = request.session.get(SESSION_STARTED_KEY, now)
            last_seen = request.session.get(SESSION_LAST_SEEN_KEY, now)
            if (
                now - last_seen > settings.SESSION_IDLE_TIMEOUT
                or now - started > settings.SESSION_COOKIE_AGE
            ):
                logout(request)
                messages.info(request, _("You were signed out to keep your account safe."))
                return redirect_to_login(request.get_full_path())
            if SESSION_STARTED_KEY not in request.session:
                request.session[SESSION_STARTED_KEY] = started
            if now - last_seen >= LAST_SEEN_RESOLUTION:
                request.session[SESSION_LAST_SEEN_KEY] = now
        return self.get_response(request)
