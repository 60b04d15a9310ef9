from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from bigsociety.forms import GovukFormMixin


class SignInForm(GovukFormMixin, auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Enter the email address and password for your account. The password is "
            "case-sensitive."
        ),
        "inactive": _("This account has been closed."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Email address")
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autocomplete": "email", "spellcheck": "false", "class": "govuk-input"}
        )
        self.fields["password"].widget.attrs["class"] = "govuk-input"

    def clean_username(self):
        # Django sets the field's max_length after the field is made, so nothing checks
        # it; an over-long address would reach the sign-in log (a 255-character column)
        # and fail there on PostgreSQL. Found by fuzzing.
        username = self.cleaned_data["username"]
        if len(username) > User._meta.get_field("email").max_length:
            raise forms.ValidationError(
                _("Enter an email address of 254 characters or fewer"), code="max_length"
            )
        return username


class PasswordResetForm(GovukFormMixin, auth_forms.PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Email address")
        self.fields["email"].help_text = _("We will send a link to reset your password.")

    def get_users(self, email):
        # Addresses are stored in lower case; match what the person typed regardless.
        return super().get_users(email.strip().lower())


class SetPasswordForm(GovukFormMixin, auth_forms.SetPasswordForm):
    def save(self, commit=True):
        # The reset link came to the address, so following it confirms the address too:
        # someone whose address was signed up by another person can take it back.
        if self.user.email_confirmed_at is None:
            self.user.email_confirmed_at = timezone.now()
        return super().save(commit)


# Sign-up (issue 4) ---------------------------------------------------------------------


# Django's password rules, in plain words.
PASSWORD_PROBLEMS = {
    "password_too_short": _("Your password must be at least 12 characters long"),
    "password_too_common": _(
        "This password is one of the most common, so it is easy to guess: choose another"
    ),
    "password_entirely_numeric": _("Your password cannot be only numbers"),
    "password_too_similar": _("Your password is too like your name or email address"),
}


class SignUpForm(GovukFormMixin, forms.Form):
    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=150,
        error_messages={
            "required": _("Enter your full name"),
            "max_length": _("Your name must be 150 characters or fewer"),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We will send you a link to confirm it. You will sign in with it."),
        max_length=254,
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
            "max_length": _("Your email address must be 254 characters or fewer"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("Create a password"),
        help_text=_(
            "At least 12 characters. A few words you will remember is easier to type on a "
            "phone than a short jumble, for example: orange bicycle lamp river."
        ),
        strip=False,
        max_length=128,
        error_messages={
            "required": _("Create a password"),
            "max_length": _("Your password must be 128 characters or fewer"),
        },
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    agree_privacy = forms.BooleanField(
        label=_("I have read the privacy notice and agree to my details being used as it says"),
        error_messages={
            "required": _("Tick the box to say you agree to the privacy notice"),
        },
    )
    # Where to go once the address is confirmed: an invitation the person followed here.
    next = forms.CharField(required=False, widget=forms.HiddenInput, max_length=500)

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter your full name"))
        return name

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            # The settings' rules: 12 characters or more, not a common password, not all
            # numbers, not too like the person's name or email address.
            candidate = User(
                email=cleaned.get("email") or "", full_name=cleaned.get("full_name") or ""
            )
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                for problem in error.error_list:
                    self.add_error(
                        "password", PASSWORD_PROBLEMS.get(problem.code, " ".join(problem.messages))
                    )
        return cleaned


class ConfirmPasswordForm(GovukFormMixin, forms.Form):
    """The signed-in person's password, asked again before a sensitive action.

    Checked through ``authenticate()``, so wrong passwords count towards the sign-in
    lockout like any other.
    """

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password")},
    )

    def __init__(self, *args, request, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self):
        from django.contrib.auth import authenticate

        password = self.cleaned_data["password"]
        user = self.request.user
        checked = authenticate(self.request, username=user.email, password=password)
        if checked is None or checked.pk != user.pk:
            raise forms.ValidationError(
                _("The password is not right. It is case-sensitive."), code="wrong_password"
            )
        return password


class TwoFactorCodeForm(GovukFormMixin, forms.Form):
    """A 6-digit code from an authenticator app."""

    code = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("The 6 digits the app shows now. A new code appears every 30 seconds."),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input govuk-input--width-10",
            }
        ),
        error_messages={"required": _("Enter the 6-digit code from your authenticator app")},
    )

    def __init__(self, *args, devices, **kwargs):
        self.devices = devices
        self.device = None
        super().__init__(*args, **kwargs)

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError(
                _("Enter the code as 6 digits, for example 123456"), code="format"
            )
        for device in self.devices:
            allowed, _details = device.verify_is_allowed()
            if not allowed:
                raise forms.ValidationError(
                    _("Too many wrong codes. Wait a minute, then enter the code shown now."),
                    code="throttled",
                )
            if device.verify_token(code):
                self.device = device
                return code
        raise forms.ValidationError(
            _("The code is not right. Enter the code your app shows now."), code="wrong_code"
        )
