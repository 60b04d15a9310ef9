"""Filters for the officer service catalogue (issue 5)."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from bigsociety.forms import GovukForm
from mapping.models import Ward
from services.models import (
    DeliveryModel,
    ProvidingBody,
    ReviewStatus,
    RiskTier,
    Service,
    ServiceCategory,
)

ANY = _("Any")


class ServiceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name or description contains"), method="search", max_length=100
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=ServiceCategory.objects.all(), empty_label=ANY
    )
    risk_tier = django_filters.ChoiceFilter(
        label=_("Risk"), choices=RiskTier.choices, empty_label=ANY
    )
    review_status = django_filters.ChoiceFilter(
        label=_("Review status"), choices=ReviewStatus.choices, empty_label=ANY
    )
    delivery_model = django_filters.ChoiceFilter(
        label=_("How it is run now"), choices=DeliveryModel.choices, empty_label=ANY
    )
    providing_body = django_filters.ChoiceFilter(
        label=_("Provided by"), choices=ProvidingBody.choices, empty_label=ANY
    )
    ward = django_filters.ModelChoiceFilter(
        label=_("Covers the ward"),
        queryset=Ward.objects.only("pk", "name"),
        empty_label=ANY,
        method="covering",
    )

    class Meta:
        model = Service
        fields = []
        form = GovukForm

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))

    def covering(self, queryset, name, ward):
        # Exists rather than a join: no duplicate rows, so counts and pages stay right.
        covers = Service.wards.through.objects.filter(service_id=OuterRef("pk"), ward=ward)
        return queryset.filter(Exists(covers))


# Public service catalogue (issue 6) --------------------------------------------------------


class PublicServiceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Service name contains"), field_name="name", lookup_expr="icontains"
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Kind of service"),
        queryset=ServiceCategory.objects.order_by("name"),
        empty_label=_("Any"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Review status"),
        field_name="review_status",
        choices=ReviewStatus.choices,
        empty_label=_("Any"),
    )

    class Meta:
        model = Service
        fields = []
        form = GovukForm
