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
