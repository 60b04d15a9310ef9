import base64
import logging

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.decorators import SESSION_AUTHENTICATED_AT_KEY, recent_authentication_required
from accounts.forms import (
    ConfirmPasswordForm,
    PasswordResetForm,
    SetPasswordForm,
    SignInForm,
    TwoFactorCodeForm,
)
from bigsociety.ratelimit import rate_limited

logger = logging.getLogger(__name__)


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link: limited per internet address and per email address."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    form_class = PasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs):
        if rate_limited(
            request,
            "password-reset",
            limit=settings.PASSWORD_RESETS_PER_HOUR_PER_ADDRESS,
            window=3600,
        ):
            return render(request, "accounts/too_many_requests.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        if rate_limited(
            self.request,
            "password-reset-email",
            limit=settings.PASSWORD_RESETS_PER_HOUR_PER_EMAIL,
            window=3600,
            key=email,
        ):
            # The same page as usual, so it does not tell anyone whether the address has
            # an account; no email, so nobody can flood someone's inbox with links.
            logger.warning("Password reset links for one address limited for an hour")
            return redirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def _next_url(request, default):
    """The ``next`` address when it is on this site, or ``default``."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return resolve_url(default)


# Re-authentication ---------------------------------------------------------------------


@sensitive_post_parameters("password")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def confirm_password(request):
    """ "Confirm your password" before a sensitive action, then back to it."""
    next_url = _next_url(request, "home")
    form = ConfirmPasswordForm(request.POST if request.method == "POST" else None, request=request)
    if request.method == "POST" and form.is_valid():
        request.session[SESSION_AUTHENTICATED_AT_KEY] = int(timezone.now().timestamp())
        return redirect(next_url)
    return render(request, "accounts/confirm_password.html", {"form": form, "next": next_url})


# Two-factor sign-in for the admin --------------------------------------------------------


def _with_query(url_name, request):
    query = request.GET.urlencode()
    return reverse(url_name) + (f"?{query}" if query else "")


def _staff_only(request):
    if not (request.user.is_active and request.user.is_staff):
        raise PermissionDenied


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Give a code from the authenticator app to use the admin."""
    _staff_only(request)
    next_url = _next_url(request, "admin:index")
    devices = list(devices_for_user(request.user, confirmed=True))
    if not devices:
        return redirect(_with_query("accounts:two_factor_setup", request))
    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None, devices=devices)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.device)
        return redirect(next_url)
    return render(request, "accounts/two_factor.html", {"form": form, "next": next_url})


def _qr_code(text):
    """An SVG picture of a QR code, as a data: address for an <img> (CSP allows it)."""
    svg = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _key_in_groups(device):
    """The secret key for typing into an app by hand: base32 in groups of 4."""
    key = base64.b32encode(device.bin_key).decode("ascii")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@never_cache
@login_required
@recent_authentication_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Set up an authenticator app: scan a QR code, then give a code to prove it works.

    Only for staff without a working app. Someone who has one gives a code from it
    instead, so a stolen password alone can never add a second app.
    """
    _staff_only(request)
    if user_has_device(request.user, confirmed=True):
        return redirect(_with_query("accounts:two_factor", request))
    next_url = _next_url(request, "admin:index")
    # The same unconfirmed device until it is confirmed, so reloading keeps the QR code.
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=request.user, name=_("Authenticator app"), confirmed=False
        )
    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None, devices=[device])
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
        otp_login(request, device)
        messages.success(request, _("Your authenticator app is set up"))
        return redirect(next_url)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            "qr_code": _qr_code(device.config_url),
            "key": _key_in_groups(device),
        },
    )
