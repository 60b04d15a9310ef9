"""The admin site: staff only, and only after a two-factor code when ADMIN_REQUIRE_2FA is on.

People sign in on the site's own page (with its lockout after repeated failures), then
give a code from their authenticator app (or set one up) on the two-factor page. The
admin's own sign-in form is never shown.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def passed_two_factor(request):
    """True when the admin may be used without a code, or a code was given this session."""
    if not settings.ADMIN_REQUIRE_2FA:
        return True
    return request.user.is_verified()


class CouncilAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return super().has_permission(request) and passed_two_factor(request)

    def login(self, request, extra_context=None):
        """Where the admin sends anyone it will not serve yet."""
        index = reverse("admin:index", current_app=self.name)
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = index
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(next_url)
        if not (user.is_active and user.is_staff):
            raise PermissionDenied
        if not passed_two_factor(request):
            return redirect(f"{reverse('accounts:two_factor')}?{urlencode({'next': next_url})}")
        return redirect(next_url)
