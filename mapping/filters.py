"""Filters for the officer mapping pages (issue 5): the organisation directory, the gap
matrix and map, and the support-needs summary."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bigsociety.forms import GovukForm
from mapping.models import (
    CapacityOffer,
    Consultation,
    ImportKind,
    ImportRun,
    ImportStatus,
    LegalForm,
    Organisation,
    SupportNeed,
    VerificationStatus,
    Ward,
    Willingness,
)
from services.models import ReviewStatus, RiskTier, Service, ServiceCategory

ANY = _("Any")


class NameChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """Choices as (id, name) read straight from the database, with no model instance
    made for each: the directory's filters list a county's 400 services and 100 wards
    on every view (issue 10). For models whose ``__str__`` is their name."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", "name")


class NameChoiceField(django_filters.fields.ModelChoiceField):
    iterator = NameChoiceIterator


class NameChoiceFilter(django_filters.ModelChoiceFilter):
    """A ModelChoiceFilter listing its choices by name, quickly (see NameChoiceIterator)."""

    field_class = NameChoiceField


def _keep(queryset, name, value):
    """For fields that choose how to analyse, not which rows to keep."""
    return queryset


class OrganisationFilter(django_filters.FilterSet):
    """The officer directory. The offer filters (service, category, readiness, support
    need) apply together to one active offer: "groups ready now for a library service
    who need training" means one offer that is all of those."""

    q = django_filters.CharFilter(label=_("Name contains"), method="search", max_length=100)
    ward = NameChoiceFilter(
        label=_("Works in the ward"),
        queryset=Ward.objects.only("pk", "name"),
        empty_label=ANY,
        method="serving",
    )
    legal_form = django_filters.ChoiceFilter(
        label=_("Legal form"), choices=LegalForm.choices, empty_label=ANY
    )
    verification_status = django_filters.ChoiceFilter(
        label=_("Verification"), choices=VerificationStatus.choices, empty_label=ANY
    )
    service = NameChoiceFilter(
        label=_("Offers help with the service"),
        queryset=Service.objects.only("pk", "name"),
        empty_label=ANY,
        method=_keep,
    )
    category = NameChoiceFilter(
        label=_("Offers help in the category"),
        queryset=ServiceCategory.objects.only("pk", "name"),
        empty_label=ANY,
        method=_keep,
    )
    willingness = django_filters.ChoiceFilter(
        label=_("How ready"), choices=Willingness.choices, empty_label=ANY, method=_keep
    )
    support_need = NameChoiceFilter(
        label=_("Needs support with"),
        queryset=SupportNeed.objects.all(),
        empty_label=ANY,
        method=_keep,
    )

    class Meta:
        model = Organisation
        fields = []
        form = GovukForm

    def search(self, queryset, name, value):
        return queryset.filter(name__icontains=value)

    def serving(self, queryset, name, ward):
        serves = Organisation.wards_served.through.objects.filter(
            organisation_id=OuterRef("pk"), ward=ward
        )
        return queryset.filter(Q(serves_whole_borough=True) | Exists(serves))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        offer_filters = {
            "service": data.get("service"),
            "service__category": data.get("category"),
            "willingness": data.get("willingness"),
            "support_needed": data.get("support_need"),
        }
        offer_filters = {k: v for k, v in offer_filters.items() if v}
        if offer_filters:
            offers = CapacityOffer.objects.active().filter(
                organisation_id=OuterRef("pk"), **offer_filters
            )
            queryset = queryset.filter(Exists(offers))
        return queryset


INCLUDE_PENDING_LABEL = _("Count groups still waiting for review")
INCLUDE_PENDING_HINT = _("By default only verified groups count. Rejected groups never count.")


class IncludePendingFilter(django_filters.Filter):
    """A tick box that changes how the gaps are counted, not which services are shown."""

    field_class = forms.BooleanField

    def __init__(self, **kwargs):
        kwargs.setdefault("label", INCLUDE_PENDING_LABEL)
        kwargs.setdefault("help_text", INCLUDE_PENDING_HINT)
        kwargs.setdefault("method", _keep)
        super().__init__(**kwargs)


class GapFilter(django_filters.FilterSet):
    """Which services the gap matrix and map analyse, and whether unverified groups count."""

    category = NameChoiceFilter(
        label=_("Category"), queryset=ServiceCategory.objects.all(), empty_label=ANY
    )
    risk_tier = django_filters.ChoiceFilter(
        label=_("Risk"), choices=RiskTier.choices, empty_label=ANY
    )
    review_status = django_filters.ChoiceFilter(
        label=_("Review status"), choices=ReviewStatus.choices, empty_label=ANY
    )
    include_pending = IncludePendingFilter()

    class Meta:
        model = Service
        fields = []
        form = GovukForm

    @property
    def counts_pending(self):
        """Whether groups waiting for review count, as the officer asked."""
        return bool(self.form.is_valid() and self.form.cleaned_data.get("include_pending"))


class MapMetric:
    GAPS = "gaps"
    CAPACITY = "capacity"
    DEPRIVATION = "deprivation"
    COMFORT = "comfort"
    CHOICES = [
        (GAPS, _("Share of services with no capacity or fragile")),
        (CAPACITY, _("Weighted volunteer hours a month offered")),
        (DEPRIVATION, _("Deprivation (IMD 2019 decile)")),
        (COMFORT, _("Residents' comfort with community-run services")),
    ]


class GapMapFilter(GapFilter):
    metric = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=MapMetric.CHOICES,
        empty_label=None,
        method=_keep,
        widget=forms.RadioSelect,
    )

    @property
    def metric_value(self):
        if self.form.is_valid():
            return self.form.cleaned_data.get("metric") or MapMetric.GAPS
        return MapMetric.GAPS


class SupportNeedsForm(GovukForm):
    category = forms.ModelChoiceField(
        label=_("Offers in the category"),
        queryset=ServiceCategory.objects.all(),
        required=False,
        empty_label=ANY,
    )
    include_pending = forms.BooleanField(
        label=INCLUDE_PENDING_LABEL, help_text=INCLUDE_PENDING_HINT, required=False
    )


# Resident consultation (issue 6) ---------------------------------------------------------


class ConsultationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Title contains"), field_name="title", lookup_expr="icontains"
    )
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=Consultation.State.choices,
        empty_label=_("Any"),
        method="in_state",
    )

    class Meta:
        model = Consultation
        fields = []
        form = GovukForm

    def in_state(self, queryset, name, value):
        return queryset.in_state_on(value, timezone.localdate())


# Public directory of verified groups (issue 6) ---------------------------------------------


def public_offers():
    """Offers that say what a group does in public: active, willing, for a public service."""
    return (
        CapacityOffer.objects.active()
        .exclude(willingness=Willingness.NOT_INTERESTED)
        .filter(service__published=True)
    )


class PublicOrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Group name"), method="name_contains")
    ward = NameChoiceFilter(
        label=_("Ward"),
        queryset=Ward.objects.order_by("name"),
        empty_label=_("Any ward"),
        method="serving_ward",
    )
    category = NameChoiceFilter(
        label=_("Helps with"),
        queryset=ServiceCategory.objects.order_by("name"),
        empty_label=_("Any kind of service"),
        method="helping_with",
    )

    class Meta:
        model = Organisation
        fields = []
        form = GovukForm

    def name_contains(self, queryset, name, value):
        return queryset.filter(name__icontains=value)

    def serving_ward(self, queryset, name, ward):
        return queryset.serving(ward)

    def helping_with(self, queryset, name, category):
        offers = public_offers().filter(service__category=category)
        return queryset.filter(pk__in=offers.values("organisation_id"))


# Imports (issue 8) -----------------------------------------------------------------------------


class ImportRunFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("What was imported"), choices=ImportKind.choices, empty_label=ANY
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ImportStatus.choices, empty_label=ANY
    )

    class Meta:
        model = ImportRun
        fields = ["kind", "status"]
        form = GovukForm


# Community groups' own pages and the officer review queue (issue 4) ------------------------


class GroupOfferFilter(django_filters.FilterSet):
    """A group's list of its own offers."""

    ACTIVE, WITHDRAWN = "active", "withdrawn"
    status = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=[(ACTIVE, _("Offers that count")), (WITHDRAWN, _("Withdrawn offers"))],
        empty_label=_("All offers"),
        method="in_status",
    )

    class Meta:
        model = CapacityOffer
        fields = []
        form = GovukForm

    def in_status(self, queryset, name, value):
        if value == self.ACTIVE:
            return queryset.active()
        return queryset.filter(withdrawn_at__isnull=False)


class ServiceBrowseFilter(django_filters.FilterSet):
    """Finding a service to offer help with: by kind of service, or by words in its name."""

    q = django_filters.CharFilter(
        label=_("Search by name"), method="name_contains", max_length=100
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Kind of service"),
        queryset=ServiceCategory.objects.all(),
        to_field_name="slug",
        empty_label=_("Any kind of service"),
    )

    class Meta:
        model = Service
        fields = []
        form = GovukForm

    def name_contains(self, queryset, name, value):
        return queryset.filter(name__icontains=value)


class ReviewQueueFilter(django_filters.FilterSet):
    """The officer's queue: groups waiting for review, or recently reviewed ones."""

    status = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=VerificationStatus.choices,
        empty_label=None,
        method="in_status",
    )
    q = django_filters.CharFilter(label=_("Name contains"), method="name_contains", max_length=100)

    class Meta:
        model = Organisation
        fields = []
        form = GovukForm

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        if not data.get("status"):
            data["status"] = VerificationStatus.PENDING
        super().__init__(data, *args, **kwargs)

    def in_status(self, queryset, name, value):
        return queryset.filter(verification_status=value)

    def name_contains(self, queryset, name, value):
        return queryset.filter(name__icontains=value)
