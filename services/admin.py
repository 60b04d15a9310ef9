"""The Django admin for the service catalogue, assets, Assets of Community Value,
expressions of interest, handover agreements and monitoring returns.

The day-to-day work happens on the officer pages; the admin is for corrections and
reference data. Query counts stay flat however many rows there are (see mapping/admin.py).
"""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mapping.admin import (
    HistoryAdmin,
    ReadOnlyAdminMixin,
    RelatedLoadingAdmin,
    SuperuserDeletesOnlyMixin,
    VersionedAdminMixin,
    as_count,
    as_money,
    count_of,
    is_set_filter,
)
from mapping.models import CapacityOffer
from services.models import (
    AcvNomination,
    Asset,
    EoiPartner,
    EoiTransition,
    ExpressionOfInterest,
    HandoverAgreement,
    Indicator,
    IndicatorValue,
    IntentionToBid,
    MonitoringReturn,
    SaleNotice,
    Service,
    ServiceCategory,
)

# The catalogue ----------------------------------------------------------------------------


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(HistoryAdmin):
    list_display = ["name", "slug", "default_risk_tier", "service_count"]
    list_filter = ["default_risk_tier"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        services = Service.objects.all()
        return super().get_queryset(request).annotate(service_count=count_of(services, "category"))

    @admin.display(description=_("services"), ordering="service_count")
    def service_count(self, category):
        return as_count(category.service_count)


@admin.register(Service)
class ServiceAdmin(VersionedAdminMixin, HistoryAdmin):
    list_display = [
        "name",
        "category",
        "risk_tier",
        "review_status",
        "cost_display",
        "budget_change_display",
        "offer_count",
        "lgsl_code",
    ]
    list_select_related = ["category"]
    list_filter = [
        "category",
        "risk_tier",
        "review_status",
        "delivery_model",
        "providing_body",
        "statutory_duty",
        "published",
    ]
    search_fields = ["name", "description", "lgsl_code__exact"]
    search_help_text = _("Name, words in the description, or an LGA Service List code.")
    autocomplete_fields = ["category", "wards", "lead_officer"]
    readonly_fields = ["created_at", "updated_at", "version"]
    fieldsets = [
        (None, {"fields": ["name", "category", "description", "lgsl_code", "published"]}),
        (
            _("Who provides it and how"),
            {
                "fields": [
                    "providing_body",
                    "statutory_duty",
                    "risk_tier",
                    "delivery_model",
                    "review_status",
                    "lead_officer",
                ]
            },
        ),
        (
            _("Money and time"),
            {"fields": ["annual_cost", "planned_budget_change", "volunteer_hours_needed"]},
        ),
        (_("Where"), {"fields": ["wards"]}),
        (_("Record"), {"fields": ["created_at", "updated_at", "version"]}),
    ]

    def get_queryset(self, request):
        offers = CapacityOffer.objects.active()
        return super().get_queryset(request).annotate(offer_count=count_of(offers, "service"))

    @admin.display(description=_("annual cost"), ordering="annual_cost")
    def cost_display(self, service):
        return as_money(service.annual_cost)

    @admin.display(description=_("budget change"), ordering="planned_budget_change")
    def budget_change_display(self, service):
        return as_money(service.planned_budget_change)

    @admin.display(description=_("offers"), ordering="offer_count")
    def offer_count(self, service):
        return as_count(service.offer_count)


# Assets and Assets of Community Value -------------------------------------------------------


@admin.register(Asset)
class AssetAdmin(HistoryAdmin):
    list_display = [
        "name",
        "asset_type",
        "ward",
        "owner",
        "owned_by_council",
        "running_cost_display",
        "condition",
    ]
    list_select_related = ["ward"]
    list_filter = ["asset_type", "condition", "owned_by_council", "ward"]
    search_fields = ["name", "address", "postcode", "owner"]
    autocomplete_fields = ["ward", "services"]

    @admin.display(description=_("running cost"), ordering="running_cost")
    def running_cost_display(self, asset):
        return as_money(asset.running_cost)


@admin.register(AcvNomination)
class AcvNominationAdmin(HistoryAdmin):
    list_display = ["asset", "organisation", "status", "submitted_at", "decided_at", "listed_on"]
    list_select_related = ["asset", "organisation"]
    list_filter = ["status"]
    search_fields = ["asset__name", "organisation__name"]
    autocomplete_fields = ["asset", "organisation", "submitted_by", "decided_by"]
    date_hierarchy = "submitted_at"
    readonly_fields = ["submitted_at"]


class IntentionToBidInline(admin.TabularInline):
    model = IntentionToBid
    fields = ["organisation", "recorded_by", "recorded_at"]
    readonly_fields = ["recorded_at"]
    autocomplete_fields = ["organisation", "recorded_by"]
    extra = 0

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("organisation", "recorded_by", "sale_notice__asset")
        )


@admin.register(SaleNotice)
class SaleNoticeAdmin(HistoryAdmin):
    list_display = ["asset", "notified_on", "recorded_by", "intention_count"]
    list_select_related = ["asset", "recorded_by"]
    search_fields = ["asset__name"]
    autocomplete_fields = ["asset", "recorded_by"]
    date_hierarchy = "notified_on"
    inlines = [IntentionToBidInline]

    def get_queryset(self, request):
        intentions = IntentionToBid.objects.all()
        return (
            super()
            .get_queryset(request)
            .annotate(intention_count=count_of(intentions, "sale_notice"))
        )

    @admin.display(description=_("intentions to bid"), ordering="intention_count")
    def intention_count(self, notice):
        return as_count(notice.intention_count)


@admin.register(IntentionToBid)
class IntentionToBidAdmin(HistoryAdmin):
    list_display = ["organisation", "sale_notice", "recorded_at"]
    list_select_related = ["organisation", "sale_notice__asset"]
    search_fields = ["organisation__name", "sale_notice__asset__name"]
    autocomplete_fields = ["sale_notice", "organisation", "recorded_by"]
    date_hierarchy = "recorded_at"


# Expressions of interest ---------------------------------------------------------------------


class EoiPartnerInline(admin.TabularInline):
    model = EoiPartner
    fk_name = "expression_of_interest"
    fields = ["organisation", "status", "responded_at", "responded_by"]
    autocomplete_fields = ["organisation", "responded_by"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation", "responded_by")


class EoiTransitionInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The status history: written by the handover pages, never edited here."""

    model = EoiTransition
    fields = ["at", "from_status", "to_status", "by", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


@admin.register(ExpressionOfInterest)
class ExpressionOfInterestAdmin(VersionedAdminMixin, HistoryAdmin):
    list_display = [
        "lead_organisation",
        "subject_display",
        "route",
        "status",
        "submitted_at",
        "decision_due_on",
        "decided_at",
    ]
    list_select_related = ["lead_organisation", "service", "asset"]
    list_filter = [
        "status",
        "route",
        is_set_filter("submitted_at", _("submitted"), _("Submitted"), _("Not submitted")),
    ]
    search_fields = ["lead_organisation__name", "service__name", "asset__name"]
    search_help_text = _("Lead organisation, service or asset name.")
    autocomplete_fields = [
        "lead_organisation",
        "service",
        "asset",
        "offers",
        "support_requested",
        "decided_by",
        "created_by",
    ]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "updated_at", "version"]
    inlines = [EoiPartnerInline, EoiTransitionInline]

    @admin.display(description=_("service or asset"))
    def subject_display(self, eoi):
        return eoi.subject


@admin.register(EoiPartner)
class EoiPartnerAdmin(HistoryAdmin):
    list_display = ["organisation", "expression_of_interest", "status", "invited_at"]
    list_select_related = [
        "organisation",
        "expression_of_interest__lead_organisation",
        "expression_of_interest__service",
        "expression_of_interest__asset",
    ]
    list_filter = ["status"]
    search_fields = ["organisation__name", "expression_of_interest__lead_organisation__name"]
    autocomplete_fields = ["expression_of_interest", "organisation", "responded_by"]


@admin.register(EoiTransition)
class EoiTransitionAdmin(ReadOnlyAdminMixin, SuperuserDeletesOnlyMixin, RelatedLoadingAdmin):
    list_display = ["at", "expression_of_interest", "from_status", "to_status", "by"]
    list_select_related = [
        "by",
        "expression_of_interest__lead_organisation",
        "expression_of_interest__service",
        "expression_of_interest__asset",
    ]
    list_filter = ["to_status", "from_status"]
    search_fields = ["expression_of_interest__lead_organisation__name", "reason"]
    date_hierarchy = "at"


# Handover agreements and monitoring ----------------------------------------------------------


class IndicatorInline(admin.TabularInline):
    model = Indicator
    fields = ["name", "unit", "target"]
    extra = 0


@admin.register(HandoverAgreement)
class HandoverAgreementAdmin(HistoryAdmin):
    list_display = [
        "organisation",
        "subject_display",
        "delivery_model",
        "starts_on",
        "ends_on",
        "funding_display",
        "return_frequency",
        "indicator_count",
    ]
    list_select_related = ["organisation", "service", "asset"]
    list_filter = ["delivery_model", "return_frequency"]
    search_fields = ["organisation__name", "service__name", "asset__name"]
    autocomplete_fields = [
        "expression_of_interest",
        "organisation",
        "service",
        "asset",
        "wards",
        "created_by",
    ]
    date_hierarchy = "starts_on"
    inlines = [IndicatorInline]

    def get_queryset(self, request):
        indicators = Indicator.objects.all()
        return (
            super()
            .get_queryset(request)
            .annotate(indicator_count=count_of(indicators, "agreement"))
        )

    @admin.display(description=_("service or asset"))
    def subject_display(self, agreement):
        return agreement.subject

    @admin.display(description=_("council funding"), ordering="council_funding")
    def funding_display(self, agreement):
        return as_money(agreement.council_funding)

    @admin.display(description=_("indicators"), ordering="indicator_count")
    def indicator_count(self, agreement):
        return as_count(agreement.indicator_count)


@admin.register(Indicator)
class IndicatorAdmin(HistoryAdmin):
    list_display = ["name", "agreement", "unit", "target"]
    list_select_related = ["agreement__organisation", "agreement__service", "agreement__asset"]
    search_fields = ["name", "agreement__organisation__name"]
    autocomplete_fields = ["agreement"]


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    fields = ["indicator", "value"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only the indicators of this return's agreement make sense here.
        object_id = str(request.resolver_match.kwargs.get("object_id", ""))
        if db_field.name == "indicator" and object_id.isdigit():
            kwargs["queryset"] = Indicator.objects.filter(agreement__returns=object_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue: not sent in by the due date"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue_on(timezone.localdate())
        return queryset


@admin.register(MonitoringReturn)
class MonitoringReturnAdmin(HistoryAdmin):
    list_display = [
        "agreement",
        "period_start",
        "period_end",
        "due_on",
        "submitted_at",
        "is_overdue",
        "rating",
        "hours_display",
        "complaints",
    ]
    list_select_related = ["agreement__organisation", "agreement__service", "agreement__asset"]
    list_filter = [
        OverdueFilter,
        is_set_filter("submitted_at", _("sent in"), _("Sent in"), _("Not sent in")),
        "rating",
    ]
    search_fields = ["agreement__organisation__name", "narrative"]
    autocomplete_fields = ["agreement", "submitted_by", "reviewed_by"]
    date_hierarchy = "due_on"
    inlines = [IndicatorValueInline]
    show_full_result_count = False

    @admin.display(description=_("overdue"), boolean=True)
    def is_overdue(self, monitoring_return):
        return monitoring_return.submitted_at is None and (
            monitoring_return.due_on < timezone.localdate()
        )

    @admin.display(description=_("volunteer hours"), ordering="volunteer_hours")
    def hours_display(self, monitoring_return):
        return as_count(monitoring_return.volunteer_hours)


@admin.register(IndicatorValue)
class IndicatorValueAdmin(HistoryAdmin):
    list_display = ["indicator", "value", "monitoring_return"]
    list_select_related = [
        "indicator",
        "monitoring_return__agreement__organisation",
        "monitoring_return__agreement__service",
        "monitoring_return__agreement__asset",
    ]
    search_fields = ["indicator__name", "monitoring_return__agreement__organisation__name"]
    autocomplete_fields = ["monitoring_return", "indicator"]
    show_full_result_count = False
