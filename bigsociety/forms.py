"""Forms that render with GOV.UK Design System markup.

Every form in the project mixes in ``GovukFormMixin``. It gives each field the
GOV.UK field template (label, hint, error message, input) and the right classes on its
widget, marks fields in error for assistive technology, and keeps widget choice in the
form class where it belongs. Render with ``{% include "govuk/error_summary.html" %}``
at the top of the page and ``{{ form }}`` (or ``{{ form.field.as_field_group }}``).
"""

import datetime
import re
from html import escape

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

WIDGET_CLASSES = {
    "select": "govuk-select",
    "selectmultiple": "govuk-select",
    "textarea": "govuk-textarea",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
    "checkbox": "govuk-checkboxes__input",
}
# Widgets with a template of our own (GOV.UK markup differs from Django's).
WIDGET_TEMPLATES = {
    "radioselect": ("govuk/widgets/radios.html", "govuk/widgets/radio_option.html"),
    "checkboxselectmultiple": (
        "govuk/widgets/checkboxes.html",
        "govuk/widgets/checkbox_option.html",
    ),
}


def widget_type(widget):
    if isinstance(widget, GovukSelect):
        return "select"
    return widget.__class__.__name__.lower().removesuffix("widget").removesuffix("input") or (
        "input"
    )


class TypedDate(str):
    """A date as typed in the three boxes, joined as "year-month-day" for DateField to
    check, keeping each box's text so a date that is not real is shown back as typed
    ("31/02/2026" typed in the day box stays there, an empty month stays empty)."""

    def __new__(cls, day, month, year):
        typed = super().__new__(cls, f"{year}-{month.zfill(2)}-{day.zfill(2)}")
        typed.parts = [day, month, year]
        return typed


class GovukDateInput(forms.MultiWidget):
    """The GOV.UK date input: three boxes for day, month and year."""

    template_name = "govuk/widgets/date.html"
    use_fieldset = True

    def __init__(self, attrs=None):
        part = {"class": "govuk-input govuk-date-input__input", "inputmode": "numeric"}
        widgets = {
            "day": forms.TextInput(
                attrs=part | {"class": part["class"] + " govuk-input--width-2"}
            ),
            "month": forms.TextInput(
                attrs=part | {"class": part["class"] + " govuk-input--width-2"}
            ),
            "year": forms.TextInput(
                attrs=part | {"class": part["class"] + " govuk-input--width-4"}
            ),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, TypedDate):
            return value.parts
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value.count("-") == 2:
            year, month, day = value.split("-")
            return [day, month, year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        day, month, year = (
            (data.get(f"{name}_{part}") or "").strip() for part in ("day", "month", "year")
        )
        if not (day or month or year):
            return ""
        # Let DateField decide whether this is a real date, and say so if not.
        return TypedDate(day, month, year)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        labels = [_("Day"), _("Month"), _("Year")]
        for subwidget, label in zip(context["widget"]["subwidgets"], labels, strict=True):
            subwidget["label"] = label
        return context


class GovukDateField(forms.DateField):
    widget = GovukDateInput
    input_formats = ["%Y-%m-%d"]
    default_error_messages = {
        "invalid": _("Enter a real date, for example 27 3 2026."),
    }


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing an id too big for the database as "not one of the choices".

    Django asks the database about every id posted; an integer beyond the column's range
    ("99999999999999999999") makes the database raise an error (a 500) instead of
    matching nothing. Found by fuzzing (issue 9).
    """

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        field = self.queryset.model._meta.pk if key == "pk" else None
        if field is None:
            field = self.queryset.model._meta.get_field(key)
        internal_type = field.get_internal_type()
        if internal_type in connection.ops.integer_field_ranges:
            low, high = connection.ops.integer_field_range(internal_type)
            for pk in value if isinstance(value, list | tuple | set | frozenset) else []:
                try:
                    number = int(str(pk).strip())
                except ValueError:
                    continue  # not a number: Django refuses it as usual
                if (low is not None and number < low) or (high is not None and number > high):
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": pk},
                    )
        return super()._check_values(value)


# A comma stands only between thousands: "1,200" is 1200, but "1,5" (a decimal comma in much
# of Europe) is refused rather than read as 15.
THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")


def number_as_typed(value):
    """A number as people type it, made plain for Django: spaces anywhere ("1 200", " 12 ")
    and commas between thousands ("1,200") are taken out; anything else is left for the
    field to refuse with its message."""
    if not isinstance(value, str):
        return value
    value = "".join(value.split())
    if THOUSANDS.fullmatch(value):
        value = value.replace(",", "")
    return value


class IntegerField(forms.IntegerField):
    """Django's, reading "1,200" and "1 200" as 1200 (see ``number_as_typed``)."""

    def to_python(self, value):
        return super().to_python(number_as_typed(value))


class DecimalField(forms.DecimalField):
    """Django's, reading "1,200.50" and "1 200.50" as 1200.50 (see ``number_as_typed``)."""

    def to_python(self, value):
        return super().to_python(number_as_typed(value))


# Attributes that mean something on a number box only.
NUMBER_BOX_ONLY = {"min", "max", "step"}

# Every form's fields of Django's own kinds, model forms' generated ones included, get ours.
SAFER_FIELDS = {
    forms.ModelMultipleChoiceField: ModelMultipleChoiceField,
    forms.IntegerField: IntegerField,
    forms.DecimalField: DecimalField,
}


class GovukSelect(forms.Select):
    """A select box that writes its options in Python.

    Django's Select builds a dictionary and renders a template for every option; a
    filter listing a county's 400 services does that on every view of the page. The
    markup is the same, values and labels escaped.
    """

    template_name = "govuk/widgets/select.html"

    def get_context(self, name, value, attrs):
        # Widget's context, not ChoiceWidget's: no option dictionaries.
        context = forms.Widget.get_context(self, name, value, attrs)
        context["widget"]["options"] = self.options_html(context["widget"]["value"])
        return context

    def options_html(self, values):
        values = {str(v) for v in values}
        found = False  # a single select marks only its first match, as Django's does

        def option(value, label):
            nonlocal found
            value = "" if value is None else str(value)
            selected = not found and value in values
            found = found or selected
            return (
                f'<option value="{escape(value, quote=True)}"{" selected" if selected else ""}>'
                f"{escape(str(label))}</option>"
            )

        html = []
        for value, label in self.choices:
            if isinstance(label, list | tuple):
                options = "".join(option(v, lab) for v, lab in label)
                html.append(
                    f'<optgroup label="{escape(str(value), quote=True)}">{options}</optgroup>'
                )
            else:
                html.append(option(value, label))
        return mark_safe("".join(html))  # every value and label is escaped above


class HintedRadios(forms.RadioSelect):
    """GOV.UK radios with a hint under each option that has one (``hints``: value -> text)."""

    template_name = "govuk/widgets/radios.html"
    option_template_name = "govuk/widgets/radio_option_hint.html"

    def __init__(self, *args, hints=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.hints = hints or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["hint"] = self.hints.get(str(value), "")
        return option


class GovukFormMixin:
    field_template = "govuk/field.html"
    template_name = "govuk/form.html"
    # The server checks every field and explains in an error summary; the browser's
    # own pop-up messages would get there first and say less.
    use_required_attribute = False

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            self.govuk_field(field)

    def govuk_field(self, field):
        """Make a field GOV.UK: call it too for a field added after the form is made."""
        field.template_name = self.field_template
        if type(field.widget) is forms.NumberInput:
            # A number box keeps only what the browser takes for a number (Firefox sends
            # nothing for "1,200" or "lots"), so the server could not say what is wrong,
            # and an optional number would be saved empty. A text box sends what was typed.
            numeric = "decimal" if isinstance(field, forms.DecimalField) else "numeric"
            attrs = {k: v for k, v in field.widget.attrs.items() if k not in NUMBER_BOX_ONLY}
            field.widget = forms.TextInput(attrs=attrs | {"inputmode": numeric})
        if type(field.widget) is forms.Select:
            select = GovukSelect(attrs=field.widget.attrs, choices=field.widget.choices)
            select.is_required = field.widget.is_required
            field.widget = select
        self._style_widget(field.widget)
        if type(field) in SAFER_FIELDS:
            field.__class__ = SAFER_FIELDS[type(field)]

    @staticmethod
    def _style_widget(widget):
        kind = widget_type(widget)
        if kind in WIDGET_TEMPLATES:
            template, option_template = WIDGET_TEMPLATES[kind]
            widget.template_name = template
            if option_template:
                widget.option_template_name = option_template
            return
        if isinstance(widget, HintedRadios):
            return  # GOV.UK templates of its own; an input class would land on the radios
        if isinstance(widget, forms.MultiWidget | forms.HiddenInput):
            return
        css = WIDGET_CLASSES.get(kind, "govuk-input")
        existing = widget.attrs.get("class", "")
        if css not in existing.split():
            widget.attrs["class"] = f"{css} {existing}".strip()

    def full_clean(self):
        super().full_clean()
        # Mark fields in error the GOV.UK way, and point assistive technology at the
        # message as well as the hint.
        for name in self.errors:
            if name not in self.fields:
                continue
            field = self.fields[name]
            widget = field.widget
            bound = self[name]
            described = [f"{bound.auto_id}-error"]
            if field.help_text:
                described.insert(0, f"{bound.auto_id}_helptext")
            if not getattr(widget, "use_fieldset", False):
                widget.attrs["aria-describedby"] = " ".join(described)
            kind = widget_type(widget)
            if kind in ("select", "selectmultiple"):
                widget.attrs["class"] += " govuk-select--error"
            elif kind == "textarea":
                widget.attrs["class"] += " govuk-textarea--error"
            elif kind in ("clearablefile", "file"):
                widget.attrs["class"] += " govuk-file-upload--error"
            elif isinstance(widget, forms.MultiWidget):
                for sub in widget.widgets:
                    sub.attrs["class"] = sub.attrs.get("class", "") + " govuk-input--error"
            elif kind not in WIDGET_TEMPLATES and "govuk-input" in widget.attrs.get("class", ""):
                widget.attrs["class"] += " govuk-input--error"


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass
