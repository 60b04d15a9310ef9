from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

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


class PasswordResetForm(GovukFormMixin, auth_forms.PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Email address")
        self.fields["email"].help_text = _("We will send a link to reset your password.")

    def get_users(self, email):
        # Addresses are stored in lower case; match what the person typed regardless.
        return super().get_users(email.strip().lower())


class SetPasswordForm(GovukFormMixin, auth_forms.SetPasswordForm):
    pass


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
