"""Forms for the service catalogue (issue 5)."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from bigsociety.forms import GovukModelForm, ModelMultipleChoiceField
from mapping.models import Ward
from services.models import ReviewStatus, RiskTier, Service


class MoneyField(forms.DecimalField):
    """Pounds as people type them: "£25,000", "-25000" or "- £1,500.50"."""

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
            value = value.replace("£", "").replace(",", "").replace(" ", "")
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
