"""Forms for community groups (issue 4): registering a group and keeping its profile,
inviting members and changing their roles, capacity offers, and the officer's review.

Every form renders the GOV.UK way through ``GovukFormMixin``; the longer ones are laid
out in sections by their templates.
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bigsociety.forms import GovukDateField, GovukForm, GovukModelForm, HintedRadios, IntegerField
from bigsociety.templatetags.bigsociety import longdate
from mapping.identifiers import normalise_charity_number, normalise_company_number
from mapping.models import (
    CapacityOffer,
    Governance,
    IncomeBand,
    LegalForm,
    MembershipRole,
    OfferRole,
    Organisation,
    Skill,
    SupportNeed,
    Ward,
    Willingness,
    normalise_postcode,
)


def whole_number(label, *, required, invalid, negative, too_many, maximum):
    """A count typed in a text box (a number box would refuse "about 10" before the
    server could explain), from 0 to ``maximum``. The messages say which count."""
    return IntegerField(
        label=label,
        min_value=0,
        max_value=maximum,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
        error_messages={
            "required": required,
            "invalid": invalid,
            "min_value": negative,
            "max_value": too_many,
        },
    )


def version_field():
    """The hidden version a page was opened at. Only a tampered page lacks it."""
    problem = _("This page was out of date. Open it again from the start and try again")
    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": problem, "invalid": problem, "min_value": problem},
    )


class VersionedForm:
    """A form for a row with a ``version``: the version the person started from travels
    with the form, so a save from an older one can be refused instead of overwriting."""

    def set_version(self):
        """Only when changing a saved row: a new one has no version to compare."""
        if not self.instance.pk:
            return
        self.fields["version"] = version_field()
        if not self.is_bound:
            self.initial["version"] = self.instance.version

    def differences_from(self, current):
        """[(question, saved answer as text)] where the row as saved now differs from what
        this (valid) form holds: what a person must see after someone else saved first."""
        rows = []
        for name, field in self.fields.items():
            if name == "version" or name not in self.cleaned_data:
                continue
            mine, saved = self.cleaned_data[name], self.saved_value(current, name)
            if isinstance(field, forms.ModelMultipleChoiceField):
                if {item.pk for item in mine or []} != {item.pk for item in saved}:
                    text = ", ".join(str(item) for item in saved) or _("None")
                    rows.append((field.label, text))
                continue
            if (mine if mine not in ("", None) else None) == (
                saved if saved not in ("", None) else None
            ):
                continue
            rows.append((field.label, self.saved_text(current, name, saved)))
        return rows

    def saved_value(self, current, name):
        value = getattr(current, name)
        if hasattr(value, "all"):
            return list(value.all())
        return value

    def saved_text(self, current, name, value):
        display = getattr(current, f"get_{name}_display", None)
        if display:
            return display()
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if isinstance(value, datetime.date):
            return longdate(value)
        if value in ("", None):
            return _("Not given")
        return value


# Organisations -----------------------------------------------------------------------------

WHOLE_BOROUGH, SOME_WARDS = "borough", "wards"
# Digits with spaces, brackets, dashes and an optional leading +: 10 to 13 digits.
PHONE_CHARACTERS = re.compile(r"\+?[\d\s()-]+")


class OrganisationForm(VersionedForm, GovukModelForm):
    """Registering a group, and later changing its profile."""

    legal_form = forms.ChoiceField(
        label=_("What kind of group is it?"),
        choices=LegalForm.choices,
        widget=forms.RadioSelect,
        help_text=_("If you are not sure, choose 'Informal group'. You can change it later."),
        error_messages={
            "required": _("Select what kind of group it is"),
            "invalid_choice": _("Select what kind of group it is"),
        },
    )
    charity_number = forms.CharField(
        label=_("Registered charity number (if it has one)"),
        required=False,
        max_length=20,
        help_text=_(
            "England and Wales: 6 or 7 numbers, for example 1123456. "
            "Scotland: SC and 6 numbers. Northern Ireland: NIC and 6 numbers."
        ),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
        error_messages={"max_length": _("Enter the charity number in the right format")},
    )
    company_number = forms.CharField(
        label=_("Company number (if it has one)"),
        required=False,
        max_length=20,
        help_text=_("From Companies House: 8 characters, for example 01234567 or SC123456."),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
        error_messages={"max_length": _("Enter the company number in the right format")},
    )
    area = forms.ChoiceField(
        label=_("Where does your group work?"),
        choices=[(WHOLE_BOROUGH, _("Across the whole borough")), (SOME_WARDS, _("In some wards"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select where your group works"),
            "invalid_choice": _("Select where your group works"),
        },
    )
    wards_served = forms.ModelMultipleChoiceField(
        label=_("Which wards?"),
        queryset=Ward.objects.only("pk", "name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Tick each ward where the group is active."),
        error_messages={
            "invalid_choice": _("Select wards from the list"),
            "invalid_pk_value": _("Select wards from the list"),
        },
    )
    volunteers = whole_number(
        _("Number of volunteers"),
        required=_("Enter the number of volunteers, or 0"),
        invalid=_("Enter the number of volunteers as a whole number, for example 12"),
        negative=_("The number of volunteers cannot be less than 0"),
        too_many=_("Enter a number of volunteers up to 1,000,000"),
        maximum=1_000_000,
    )
    paid_staff = whole_number(
        _("Number of paid staff"),
        required=_("Enter the number of paid staff, or 0"),
        invalid=_("Enter the number of paid staff as a whole number, for example 2"),
        negative=_("The number of paid staff cannot be less than 0"),
        too_many=_("Enter a number of paid staff up to 1,000,000"),
        maximum=1_000_000,
    )
    income_band = forms.ChoiceField(
        label=_("Roughly how much money does the group have coming in each year?"),
        choices=IncomeBand.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select roughly how much the group has coming in"),
            "invalid_choice": _("Select roughly how much the group has coming in"),
        },
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=10,
        help_text=_("Where the group meets or is based, for example SE6 4RU."),
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "autocomplete": "postal-code"}
        ),
        error_messages={
            "required": _("Enter the postcode"),
            "max_length": _("Enter a real postcode, for example SE6 4RU"),
        },
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "legal_form",
            "charity_number",
            "company_number",
            "description",
            "area",
            "wards_served",
            "volunteers",
            "paid_staff",
            "income_band",
            "address",
            "postcode",
            "website",
            "contact_name",
            "contact_email",
            "contact_phone",
            "publish_contact",
        ]
        labels = {
            "name": _("Name of the group"),
            "description": _("What does the group do?"),
            "address": _("Address (optional)"),
            "website": _("Website (optional)"),
            "contact_name": _("Contact name"),
            "contact_email": _("Contact email address"),
            "contact_phone": _("Contact phone number (optional)"),
            "publish_contact": _("Show these contact details in the public directory"),
        }
        help_texts = {
            "name": _("As people know it, for example Friends of Hilly Fields."),
            "description": _(
                "A few sentences: who you help, what you do and how often. "
                "This is shown in the public directory once the council has checked the group."
            ),
            "address": _("Leave it empty if the group has no address of its own."),
            "website": _("Or a social media page."),
            "contact_name": _("Who the council and the public should contact."),
            "contact_phone": _("For example 020 7946 0123 or 07700 900 123."),
            "publish_contact": _(
                "If you leave this unticked, the directory tells people to contact the "
                "council instead."
            ),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "address": forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "contact_email": forms.EmailInput(
                attrs={"autocomplete": "email", "spellcheck": "false"}
            ),
            "contact_phone": forms.TextInput(
                attrs={"autocomplete": "tel", "class": "govuk-input--width-20", "type": "tel"}
            ),
        }
        error_messages = {
            "name": {
                "required": _("Enter the name of the group"),
                "max_length": _("The name must be 200 characters or fewer"),
            },
            "description": {"required": _("Say what the group does")},
            "address": {"max_length": _("The address must be 300 characters or fewer")},
            "website": {
                "invalid": _("Enter a web address, for example https://www.example.org"),
                "max_length": _("The web address must be 200 characters or fewer"),
            },
            "contact_name": {
                "required": _("Enter the name of the person to contact"),
                "max_length": _("The contact name must be 150 characters or fewer"),
            },
            "contact_email": {
                "required": _("Enter the contact email address"),
                "invalid": _(
                    "Enter an email address in the correct format, like name@example.com"
                ),
            },
            "contact_phone": {
                "max_length": _("Enter a phone number, for example 020 7946 0123"),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].required = True
        self.fields["contact_name"].required = True
        self.fields["contact_email"].required = True
        self.fields["description"].validators.append(
            MaxLengthValidator(
                3000, message=_("Say what the group does in 3,000 characters or fewer")
            )
        )
        self.set_version()
        if self.instance.pk and not self.is_bound:
            self.initial["area"] = (
                WHOLE_BOROUGH if self.instance.serves_whole_borough else SOME_WARDS
            )

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_charity_number(self):
        return self._registered_number(
            "charity_number",
            normalise_charity_number,
            wrong_format=_(
                "Enter the charity number in the right format: 6 or 7 numbers, for "
                "example 1123456, or SC or NIC and 6 numbers"
            ),
            taken=_(
                "A group with the charity number %(number)s is already registered. If "
                "you are part of it, ask one of its members to invite you, or contact "
                "the council"
            ),
        )

    def clean_company_number(self):
        return self._registered_number(
            "company_number",
            normalise_company_number,
            wrong_format=_(
                "Enter the company number in the right format: 8 numbers, or 2 letters "
                "and 6 numbers, for example 01234567 or SC123456"
            ),
            taken=_(
                "A group with the company number %(number)s is already registered. If "
                "you are part of it, ask one of its members to invite you, or contact "
                "the council"
            ),
        )

    def _registered_number(self, name, normalise, *, wrong_format, taken):
        """A charity or company number as the register writes it ("" when left blank),
        refused when it is not one or another group already has it."""
        text = self.cleaned_data[name]
        if not text.strip():
            return ""
        number = normalise(text)
        if number is None:
            raise ValidationError(wrong_format)
        others = Organisation.objects.filter(**{name: number})
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(taken % {"number": number})
        return number

    def clean_postcode(self):
        postcode = normalise_postcode(self.cleaned_data["postcode"])
        if postcode is None:
            raise ValidationError(_("Enter a real postcode, for example SE6 4RU"))
        return postcode

    def clean_contact_phone(self):
        phone = self.cleaned_data["contact_phone"].strip()
        digits = re.sub(r"\D", "", phone)
        if phone and not (PHONE_CHARACTERS.fullmatch(phone) and 10 <= len(digits) <= 13):
            raise ValidationError(
                _("Enter a phone number, for example 020 7946 0123 or 07700 900 123")
            )
        return " ".join(phone.split())

    def clean(self):
        cleaned = super().clean()
        area = cleaned.get("area")
        if area == WHOLE_BOROUGH:
            cleaned["wards_served"] = Ward.objects.none()
        elif (
            area == SOME_WARDS
            and not cleaned.get("wards_served")
            and "wards_served" not in self.errors
        ):
            self.add_error(
                "wards_served",
                _("Select the wards where the group works, or choose the whole borough"),
            )
        if area:
            self.instance.serves_whole_borough = area == WHOLE_BOROUGH
        return cleaned

    def saved_value(self, current, name):
        if name == "area":
            return WHOLE_BOROUGH if current.serves_whole_borough else SOME_WARDS
        return super().saved_value(current, name)

    def saved_text(self, current, name, value):
        if name == "area":
            return dict(self.fields["area"].choices)[value]
        return super().saved_text(current, name, value)

    # The columns the form changes (a profile save leaves the officer's review alone).
    def changed_columns(self):
        return [name for name in self.Meta.fields if name not in ("area", "wards_served")] + [
            "serves_whole_borough"
        ]


# Members ---------------------------------------------------------------------------------

ROLE_HINTS = {
    MembershipRole.OWNER: _(
        "Can do everything, including inviting and removing members and changing their roles."
    ),
    MembershipRole.EDITOR: _(
        "Can change the group's details and its offers, but not who manages the group."
    ),
}


class InvitationForm(GovukForm):
    email = forms.EmailField(
        label=_("Their email address"),
        help_text=_("We will email them a link to join. It works for 14 days."),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter their email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
            "max_length": _("The email address must be 254 characters or fewer"),
        },
    )
    role = forms.ChoiceField(
        label=_("What can they do?"),
        choices=MembershipRole.choices,
        initial=MembershipRole.EDITOR,
        widget=HintedRadios(hints=ROLE_HINTS),
        error_messages={
            "required": _("Select what they can do"),
            "invalid_choice": _("Select what they can do"),
        },
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if self.organisation.memberships.filter(user__email=email).exists():
            raise ValidationError(
                _("%(email)s already helps manage this group") % {"email": email}
            )
        open_invitation = (
            self.organisation.invitations.open()
            .filter(email=email)
            .order_by("-created_at")
            .first()
        )
        if open_invitation is not None:
            raise ValidationError(
                _(
                    "%(email)s was invited on %(date)s and has until %(expires)s to accept. "
                    "Cancel that invitation first to send a new one"
                )
                % {
                    "email": email,
                    "date": longdate(timezone.localtime(open_invitation.created_at)),
                    "expires": longdate(timezone.localtime(open_invitation.expires_at)),
                }
            )
        return email


class MemberRoleForm(GovukForm):
    role = forms.ChoiceField(
        label=_("What can they do?"),
        choices=MembershipRole.choices,
        widget=HintedRadios(hints=ROLE_HINTS),
        error_messages={
            "required": _("Select what they can do"),
            "invalid_choice": _("Select what they can do"),
        },
    )


# Capacity offers -------------------------------------------------------------------------

WILLINGNESS_HINTS = {
    Willingness.ALREADY_DELIVERING: _("The group does this now, in some or all of these wards."),
    Willingness.READY_NOW: _("The group could start soon without help from the council."),
    Willingness.READY_WITH_SUPPORT: _(
        "The group could do it if the council helps, for example with training, funding "
        "or premises."
    ),
    Willingness.EXPLORING: _("The group is interested and would like to find out more."),
    Willingness.NOT_INTERESTED: _(
        "The group has thought about it and does not want to do it. Telling us helps too."
    ),
}
ROLE_IN_SERVICE_HINTS = {
    OfferRole.RUN_SERVICE: _("The group would run it, under an agreement with the council."),
    OfferRole.CO_PRODUCE: _("The group would plan and deliver it together with the council."),
    OfferRole.VOLUNTEER: _("Council staff stay in charge; the group's volunteers help them."),
    OfferRole.SELF_HELP: _("People who use the service support each other, with the group."),
    OfferRole.RUN_ASSET: _("The group would look after and open a building or space."),
}
EVERYWHERE, SOME = "everywhere", "some"
MAX_HOURS = 100_000
MAX_YEARS_AHEAD = 10


class CapacityOfferForm(VersionedForm, GovukModelForm):
    """What a group could do for one service, and where."""

    where = forms.ChoiceField(
        label=_("Where could the group help?"),
        choices=[(EVERYWHERE, ""), (SOME, _("In some of these wards"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select where the group could help"),
            "invalid_choice": _("Select where the group could help"),
        },
    )
    wards = forms.ModelMultipleChoiceField(
        label=_("Which wards?"),
        queryset=Ward.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Tick each ward where the group could help."),
        error_messages={
            "invalid_choice": _("Select wards from the list"),
            "invalid_pk_value": _("Select wards from the list"),
        },
    )
    willingness = forms.ChoiceField(
        label=_("How ready is the group?"),
        choices=Willingness.choices,
        widget=HintedRadios(hints=WILLINGNESS_HINTS),
        error_messages={
            "required": _("Select how ready the group is"),
            "invalid_choice": _("Select how ready the group is"),
        },
    )
    role = forms.ChoiceField(
        label=_("What would the group do?"),
        choices=OfferRole.choices,
        widget=HintedRadios(hints=ROLE_IN_SERVICE_HINTS),
        error_messages={
            "required": _("Select what the group would do"),
            "invalid_choice": _("Select what the group would do"),
        },
    )
    volunteer_hours_per_month = whole_number(
        _("Volunteer hours a month"),
        required=_("Enter the volunteer hours a month, or 0"),
        invalid=_("Enter the volunteer hours a month as a whole number, for example 20"),
        negative=_("Volunteer hours cannot be less than 0"),
        too_many=_("Enter volunteer hours a month up to 100,000"),
        maximum=MAX_HOURS,
    )
    volunteers = whole_number(
        _("Number of volunteers"),
        required=_("Enter the number of volunteers, or 0"),
        invalid=_("Enter the number of volunteers as a whole number, for example 5"),
        negative=_("The number of volunteers cannot be less than 0"),
        too_many=_("Enter a number of volunteers up to 1,000,000"),
        maximum=1_000_000,
    )
    skills = forms.ModelMultipleChoiceField(
        label=_("Skills the volunteers bring (optional)"),
        queryset=Skill.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": _("Select skills from the list"),
            "invalid_pk_value": _("Select skills from the list"),
        },
    )
    preferred_governance = forms.ChoiceField(
        label=_("In the long run, who should be in charge of the service?"),
        choices=Governance.choices,
        initial=Governance.NO_PREFERENCE,
        widget=forms.RadioSelect,
        help_text=_(
            "An arm's-length body is an organisation separate from the council, such as a "
            "charity, a mutual or a social enterprise."
        ),
        error_messages={
            "required": _("Select who should be in charge, or 'No preference'"),
            "invalid_choice": _("Select who should be in charge, or 'No preference'"),
        },
    )
    earliest_start = GovukDateField(
        label=_("When could the group start? (optional)"),
        required=False,
        help_text=_(
            "The earliest date, for example 1 9 2026. Leave it empty if you are not sure."
        ),
    )
    support_needed = forms.ModelMultipleChoiceField(
        label=_("What help would the group need from the council? (optional)"),
        queryset=SupportNeed.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": _("Select help from the list"),
            "invalid_pk_value": _("Select help from the list"),
        },
    )

    class Meta:
        model = CapacityOffer
        fields = [
            "where",
            "wards",
            "willingness",
            "role",
            "volunteer_hours_per_month",
            "volunteers",
            "skills",
            "preferred_governance",
            "earliest_start",
            "support_needed",
            "conditions",
        ]
        labels = {"conditions": _("Anything the council should know? (optional)")}
        help_texts = {
            "conditions": _(
                "For example conditions the group would set, or when it could not help."
            ),
        }
        widgets = {"conditions": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, service, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service
        self.set_version()
        covered = list(service.ward_list)
        current = list(self.instance.wards.all()) if self.instance.pk else []
        # The wards the service covers, and any the offer already names (a ward the
        # service stopped covering must not vanish from an offer unnoticed).
        choices = {ward.pk: ward for ward in covered + current}
        self.covered_ids = {ward.pk for ward in covered}
        if covered:
            self.fields["where"].choices = [
                (
                    EVERYWHERE,
                    _("Everywhere the service runs (%(count)s wards)") % {"count": len(covered)},
                ),
                (SOME, _("In some of these wards")),
            ]
        else:
            # The service names no wards yet: the group picks from every ward.
            del self.fields["where"]
            choices = {ward.pk: ward for ward in Ward.objects.only("pk", "name")}
            self.fields["wards"].required = True
            self.fields["wards"].error_messages["required"] = _(
                "Select the wards where the group could help"
            )
        self.fields["wards"].queryset = Ward.objects.filter(pk__in=choices).only("pk", "name")
        self.fields["wards"].choices = [
            (ward.pk, ward.name) for ward in sorted(choices.values(), key=lambda w: w.name)
        ]
        self.fields["conditions"].validators.append(
            MaxLengthValidator(3000, message=_("Write 3,000 characters or fewer"))
        )
        if not self.is_bound and "where" in self.fields and self.instance.pk:
            named = {ward.pk for ward in current}
            self.initial["where"] = EVERYWHERE if named == self.covered_ids else SOME
            self.initial["wards"] = [ward.pk for ward in current]

    def clean_earliest_start(self):
        start = self.cleaned_data["earliest_start"]
        today = timezone.localdate()
        if start and start.year < 1900:
            raise ValidationError(_("Enter a date after 1900"))
        if start and start > today.replace(year=today.year + MAX_YEARS_AHEAD, day=1):
            raise ValidationError(
                _("Enter a date in the next %(years)s years") % {"years": MAX_YEARS_AHEAD}
            )
        return start

    def clean(self):
        cleaned = super().clean()
        where = cleaned.get("where")
        if where == EVERYWHERE:
            cleaned["wards"] = self.fields["wards"].queryset.filter(pk__in=self.covered_ids)
        elif where == SOME and not cleaned.get("wards") and "wards" not in self.errors:
            self.add_error(
                "wards",
                _("Select the wards where the group could help, or choose everywhere"),
            )
        return cleaned

    def saved_value(self, current, name):
        if name == "where":
            named = {ward.pk for ward in current.wards.all()}
            return EVERYWHERE if named == self.covered_ids else SOME
        return super().saved_value(current, name)

    def saved_text(self, current, name, value):
        if name == "where":
            return dict(self.fields["where"].choices)[value]
        return super().saved_text(current, name, value)

    def differences_from(self, current):
        rows = super().differences_from(current)
        if current.withdrawn_at:
            rows.insert(
                0,
                (
                    _("Withdrawn"),
                    _("Withdrawn on %(date)s")
                    % {"date": longdate(timezone.localtime(current.withdrawn_at))},
                ),
            )
        return rows


# Officer review --------------------------------------------------------------------------

VERIFY, REJECT = "verify", "reject"


class ReviewForm(GovukForm):
    decision = forms.ChoiceField(
        label=_("Should the council verify this group?"),
        choices=[
            (VERIFY, _("Verify the group: its offers count in the gap analysis")),
            (REJECT, _("Reject the group")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select verify or reject"),
            "invalid_choice": _("Select verify or reject"),
        },
    )
    reason = forms.CharField(
        label=_("Why are you rejecting it?"),
        help_text=_(
            "The group's owners are sent this by email, so write it to them: say what they "
            "could do about it."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Write the reason in 2,000 characters or fewer")},
    )
    version = version_field()

    def clean(self):
        cleaned = super().clean()
        reason = cleaned.get("reason", "").strip()
        cleaned["reason"] = reason
        if cleaned.get("decision") == REJECT and not reason and "reason" not in self.errors:
            self.add_error("reason", _("Enter the reason for rejecting the group"))
        if cleaned.get("decision") == VERIFY:
            cleaned["reason"] = ""
        return cleaned
