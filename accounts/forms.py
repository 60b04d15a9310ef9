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
