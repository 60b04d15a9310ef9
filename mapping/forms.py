"""Forms for community capacity and consultations. Every form renders the GOV.UK way
through ``GovukFormMixin``."""

from django import forms
from django.db.models import Q
from django.template.defaultfilters import truncatewords
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from bigsociety.forms import (
    GovukDateField,
    GovukForm,
    GovukModelForm,
    ModelMultipleChoiceField,
)
from bigsociety.templatetags.bigsociety import longdate
from mapping.models import AgeBand, Consultation, Ward, normalise_postcode
from services.models import Service

# Resident consultation: officers ---------------------------------------------------------


class ServiceCheckboxes(forms.CheckboxSelectMultiple):
    """GOV.UK checkboxes with a heading for each service category.

    The options stay a flat list (ids ``id_services_0``, ``_1``...) so the error summary
    can link to the first one; each option carries its category for the heading.
    """

    template_name = "mapping/widgets/service_checkboxes.html"
    option_template_name = "govuk/widgets/checkbox_option.html"
    categories = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["category"] = self.categories.get(str(value), "")
        return option


class ConsultationForm(GovukModelForm):
    """Create or change a consultation.

    Once residents have answered, what they answered must stay true: the services asked
    about and the opening date are fixed, the consultation cannot go back to a draft,
    and the closing date cannot move before the latest response.
    """

    opens_on = GovukDateField(
        label=_("Opens on"),
        help_text=_("Residents can answer from this day. For example, 1 3 2027."),
    )
    closes_on = GovukDateField(
        label=_("Closes on"),
        help_text=_("The last day residents can answer. For example, 31 3 2027."),
    )
    # Typed freely and made into a web address ("My Library" -> "my-library").
    slug = forms.CharField(
        label=_("Web address"),
        help_text=_(
            "The end of the web address, after /have-your-say/. Leave it empty to make one "
            "from the title. It cannot change once the consultation is published, so links "
            "keep working."
        ),
        required=False,
        max_length=80,
        error_messages={"max_length": _("The web address must be 80 characters or fewer")},
    )
    services = ModelMultipleChoiceField(
        queryset=Service.objects.none(),
        widget=ServiceCheckboxes,
        label=_("Services to ask about"),
        help_text=_(
            "Residents say how comfortable they would be to see each one run by "
            "community groups or volunteers. Only services shown on public pages "
            "are listed."
        ),
        error_messages={"required": _("Choose at least one service to ask about")},
    )

    class Meta:
        model = Consultation
        fields = [
            "title",
            "slug",
            "introduction",
            "opens_on",
            "closes_on",
            "services",
            "is_published",
            "results_published",
        ]
        labels = {
            "title": _("Title"),
            "introduction": _("Introduction"),
            "is_published": _("Publish: residents can see it, and answer between its dates"),
            "results_published": _("Publish the results"),
        }
        help_texts = {
            "title": _("Residents see this. For example, 'The future of our libraries'."),
            "introduction": _(
                "Why the council is asking and what it will do with the answers. Shown on "
                "the consultation's first page."
            ),
            "results_published": _(
                "Results appear on the public page once the consultation has closed. "
                "Groups of fewer than 5 people are never shown."
            ),
        }
        error_messages = {
            "title": {
                "required": _("Enter a title"),
                "max_length": _("The title must be 200 characters or fewer"),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        consultation = self.instance
        self.has_responses = bool(consultation.pk) and consultation.responses.exists()
        self.fields["opens_on"].error_messages["required"] = _(
            "Enter the date the consultation opens"
        )
        self.fields["closes_on"].error_messages["required"] = _(
            "Enter the date the consultation closes"
        )

        # Published services, and any already asked about that have since been hidden.
        services = Service.objects.published()
        if consultation.pk:
            services = Service.objects.filter(Q(published=True) | Q(consultations=consultation))
        services = (
            services.distinct().select_related("category").order_by("category__name", "name")
        )
        field = self.fields["services"]
        field.queryset = services
        field.widget.attrs.pop("class", None)
        field.widget.categories = {str(s.pk): s.category.name for s in services}

        if consultation.pk and consultation.is_published:
            self.fields["slug"].disabled = True
            self.fields["slug"].help_text = _(
                "It cannot change now the consultation is published, so links keep working."
            )
        if self.has_responses:
            for name in ("services", "opens_on", "is_published"):
                self.fields[name].disabled = True
            self.fields["services"].help_text = _(
                "Residents have already answered about these services, so they cannot change."
            )
            self.fields["opens_on"].help_text = _(
                "Residents have already answered, so the opening date cannot change."
            )
            self.fields["is_published"].help_text = _(
                "Residents have already answered, so it cannot go back to a draft. Change the "
                "closing date to close it."
            )

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean_slug(self):
        typed = self.cleaned_data.get("slug") or ""
        if self.fields["slug"].disabled:
            return typed
        if not typed:
            return self._free_slug(slugify(self.cleaned_data.get("title", "")) or "consultation")
        slug = slugify(typed)
        if not slug:
            raise forms.ValidationError(_("The web address must include letters or numbers"))
        taken = Consultation.objects.filter(slug=slug).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _("Another consultation uses this web address. Choose a different one.")
            )
        return slug

    def _free_slug(self, base):
        base = base[:70].strip("-")
        taken = set(
            Consultation.objects.filter(slug__startswith=base)
            .exclude(pk=self.instance.pk)
            .values_list("slug", flat=True)
        )
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        return slug

    def clean(self):
        cleaned = super().clean()
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error(
                "closes_on", _("The closing date must be the same as or after the opening date")
            )
        if self.has_responses and closes_on:
            latest = self.instance.latest_response_day()
            if latest and closes_on < latest:
                self.add_error(
                    "closes_on",
                    _(
                        "The closing date must be on or after %(date)s, the day of the latest "
                        "response"
                    )
                    % {"date": longdate(latest)},
                )
        if cleaned.get("results_published"):
            today = timezone.localdate()
            if not cleaned.get("is_published"):
                self.add_error(
                    "results_published",
                    _("Publish the consultation before publishing its results"),
                )
            elif closes_on and closes_on >= today:
                self.add_error(
                    "results_published",
                    _(
                        "You can publish the results once the consultation has closed. It "
                        "closes at the end of %(date)s"
                    )
                    % {"date": longdate(closes_on)},
                )
        return cleaned


# Resident consultation: the public form ----------------------------------------------------


class HoneypotMixin:
    """A field people never see (hidden by CSS) but form-filling robots fill in.

    A filled one does not show an error: the answers are quietly dropped at the end.
    """

    honeypot_template = "mapping/consultation/_honeypot.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"] = forms.CharField(
            label=_("Leave this field empty"), required=False, max_length=200
        )
        self.fields["website"].widget.attrs.update(
            {"autocomplete": "off", "tabindex": "-1", "class": "govuk-input"}
        )
        self.fields["website"].template_name = self.honeypot_template

    @property
    def caught(self):
        return bool(self.is_bound and (self.data.get("website") or "").strip())


class PostcodeForm(HoneypotMixin, GovukForm):
    postcode = forms.CharField(
        label=_("What is your postcode?"),
        help_text=_("For example, SE6 4RU. We use it only to find your ward, and do not keep it."),
        max_length=20,
        error_messages={"required": _("Enter your postcode")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["postcode"].widget.attrs.update(
            {"autocomplete": "postal-code", "class": "govuk-input govuk-input--width-10"}
        )

    def clean_postcode(self):
        postcode = normalise_postcode(self.cleaned_data["postcode"])
        if postcode is None:
            raise forms.ValidationError(_("Enter a full UK postcode, like SE6 4RU"))
        return postcode


# Up to this many wards are radios; more are a drop-down list.
MAX_WARD_RADIOS = 30


class WardForm(HoneypotMixin, GovukForm):
    ward = forms.ModelChoiceField(
        queryset=Ward.objects.none(),
        label=_("Which ward do you live in?"),
        help_text=_("Wards are the areas councillors are elected for."),
        empty_label=None,
        error_messages={
            "required": _("Choose the ward you live in"),
            "invalid_choice": _("Choose the ward you live in"),
        },
    )

    def __init__(self, *args, wards, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["ward"]
        field.queryset = wards
        if wards.count() <= MAX_WARD_RADIOS:
            field.widget = forms.RadioSelect(choices=field.choices)
            self._style_widget(field.widget)
        else:
            field.empty_label = _("Choose your ward")
            field.widget.choices = field.choices


COMFORT_CHOICES = [
    ("5", _("Very comfortable")),
    ("4", _("Fairly comfortable")),
    ("3", _("Neither comfortable nor uneasy")),
    ("2", _("Fairly uneasy")),
    ("1", _("Very uneasy")),
    ("dont_know", _("Don't know")),
]
COMFORT_LABELS = dict(COMFORT_CHOICES)
DONT_KNOW = "dont_know"


class ComfortRadios(forms.RadioSelect):
    """GOV.UK radios with an "or" divider before "Don't know"."""

    template_name = "mapping/widgets/comfort_radios.html"
    option_template_name = "govuk/widgets/radio_option.html"


class ComfortForm(HoneypotMixin, GovukForm):
    """How comfortable the resident would be to see each service on the page run by
    community groups or volunteers: 1 to 5, or don't know."""

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.services = services
        for service in services:
            field = forms.ChoiceField(
                label=service.name,
                help_text=truncatewords(service.description, 30),
                choices=COMFORT_CHOICES,
                widget=ComfortRadios,
            )
            message = _(
                "Choose how comfortable you would be to see %(service)s run by community "
                "groups or volunteers, or 'Don't know'"
            ) % {"service": service.name}
            field.error_messages.update({"required": message, "invalid_choice": message})
            field.template_name = "mapping/consultation/_comfort_field.html"
            self.fields[f"comfort_{service.pk}"] = field
        # The honeypot last, after the questions.
        self.fields["website"] = self.fields.pop("website")

    @staticmethod
    def initial_for(services, answers):
        """Initial values from the answers kept so far ({service id: 1-5 or None})."""
        initial = {}
        for service in services:
            key = str(service.pk)
            if key in answers:
                value = answers[key]
                initial[f"comfort_{service.pk}"] = DONT_KNOW if value is None else str(value)
        return initial

    def answers(self):
        """{service id (str): 1 to 5, or None for don't know}."""
        answers = {}
        for service in self.services:
            value = self.cleaned_data[f"comfort_{service.pk}"]
            answers[str(service.pk)] = None if value == DONT_KNOW else int(value)
        return answers


MAX_HOURS_A_MONTH = 160


class TimeForm(HoneypotMixin, GovukForm):
    gives_time = forms.TypedChoiceField(
        label=_("Would you give some of your time to help run local services?"),
        help_text=_("For example, helping at a library, a park clean-up or a lunch club."),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select yes if you would give some of your time"),
            "invalid_choice": _("Select yes if you would give some of your time"),
        },
    )
    hours_per_month = forms.IntegerField(
        label=_("If yes, roughly how many hours a month?"),
        help_text=_("A rough guess is fine, for example 4."),
        required=False,
        min_value=1,
        max_value=MAX_HOURS_A_MONTH,
        # Text, not a number box: a browser would refuse "4.5" before the server can explain.
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": _("Enter the number of hours as a whole number, for example 4"),
            "min_value": _("Enter a number of hours from 1 to %(limit)s")
            % {"limit": MAX_HOURS_A_MONTH},
            "max_value": _("Enter a number of hours from 1 to %(limit)s")
            % {"limit": MAX_HOURS_A_MONTH},
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hours_per_month"].widget.attrs["class"] += " govuk-input--width-3"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("gives_time") is True:
            if cleaned.get("hours_per_month") is None and "hours_per_month" not in self.errors:
                self.add_error(
                    "hours_per_month",
                    _("Enter roughly how many hours a month you could give, for example 4"),
                )
        elif "gives_time" in cleaned:
            # Hours only mean something with a yes; drop any typed before changing to no.
            cleaned["hours_per_month"] = None
            self.errors.pop("hours_per_month", None)
        return cleaned


PREFER_NOT_TO_SAY = "prefer_not"


class AboutYouForm(HoneypotMixin, GovukForm):
    age_band = forms.ChoiceField(
        label=_("How old are you? (optional)"),
        help_text=_("This helps us see whether we have heard from people of all ages."),
        choices=[*AgeBand.choices, (PREFER_NOT_TO_SAY, _("Prefer not to say"))],
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("Choose an age range, or 'Prefer not to say'")},
    )
    comment = forms.CharField(
        label=_("Is there anything else you would like to tell us? (optional)"),
        help_text=_(
            "Do not include personal details such as your name, address or phone number, "
            "or anyone else's."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=2000,
        error_messages={"max_length": _("Your comment must be 2,000 characters or fewer")},
    )

    def clean_age_band(self):
        value = self.cleaned_data["age_band"]
        return "" if value == PREFER_NOT_TO_SAY else value


class SendForm(HoneypotMixin, GovukForm):
    """The "check your answers" page has nothing to fill in but the hidden field."""


# Import uploads (issue 8) --------------------------------------------------------------------


class ImportForm(GovukForm):
    """Upload a file to import. ``too_large`` says the upload handler stopped reading it."""

    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("A CSV file (UTF-8) or, for wards, a GeoJSON file."),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file: write nothing"),
        required=False,
        help_text=_("A dry run reports every problem and what would change, then stops."),
    )

    def __init__(self, *args, too_large=False, **kwargs):
        self.too_large = too_large
        super().__init__(*args, **kwargs)

    def _too_large_message(self):
        from django.conf import settings
        from django.template.defaultfilters import filesizeformat

        return _(
            "The file is larger than %(limit)s, the largest this page takes. Split it into "
            "smaller files, or ask the IT team to import it on the command line."
        ) % {"limit": filesizeformat(settings.IMPORT_MAX_UPLOAD_BYTES)}

    def _check_upload(self, upload, *, required):
        from django.conf import settings

        if self.too_large or (upload and upload.size > settings.IMPORT_MAX_UPLOAD_BYTES):
            raise forms.ValidationError(self._too_large_message())
        if upload is None and required:
            raise forms.ValidationError(_("Choose a file to import"))
        if upload is not None and upload.size == 0:
            raise forms.ValidationError(_("The file is empty"))
        return upload

    def clean_file(self):
        return self._check_upload(self.cleaned_data.get("file"), required=True)

    def options(self):
        """The import's options, as stored on the ImportRun."""
        return {
            name: str(self.cleaned_data[name])
            for name in self.option_fields
            if self.cleaned_data.get(name) not in (None, "")
        }

    option_fields = ()


def _encoding_field():
    return forms.ChoiceField(
        label=_("How the file's text is saved"),
        choices=[
            ("utf-8", _("UTF-8 (Excel: 'CSV UTF-8')")),
            ("cp1252", _("Windows (Excel: plain 'CSV')")),
        ],
        initial="utf-8",
        widget=forms.RadioSelect,
        help_text=_(
            "If you are not sure, choose UTF-8: a wrong choice is reported, not imported."
        ),
    )


class WardImportForm(ImportForm):
    code_field = forms.CharField(
        label=_("Property with the ward code (optional)"),
        required=False,
        max_length=50,
        help_text=_("Leave empty to detect it, for example WD24CD."),
    )
    name_field = forms.CharField(
        label=_("Property with the ward name (optional)"),
        required=False,
        max_length=50,
        help_text=_("Leave empty to detect it, for example WD24NM."),
    )
    option_fields = ("code_field", "name_field")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A GeoJSON FeatureCollection of ward boundaries in longitude and latitude (WGS84), "
            "as the ONS Open Geography Portal gives them."
        )


class DeprivationImportForm(ImportForm):
    lookup = forms.FileField(
        label=_("LSOA-to-ward lookup (optional)"),
        required=False,
        help_text=_(
            "Only when the deprivation file has no ward column: a CSV with LSOA and ward codes."
        ),
    )
    encoding = _encoding_field()
    option_fields = ("encoding",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Index of Multiple Deprivation 2019 as CSV: by LSOA (with a ward column or a lookup "
            "below), or by ward."
        )

    def clean_lookup(self):
        return self._check_upload(self.cleaned_data.get("lookup"), required=False)


class OrganisationImportForm(ImportForm):
    format = forms.ChoiceField(
        label=_("What the file is"),
        choices=[],
        widget=forms.RadioSelect,
        help_text=_(
            "Organisations are matched on their charity and company numbers, never duplicated."
        ),
    )
    encoding = _encoding_field()
    option_fields = ("format", "encoding")

    def __init__(self, *args, **kwargs):
        from mapping.imports import ORGANISATION_FORMATS

        super().__init__(*args, **kwargs)
        self.fields["format"].choices = list(ORGANISATION_FORMATS.items())
        self.fields["file"].help_text = _("A CSV file.")
        self.fields["format"].error_messages["required"] = _("Say what the file is")


class ServiceImportForm(ImportForm):
    category = forms.ModelChoiceField(
        label=_("Category of new services"),
        queryset=None,
        required=False,
        to_field_name="slug",
        empty_label=_("From the file's Category column"),
        help_text=_(
            "For rows without a category. New services stay off the public pages until you "
            "publish them."
        ),
    )
    encoding = _encoding_field()
    option_fields = ("category", "encoding")

    def __init__(self, *args, **kwargs):
        from services.models import ServiceCategory

        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = ServiceCategory.objects.all()
        self.fields["file"].help_text = _(
            "An LGA Service List coded CSV: Identifier (the LGSL code), Label and Description; "
            "Category, Annual cost and Volunteer hours are read if present."
        )

    def options(self):
        options = super().options()
        if self.cleaned_data.get("category"):
            options["category"] = self.cleaned_data["category"].slug
        return options


class PostcodeImportForm(ImportForm):
    encoding = _encoding_field()
    option_fields = ("encoding",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "The ONS postcode-to-ward lookup (or your borough's part of it) as CSV, with a "
            "postcode column such as pcds and a ward column such as WD24CD."
        )
