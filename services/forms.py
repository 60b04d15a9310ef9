"""Forms for the service catalogue (issue 5) and the handover pipeline (issue 7)."""

import datetime
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from bigsociety.forms import (
    DecimalField,
    GovukDateField,
    GovukForm,
    GovukModelForm,
    HintedRadios,
    ModelMultipleChoiceField,
)
from bigsociety.templatetags.bigsociety import longdate
from mapping.models import CapacityOffer, Organisation, SupportNeed, Ward, normalise_postcode
from services.acv import DECLARATION, Eligibility, bidding_eligibility
from services.models import (
    EOI_REASON_REQUIRED,
    AcvNomination,
    Asset,
    AssetType,
    DeliveryModel,
    EoiStatus,
    ExpressionOfInterest,
    HandoverAgreement,
    NominationStatus,
    PartnerStatus,
    Rating,
    ReturnFrequency,
    ReviewStatus,
    RiskTier,
    Route,
    Service,
)
from services.periods import add_months


class MoneyField(DecimalField):
    """Pounds as people type them: "£25,000", "-25000" or "- £1,500.50" (a comma only
    between thousands: "1,5" is refused, not read as £15)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)
        self.error_messages |= {
            "invalid": _("Enter an amount in pounds, for example 25000 or -25000"),
            "max_decimal_places": _(
                "Enter pounds and pence, with at most 2 numbers after the point"
            ),
            "max_digits": _("Enter an amount under £10,000,000,000"),
            "max_whole_digits": _("Enter an amount under £10,000,000,000"),
        }

    def prepare_value(self, value):
        # Show whole pounds as people write them: 25000, not 25000.00.
        if isinstance(value, Decimal) and value == value.to_integral_value():
            return str(value.quantize(Decimal(1)))
        return value

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("£", "")
        return super().to_python(value)


class ServiceForm(GovukModelForm):
    # The version the officer started from: a save from an older one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    annual_cost = MoneyField(
        label=_("Annual cost (£)"),
        required=False,
        min_value=0,
        help_text=_("What the service costs the council a year, in pounds."),
        error_messages={"min_value": _("The annual cost cannot be negative: enter 0 or more")},
    )
    planned_budget_change = MoneyField(
        label=_("Planned budget change (£ a year)"),
        required=False,
        help_text=_("Negative for a cut, for example -25000. Leave empty for no change."),
    )
    wards = ModelMultipleChoiceField(
        label=_("Wards covered"),
        queryset=Ward.objects.only("pk", "name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "The wards where the service is delivered. Each is a cell of the gap analysis."
        ),
    )
    lead_officer = forms.ModelChoiceField(
        label=_("Lead officer"),
        queryset=User.objects.officers().order_by("full_name"),
        required=False,
        empty_label=_("No lead officer"),
    )

    class Meta:
        model = Service
        fields = [
            "name",
            "category",
            "providing_body",
            "lgsl_code",
            "description",
            "annual_cost",
            "planned_budget_change",
            "statutory_duty",
            "risk_tier",
            "delivery_model",
            "review_status",
            "wards",
            "volunteer_hours_needed",
            "lead_officer",
            "published",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "risk_tier": forms.RadioSelect,
            "review_status": forms.RadioSelect,
        }
        help_texts = {
            "risk_tier": _(
                'High-risk ("hard-edged") services count only groups offering to co-produce, '
                "volunteer alongside staff or run self-help."
            ),
            "volunteer_hours_needed": _(
                "Across all the wards it covers. The gap analysis splits it equally over them."
            ),
        }
        error_messages = {
            "name": {"required": _("Enter the name of the service")},
            "category": {"required": _("Select a category")},
            "risk_tier": {"required": _("Select how risky the service is to hand over")},
            "volunteer_hours_needed": {
                "required": _("Enter the volunteer hours it needs a month, or 0"),
                "invalid": _("Enter the volunteer hours as a whole number, for example 40"),
                "min_value": _("Volunteer hours cannot be negative: enter 0 or more"),
            },
            "lgsl_code": {
                "invalid": _("Enter the LGA Service List code as a number"),
                "min_value": _("Enter the LGA Service List code as a number above 0"),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].empty_label = _("Select a category")
        self.fields["risk_tier"].choices = RiskTier.choices
        self.fields["review_status"].choices = ReviewStatus.choices
        self.fields["volunteer_hours_needed"].widget.attrs.update(
            {"class": "govuk-input govuk-input--width-5", "inputmode": "numeric"}
        )
        self.fields["lgsl_code"].widget.attrs.update(
            {"class": "govuk-input govuk-input--width-5", "inputmode": "numeric"}
        )
        for name in ("annual_cost", "planned_budget_change"):
            self.fields[name].widget = forms.TextInput(
                attrs={"class": "govuk-input govuk-input--width-10", "inputmode": "decimal"}
            )
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean_volunteer_hours_needed(self):
        hours = self.cleaned_data["volunteer_hours_needed"]
        if hours is not None and hours < 0:
            raise ValidationError(_("Volunteer hours cannot be negative: enter 0 or more"))
        if hours is not None and hours > 1_000_000:
            raise ValidationError(_("Enter volunteer hours a month under 1,000,000"))
        return hours

    def clean_lgsl_code(self):
        code = self.cleaned_data["lgsl_code"]
        if code is not None and code < 1:
            raise ValidationError(_("Enter the LGA Service List code as a number above 0"))
        if code is not None and code > 99_999:
            raise ValidationError(_("Enter the LGA Service List code: at most 5 digits"))
        return code

    def clean_planned_budget_change(self):
        change = self.cleaned_data["planned_budget_change"]
        return Decimal(0) if change is None else change

    def clean(self):
        cleaned = super().clean()
        name, category = cleaned.get("name"), cleaned.get("category")
        if name and category:
            clash = Service.objects.filter(category=category, name__iexact=name.strip())
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "name",
                    _("There is already a service called “%(name)s” in %(category)s")
                    % {"name": name, "category": category},
                )
        return cleaned

    def differences_from(self, current):
        """[(label, saved value as text)] for each field where the service as saved now
        differs from what this form holds: what an officer must see after someone else
        saved first. Call on a valid form."""
        rows = []
        for name in self.Meta.fields:
            mine = self.cleaned_data.get(name)
            if name == "wards":
                saved = list(current.wards.all())
                if {w.pk for w in mine or []} != {w.pk for w in saved}:
                    rows.append((self.fields[name].label, ", ".join(w.name for w in saved)))
                continue
            saved = getattr(current, name)
            if (mine if mine not in ("", None) else None) == (
                saved if saved not in ("", None) else None
            ):
                continue
            display = getattr(current, f"get_{name}_display", None)
            text = display() if display else saved
            if isinstance(text, bool):
                text = _("Yes") if text else _("No")
            rows.append((self.fields[name].label, text))
        return rows


# Handover: expressions of interest, decisions, agreements, returns, Assets of Community
# Value (issue 7) ------------------------------------------------------------------------------

LONG_TEXT = 10_000


def _limit(field, limit=LONG_TEXT):
    field.max_length = limit
    field.validators.append(
        MaxLengthValidator(
            limit,
            message=_("Keep it to %(limit)s characters or fewer") % {"limit": f"{limit:,}"},
        )
    )


def _add_field(form, name, field):
    """Add a field after the form is built, made GOV.UK like the others."""
    form.govuk_field(field)
    form.fields[name] = field


ROUTE_HINTS = {
    Route.RIGHT_TO_CHALLENGE: _(
        "Ask to run a council service yourselves (Localism Act 2011). The council must "
        "consider it, and may then open the service to bids."
    ),
    Route.ASSET_TRANSFER: _(
        "Ask to take over a council building or piece of land, on a lease or for good, and "
        "run it for the community."
    ),
    Route.CO_PRODUCTION: _(
        "Plan and run the service together with the council, which stays responsible for it."
    ),
    Route.VOLUNTEERING: _("Your volunteers help alongside council staff, who still run it."),
}
# Routes that only make sense for one kind of subject.
ROUTE_NEEDS = {Route.RIGHT_TO_CHALLENGE: "service", Route.ASSET_TRANSFER: "asset"}
OPEN_STATUSES = [EoiStatus.DRAFT, EoiStatus.SUBMITTED, EoiStatus.UNDER_REVIEW, EoiStatus.ACCEPTED]


def subject_choices():
    """Services (those open to expressions of interest first) and council-owned buildings
    and land, as one grouped list: "service:12", "asset:3"."""
    services = Service.objects.published().select_related("category").order_by("name")
    open_now = [(f"service:{s.pk}", s.name) for s in services if s.review_status == "open_to_eoi"]
    others = [(f"service:{s.pk}", s.name) for s in services if s.review_status != "open_to_eoi"]
    assets = [
        (f"asset:{a.pk}", f"{a.name} ({a.ward.name})")
        for a in Asset.objects.filter(owned_by_council=True).select_related("ward")
    ]
    return [
        ("", _("Choose a service, building or piece of land")),
        (_("Services open to expressions of interest"), open_now),
        (_("Other council services"), others),
        (_("Council buildings and land"), assets),
    ]


class EoiForm(GovukModelForm):
    # The version the group started from: a save from an older one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    subject = forms.ChoiceField(
        label=_("What is it for?"),
        help_text=_("A council service, or a council building or piece of land."),
        error_messages={"required": _("Choose the service, building or land it is for")},
    )
    offers = ModelMultipleChoiceField(
        queryset=CapacityOffer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Which of your group's offers does it build on?"),
        help_text=_("The offers of help your group has recorded. Choose any that apply."),
    )
    support_requested = ModelMultipleChoiceField(
        queryset=SupportNeed.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("What support would you need from the council?"),
    )

    class Meta:
        model = ExpressionOfInterest
        fields = ["route", "proposal", "capacity_evidence", "offers", "support_requested"]
        fields += ["support_notes"]
        widgets = {
            "route": HintedRadios(hints=ROUTE_HINTS),
            "proposal": forms.Textarea(attrs={"rows": 6}),
            "capacity_evidence": forms.Textarea(attrs={"rows": 4}),
            "support_notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "route": _("How do you want to be involved?"),
            "proposal": _("What do you propose?"),
            "capacity_evidence": _("What capacity does your group bring?"),
            "support_notes": _("Anything more about the support you need (optional)"),
        }
        help_texts = {
            "proposal": _(
                "What your group would do, where and when, and what would change for the "
                "people who use it."
            ),
            "capacity_evidence": _(
                "Volunteers, staff, skills, experience of running something similar, money "
                "and premises. You must give this, or choose one of your offers below, "
                "before you submit."
            ),
        }
        error_messages = {
            "route": {"required": _("Choose how you want to be involved")},
            "proposal": {"required": _("Say what you propose")},
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["route"].choices = Route.choices
        self.fields["subject"].choices = subject_choices()
        for name in ("proposal", "capacity_evidence", "support_notes"):
            _limit(self.fields[name])
        offers = CapacityOffer.objects.filter(organisation=organisation).select_related("service")
        if self.instance.pk:
            # Offers withdrawn since stay listed while this still relies on them.
            offers = offers.filter(
                Q(withdrawn_at__isnull=True) | Q(expressions_of_interest=self.instance)
            ).distinct()
        else:
            offers = offers.filter(withdrawn_at__isnull=True)
        field = self.fields["offers"]
        field.queryset = offers.order_by("service__name")
        field.label_from_instance = lambda offer: (
            _("%(service)s: %(willingness)s, %(hours)s volunteer hours a month")
            % {
                "service": offer.service.name,
                "willingness": offer.get_willingness_display().lower(),
                "hours": offer.volunteer_hours_per_month,
            }
        )
        if not field.queryset.exists():
            field.help_text = _(
                "Your group has not recorded any offers of help yet. Describe your capacity "
                "above instead."
            )
        if self.instance.pk:
            subject = self.instance.service or self.instance.asset
            kind = "service" if self.instance.service_id else "asset"
            self.initial.setdefault("subject", f"{kind}:{subject.pk}")
            if not self.is_bound:
                self.initial["version"] = self.instance.version
        self.order_fields(
            ["version", "subject", "route", "proposal", "capacity_evidence", "offers"]
        )

    def clean_subject(self):
        kind, _sep, pk = self.cleaned_data["subject"].partition(":")
        model = {"service": Service, "asset": Asset}.get(kind)
        found = model.objects.filter(pk=pk).first() if model and pk.isdigit() else None
        if found is None:
            raise ValidationError(_("Choose the service, building or land it is for"))
        return found

    def clean(self):
        cleaned = super().clean()
        subject, route = cleaned.get("subject"), cleaned.get("route")
        if subject is None:
            return cleaned
        kind = "service" if isinstance(subject, Service) else "asset"
        needs = ROUTE_NEEDS.get(route)
        if needs and needs != kind:
            self.add_error(
                "route",
                _(
                    "Community Right to Challenge is for a service: choose a service, or "
                    "another way"
                )
                if needs == "service"
                else _(
                    "Community asset transfer is for a building or land: choose one, or "
                    "another way"
                ),
            )
        clash = ExpressionOfInterest.objects.filter(
            lead_organisation=self.organisation, status__in=OPEN_STATUSES, **{kind: subject}
        ).exclude(pk=self.instance.pk)
        if clash.exists():
            self.add_error(
                "subject",
                _(
                    "Your group already has an expression of interest for %(subject)s. "
                    "Open that one instead."
                )
                % {"subject": subject},
            )
        return cleaned

    def save(self, commit=True):
        subject = self.cleaned_data["subject"]
        self.instance.service = subject if isinstance(subject, Service) else None
        self.instance.asset = subject if isinstance(subject, Asset) else None
        return super().save(commit=commit)


class PartnerInviteForm(GovukForm):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Which group do you want to invite?"),
        help_text=_(
            "Groups verified by the council. The group is sent an email and is listed as a "
            "partner only once it accepts."
        ),
        empty_label=_("Choose a group"),
        error_messages={
            "required": _("Choose the group to invite"),
            "invalid_choice": _("Choose a group from the list"),
        },
    )

    def __init__(self, *args, eoi, **kwargs):
        super().__init__(*args, **kwargs)
        taken = eoi.partners.exclude(status=PartnerStatus.DECLINED).values("organisation")
        self.fields["organisation"].queryset = (
            Organisation.objects.verified()
            .exclude(pk=eoi.lead_organisation_id)
            .exclude(pk__in=taken)
            .only("pk", "name")
            .order_by("name")
        )


class PartnerResponseForm(GovukForm):
    answer = forms.ChoiceField(
        label=_("Does your group want to be a partner in this expression of interest?"),
        choices=[
            ("accept", _("Yes, we want to be a partner")),
            ("decline", _("No, not this time")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether your group wants to be a partner")},
    )


class DecisionForm(GovukForm):
    """An officer moves an expression of interest on: starts the review, or decides."""

    decision = forms.ChoiceField(
        label=_("What happens next?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what happens next")},
    )
    reason = forms.CharField(
        label=_("Reasons"),
        help_text=_(
            "Needed for a decision to accept or reject. The group is sent them, and they are "
            "kept with the decision."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )

    LABELS = {
        EoiStatus.UNDER_REVIEW: _("Start the review"),
        EoiStatus.ACCEPTED: _("Accept it"),
        EoiStatus.REJECTED: _("Reject it"),
    }

    def __init__(self, *args, moves, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [(move, self.LABELS[move]) for move in moves]
        _limit(self.fields["reason"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") in EOI_REASON_REQUIRED and not cleaned.get("reason"):
            self.add_error("reason", _("Give the reasons for the decision"))
        return cleaned


class WithdrawForm(GovukForm):
    reason = forms.CharField(
        label=_("Why are you withdrawing it? (optional)"),
        help_text=_("The council sees this. It helps it plan."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit(self.fields["reason"])


INDICATOR_ROWS = 5
# The delivery model an agreement most likely has, by the route that led to it.
ROUTE_DELIVERY = {
    Route.RIGHT_TO_CHALLENGE: DeliveryModel.COMMISSIONED,
    Route.ASSET_TRANSFER: DeliveryModel.TRANSFERRED,
    Route.CO_PRODUCTION: DeliveryModel.CO_PRODUCED,
    Route.VOLUNTEERING: DeliveryModel.COUNCIL_WITH_VOLUNTEERS,
}
EARLIEST_START = datetime.date(2000, 1, 1)


class AgreementForm(GovukModelForm):
    starts_on = GovukDateField(
        label=_("Starts on"),
        help_text=_("The first day the group delivers it. For example, 1 4 2026."),
        error_messages={"required": _("Enter the date the agreement starts")},
    )
    ends_on = GovukDateField(
        label=_("Ends on (optional)"),
        help_text=_("The last day of the agreement. Leave empty if it has no end date."),
        required=False,
    )
    council_funding = MoneyField(
        label=_("Council funding (£ a year)"),
        min_value=0,
        help_text=_("What the council pays the group a year. Enter 0 for none."),
        error_messages={
            "required": _("Enter the council funding a year, or 0"),
            "min_value": _("The funding cannot be negative: enter 0 or more"),
        },
    )
    wards = ModelMultipleChoiceField(
        label=_("Where"),
        queryset=Ward.objects.only("pk", "name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The wards the group delivers in."),
    )

    class Meta:
        model = HandoverAgreement
        fields = [
            "description",
            "wards",
            "delivery_model",
            "starts_on",
            "ends_on",
            "council_funding",
            "return_frequency",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "delivery_model": forms.RadioSelect,
            "return_frequency": forms.RadioSelect,
        }
        labels = {
            "description": _("Who delivers what"),
            "delivery_model": _("How it will be run"),
            "return_frequency": _("How often the group sends a monitoring return"),
        }
        help_texts = {
            "description": _(
                "What the group does and what the council still does. This is published on "
                "the council's accountability pages."
            ),
            "return_frequency": _("Each return is due %(days)s days after the end of its period."),
        }
        error_messages = {
            "description": {"required": _("Say who delivers what")},
            "delivery_model": {"required": _("Choose how it will be run")},
            "return_frequency": {"required": _("Choose how often returns are due")},
        }

    def __init__(self, *args, eoi, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delivery_model"].choices = DeliveryModel.choices
        self.fields["return_frequency"].choices = ReturnFrequency.choices
        self.fields["return_frequency"].help_text = self.Meta.help_texts["return_frequency"] % {
            "days": settings.RETURN_DUE_DAYS
        }
        self.fields["council_funding"].widget = forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-10", "inputmode": "decimal"}
        )
        _limit(self.fields["description"])
        if not self.is_bound:
            self.initial.setdefault("delivery_model", ROUTE_DELIVERY.get(eoi.route))
            self.initial.setdefault("return_frequency", ReturnFrequency.QUARTERLY)
            self.initial.setdefault("council_funding", 0)
            if eoi.service_id:
                self.initial.setdefault("wards", list(eoi.service.wards.all()))
            else:
                self.initial.setdefault("wards", [eoi.asset.ward_id])
            if eoi.proposal:
                self.initial.setdefault("description", eoi.proposal)
        for row in range(1, INDICATOR_ROWS + 1):
            _add_field(
                self,
                f"indicator_{row}_name",
                forms.CharField(
                    label=_("Name"),
                    required=False,
                    max_length=200,
                    error_messages={"max_length": _("Keep the name to 200 characters or fewer")},
                ),
            )
            _add_field(
                self,
                f"indicator_{row}_unit",
                forms.CharField(
                    label=_("Unit (optional)"),
                    required=False,
                    max_length=50,
                    widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
                    error_messages={"max_length": _("Keep the unit to 50 characters or fewer")},
                ),
            )
            _add_field(
                self,
                f"indicator_{row}_target",
                forms.DecimalField(
                    label=_("Target each period (optional)"),
                    required=False,
                    min_value=0,
                    max_digits=12,
                    decimal_places=2,
                    widget=forms.TextInput(
                        attrs={"class": "govuk-input--width-5", "inputmode": "decimal"}
                    ),
                    error_messages={
                        "invalid": _("Enter the target as a number, for example 40"),
                        "min_value": _("The target cannot be negative"),
                        "max_digits": _("Enter a smaller target"),
                        "max_decimal_places": _("Enter the target with at most 2 decimal places"),
                        "max_whole_digits": _("Enter a smaller target"),
                    },
                ),
            )
        self.fields["indicator_1_name"].help_text = _(
            "Something the group reports on in every return, for example 'Hours the hall "
            "was open'. Give at least one."
        )

    def indicator_rows(self):
        """[(name field, unit field, target field)] for the template."""
        return [
            (
                self[f"indicator_{r}_name"],
                self[f"indicator_{r}_unit"],
                self[f"indicator_{r}_target"],
            )
            for r in range(1, INDICATOR_ROWS + 1)
        ]

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        latest_start = add_months(timezone.localdate(), 60)
        if starts_on and not EARLIEST_START <= starts_on <= latest_start:
            self.add_error(
                "starts_on",
                _("Enter a start date between 1 January 2000 and %(latest)s")
                % {"latest": longdate(latest_start)},
            )
        elif starts_on and ends_on:
            if ends_on <= starts_on:
                self.add_error("ends_on", _("The end date must be after the start date"))
            elif ends_on > add_months(starts_on, 99 * 12):
                self.add_error("ends_on", _("Enter an end date within 99 years of the start"))
        names = set()
        for row in range(1, INDICATOR_ROWS + 1):
            name = (cleaned.get(f"indicator_{row}_name") or "").strip()
            cleaned[f"indicator_{row}_name"] = name
            unit = (cleaned.get(f"indicator_{row}_unit") or "").strip()
            target = cleaned.get(f"indicator_{row}_target")
            if not name and (unit or target is not None):
                self.add_error(f"indicator_{row}_name", _("Give this indicator a name"))
            elif name.lower() in names:
                self.add_error(f"indicator_{row}_name", _("Each indicator needs its own name"))
            if name:
                names.add(name.lower())
        if not names and "indicator_1_name" not in self.errors:
            self.add_error(
                "indicator_1_name", _("Give at least one indicator the group will report on")
            )
        return cleaned

    def indicators(self):
        """[(name, unit, target)] of the indicators entered, in order."""
        rows = []
        for row in range(1, INDICATOR_ROWS + 1):
            name = self.cleaned_data[f"indicator_{row}_name"]
            if name:
                unit = (self.cleaned_data[f"indicator_{row}_unit"] or "").strip()
                rows.append((name, unit, self.cleaned_data[f"indicator_{row}_target"]))
        return rows


def _whole_number(label, maximum):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=maximum,
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-5", "inputmode": "numeric"}
        ),
        error_messages={
            "required": _("Enter a number, or 0"),
            "invalid": _("Enter a whole number, for example 12"),
            "min_value": _("Enter 0 or more"),
            "max_value": _("Enter a number under %(limit)s") % {"limit": f"{maximum + 1:,}"},
        },
    )


class ReturnForm(GovukForm):
    """A monitoring return: one value per indicator of the agreement, then the figures
    every return has."""

    volunteer_hours = _whole_number(_("Volunteer hours delivered in the period"), 999_999)
    complaints = _whole_number(_("Complaints received in the period"), 99_999)
    narrative = forms.CharField(
        label=_("How did it go?"),
        help_text=_(
            "What went well, what did not, and what you will change. This is published on "
            "the council's accountability pages with the figures: do not name anyone."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Say how it went")},
    )

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        _limit(self.fields["narrative"])
        self.indicator_names = {}
        fields = {}
        for indicator in indicators:
            name = f"indicator_{indicator.pk}"
            self.indicator_names[name] = indicator.pk
            label = indicator.name + (f" ({indicator.unit})" if indicator.unit else "")
            fields[name] = forms.DecimalField(
                label=label,
                max_digits=12,
                decimal_places=2,
                help_text=(
                    _("Target: %(target)s") % {"target": f"{indicator.target.normalize():,f}"}
                    if indicator.target is not None
                    else ""
                ),
                widget=forms.TextInput(
                    attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}
                ),
                error_messages={
                    "required": _("Enter a figure for %(name)s") % {"name": indicator.name},
                    "invalid": _("Enter %(name)s as a number, for example 40")
                    % {"name": indicator.name},
                    "max_digits": _("Enter a smaller number"),
                    "max_whole_digits": _("Enter a smaller number"),
                    "max_decimal_places": _("Enter at most 2 decimal places"),
                },
            )
        # Indicators first: they are what the agreement is about.
        others = dict(self.fields)
        self.fields.clear()
        for name, field in fields.items():
            _add_field(self, name, field)
        self.fields.update(others)

    def values(self):
        return {pk: self.cleaned_data[name] for name, pk in self.indicator_names.items()}


class RatingForm(GovukForm):
    rating = forms.ChoiceField(
        label=_("How is it going?"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a rating")},
    )
    comment = forms.CharField(
        label=_("Comment"),
        help_text=_(
            "Why you gave this rating. The group is sent it, and it is published with the "
            "rating on the accountability pages."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say why you gave this rating")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit(self.fields["comment"])


def _add_declaration(form, organisation):
    """The group's declaration that it may nominate or bid, when its legal form alone
    does not show it (see ``services.acv``)."""
    if bidding_eligibility(organisation) != Eligibility.NEEDS_DECLARATION:
        return
    field = forms.BooleanField(
        label=DECLARATION,
        error_messages={"required": _("Confirm that your group can do this")},
    )
    _add_field(form, "declared", field)


class NominationForm(GovukForm):
    """A group nominates a building or land as an Asset of Community Value: one the council
    already knows, or one it describes."""

    NEW = "new"

    asset = forms.ChoiceField(
        label=_("Which building or land?"),
        help_text=_(
            "Places the council already knows about that are not listed. If yours is not "
            "here, choose the last option and describe it below."
        ),
        error_messages={"required": _("Choose the building or land, or describe a new one")},
    )
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    asset_type = forms.ChoiceField(
        label=_("What kind of place is it?"),
        choices=[("", _("Choose a kind of place")), *AssetType.choices],
        required=False,
    )
    address = forms.CharField(label=_("Address"), required=False, max_length=300)
    postcode = forms.CharField(
        label=_("Postcode"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )
    ward = forms.ModelChoiceField(
        label=_("Ward"),
        queryset=Ward.objects.only("pk", "name"),
        required=False,
        empty_label=_("Choose a ward"),
    )
    owner = forms.CharField(label=_("Who owns it, if you know"), required=False, max_length=200)
    reason = forms.CharField(
        label=_("Why does it matter to the community?"),
        help_text=_(
            "How it is used now, or was used recently, for the community's social wellbeing "
            "or interests (sport, culture, meeting people), and how that could continue."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Say why it matters to the community")},
    )

    NEW_FIELDS = {
        "name": _("Enter the name of the place"),
        "asset_type": _("Choose what kind of place it is"),
        "address": _("Enter the address"),
        "ward": _("Choose the ward it is in"),
    }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        _limit(self.fields["reason"])
        today = timezone.localdate()
        taken = AcvNomination.objects.filter(
            Q(status=NominationStatus.SUBMITTED)
            | Q(pk__in=AcvNomination.objects.listed_on_day(today))
        ).values("asset")
        assets = Asset.objects.exclude(pk__in=taken).select_related("ward").order_by("name")
        self.fields["asset"].choices = [
            ("", _("Choose a building or piece of land")),
            *[(str(a.pk), f"{a.name} ({a.ward.name})") for a in assets],
            (self.NEW, _("It is not in this list: I will describe it")),
        ]
        _add_declaration(self, organisation)

    def clean_asset(self):
        value = self.cleaned_data["asset"]
        if value == self.NEW:
            return None
        asset = Asset.objects.filter(pk=value).first() if value.isdigit() else None
        if asset is None:
            raise ValidationError(_("Choose the building or land, or describe a new one"))
        return asset

    def clean_postcode(self):
        typed = self.cleaned_data["postcode"].strip()
        if not typed:
            return ""
        postcode = normalise_postcode(typed)
        if postcode is None:
            raise ValidationError(_("Enter a real postcode, like SE6 4RU"))
        return postcode

    def clean(self):
        cleaned = super().clean()
        if "asset" in cleaned and cleaned["asset"] is None:
            for name, message in self.NEW_FIELDS.items():
                if not cleaned.get(name):
                    self.add_error(name, message)
        return cleaned

    def new_asset(self):
        """The fields of the asset to create, or None when an existing one was chosen."""
        if self.cleaned_data["asset"] is not None:
            return None
        data = self.cleaned_data
        return {
            "name": data["name"].strip(),
            "asset_type": data["asset_type"],
            "address": data["address"].strip(),
            "postcode": data["postcode"],
            "ward": data["ward"],
            "owner": data["owner"].strip() or _("Not known"),
            "owned_by_council": False,
        }


class NominationDecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[
            (NominationStatus.LISTED, _("List it as an Asset of Community Value")),
            (NominationStatus.NOT_LISTED, _("Do not list it")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to list it")},
    )
    listed_on = GovukDateField(
        label=_("Date it is entered on the list"),
        help_text=_("Only if you list it. It stays listed for 5 years from this date."),
        required=False,
    )
    reason = forms.CharField(
        label=_("Reasons"),
        help_text=_("The group that nominated it is sent them."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Give the reasons for the decision")},
    )

    def __init__(self, *args, nomination, **kwargs):
        super().__init__(*args, **kwargs)
        self.nomination = nomination
        _limit(self.fields["reason"])
        if not self.is_bound:
            self.initial["listed_on"] = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        listed_on = cleaned.get("listed_on")
        if cleaned.get("decision") == NominationStatus.LISTED and "listed_on" not in self.errors:
            received = timezone.localdate(self.nomination.submitted_at)
            if listed_on is None:
                self.add_error("listed_on", _("Enter the date it is entered on the list"))
            elif listed_on > timezone.localdate():
                self.add_error("listed_on", _("The listing date cannot be in the future"))
            elif listed_on < received:
                self.add_error(
                    "listed_on",
                    _("The listing date cannot be before the nomination, on %(day)s")
                    % {"day": longdate(received)},
                )
        return cleaned


class SaleNoticeForm(GovukForm):
    notified_on = GovukDateField(
        label=_("When did the council receive the owner's notice?"),
        help_text=_("The moratorium periods begin on this day. For example, 27 3 2026."),
        error_messages={"required": _("Enter the date the council received the notice")},
    )

    def clean_notified_on(self):
        day = self.cleaned_data["notified_on"]
        if day > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future"))
        return day


class IntentionToBidForm(GovukForm):
    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        _add_declaration(self, organisation)
