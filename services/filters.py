"""Filters for the officer service catalogue (issue 5), the public catalogue (issue 6) and
the handover pages (issue 7)."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bigsociety.forms import GovukForm
from mapping.models import Ward
from services.models import (
    DeliveryModel,
    EoiStatus,
    ExpressionOfInterest,
    HandoverAgreement,
    ProvidingBody,
    ReviewStatus,
    RiskTier,
    Route,
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


# Handover pipeline and public accountability (issue 7) ----------------------------------------


class PipelineFilter(django_filters.FilterSet):
    """The officer's pipeline board: expressions of interest by status, route, what they
    are for and whether a decision is overdue."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=EoiStatus.choices, empty_label=_("Any")
    )
    route = django_filters.ChoiceFilter(
        label=_("Way of getting involved"), choices=Route.choices, empty_label=_("Any")
    )
    q = django_filters.CharFilter(
        label=_("Group, service or place contains"), method="search", max_length=100
    )
    overdue = django_filters.BooleanFilter(
        label=_("Only decisions that are overdue"),
        method="only_overdue",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = ExpressionOfInterest
        fields = []
        form = GovukForm

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(lead_organisation__name__icontains=value)
            | Q(service__name__icontains=value)
            | Q(asset__name__icontains=value)
        )

    def only_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.overdue_on(timezone.localdate())


class AccountabilityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Service, place or group contains"), method="search", max_length=100
    )
    ward = django_filters.ModelChoiceFilter(
        label=_("Ward"),
        queryset=Ward.objects.only("pk", "name"),
        empty_label=_("Any"),
        method="in_ward",
    )

    class Meta:
        model = HandoverAgreement
        fields = []
        form = GovukForm

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(organisation__name__icontains=value)
            | Q(service__name__icontains=value)
            | Q(asset__name__icontains=value)
        )

    def in_ward(self, queryset, name, ward):
        delivers = HandoverAgreement.wards.through.objects.filter(
            handoveragreement_id=OuterRef("pk"), ward=ward
        )
        return queryset.filter(Exists(delivers) | Q(asset__ward=ward))
