import base64
import logging
from urllib.parse import urlencode

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
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.actions import account_create
from accounts.decorators import SESSION_AUTHENTICATED_AT_KEY, recent_authentication_required
from accounts.forms import (
    ConfirmPasswordForm,
    PasswordResetForm,
    SetPasswordForm,
    SignInForm,
    SignUpForm,
    TwoFactorCodeForm,
)
from accounts.models import User
from accounts.tokens import LinkExpired, LinkInvalid, confirmation_token, user_for_confirmation
from bigsociety.mail import send_email
from bigsociety.ratelimit import rate_limited, too_many_requests

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
            return too_many_requests(request, "password_reset")
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


# Sign-up and email confirmation (issue 4) ---------------------------------------------
#
# The answer to a sign-up is the same whether or not the address already has an
# account ("check your email"), so the form cannot be used to find out who is
# registered; the email says which it is.

SIGN_UP_EMAIL_KEY = "sign_up_email"

EMAIL_FAILED = _(
    "We could not send the email just now. Wait a few minutes, then ask for it again below."
)


def safe_next(request, url):
    """``url`` if it is a path on this site, else "" (never an open redirect)."""
    on_this_site = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()})
    if url and url.startswith("/") and not url.startswith("//") and on_this_site:
        return url
    return ""


def _confirmation_link(user, next_url=""):
    link = reverse("accounts:confirm_email", args=[confirmation_token(user)])
    if next_url:
        link += "?" + urlencode({"next": next_url})
    return link


def send_confirmation_email(*, user, next_url=""):
    """Email the address its confirmation link or, if it is confirmed already, a note
    that the account exists. True if the email was handed to the mail server."""
    if user.email_confirmed_at is None:
        return send_email(
            to=[user.email],
            subject_template="accounts/email/confirm_email_subject.txt",
            body_template="accounts/email/confirm_email.txt",
            context={
                "user": user,
                "link": _confirmation_link(user, next_url),
                "days": settings.ACCOUNT_CONFIRMATION_MAX_AGE // 86400,
            },
        )
    return send_email(
        to=[user.email],
        subject_template="accounts/email/already_registered_subject.txt",
        body_template="accounts/email/already_registered.txt",
        context={"user": user},
    )


def _emails_to_address_limited(request, email):
    return rate_limited(
        request,
        "confirmation-email",
        key=email,
        limit=settings.CONFIRMATION_EMAILS_PER_HOUR,
        window=3600,
    )


@require_http_methods(["GET", "POST"])
def sign_up(request):
    if request.user.is_authenticated:
        return redirect("mapping:my_groups")
    form = SignUpForm(
        request.POST if request.method == "POST" else None,
        initial={"next": safe_next(request, request.GET.get("next", ""))},
    )
    if request.method == "POST" and form.is_valid():
        if rate_limited(request, "sign-up", limit=settings.SIGN_UPS_PER_HOUR, window=3600):
            return too_many_requests(request, "sign_up")
        email = form.cleaned_data["email"]
        if _emails_to_address_limited(request, email):
            return too_many_requests(request, "emails")
        user = account_create(
            email=email,
            full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["password"],
            # The form is valid only with the privacy notice agreed to.
            privacy_agreed_at=timezone.now(),
        )
        sent = send_confirmation_email(
            user=user, next_url=safe_next(request, form.cleaned_data["next"])
        )
        request.session[SIGN_UP_EMAIL_KEY] = email
        if not sent:
            messages.warning(request, EMAIL_FAILED)
        return redirect("accounts:check_email")
    return render(request, "accounts/sign_up.html", {"form": form})


@require_safe
def check_email(request):
    email = request.session.get(SIGN_UP_EMAIL_KEY, "")
    if request.user.is_authenticated:
        if request.user.email_confirmed_at:
            return redirect("mapping:my_groups")
        email = request.user.email
    return render(
        request,
        "accounts/check_email.html",
        {"email": email, "days": settings.ACCOUNT_CONFIRMATION_MAX_AGE // 86400},
    )


@require_POST
def resend_confirmation(request):
    """Send the confirmation email again: to the signed-in person, or to the address
    this browser signed up with."""
    if request.user.is_authenticated:
        if request.user.email_confirmed_at:
            messages.info(request, _("Your email address is already confirmed."))
            return redirect("mapping:my_groups")
        user = request.user
    else:
        email = request.session.get(SIGN_UP_EMAIL_KEY)
        user = User.objects.filter(email=email, is_active=True).first() if email else None
        if user is None:
            # Nothing to send again from this browser: start again.
            return redirect("accounts:sign_up")
    if _emails_to_address_limited(request, user.email):
        return too_many_requests(request, "emails")
    if send_confirmation_email(user=user):
        messages.success(request, _("We have sent the email again"))
    else:
        messages.warning(request, EMAIL_FAILED)
    return redirect("accounts:check_email")


@require_safe
def confirm_email(request, token):
    """Confirm the address the link was sent to. Following the link is the proof, so a
    GET does it (mail apps open links with GET); it changes nothing else and can be
    repeated."""
    next_url = safe_next(request, request.GET.get("next", ""))
    try:
        user = user_for_confirmation(token)
    except LinkExpired:
        return render(
            request,
            "accounts/confirm_link_problem.html",
            {"expired": True, "days": settings.ACCOUNT_CONFIRMATION_MAX_AGE // 86400},
            status=410,
        )
    except LinkInvalid:
        return render(
            request, "accounts/confirm_link_problem.html", {"expired": False}, status=404
        )
    user.confirm_email()
    after = next_url or reverse("mapping:organisation_register")
    if request.user.is_authenticated and request.user.pk == user.pk:
        messages.success(request, _("Your email address is confirmed"))
        return redirect(after)
    return render(
        request,
        "accounts/email_confirmed.html",
        {
            "confirmed": user,
            "sign_in_url": reverse("accounts:sign_in") + "?" + urlencode({"next": after}),
        },
    )


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
