"""The Django admin for geography, reference data, organisations, capacity offers,
consultations and imports.

Built for thousands of rows: every changelist loads its related rows in the same query
(``list_select_related``) and its counts as subqueries that run only for the rows on
the page, so a page costs the same number of queries whatever the table holds.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from accounts.decorators import recent_authentication_required
from bigsociety.templatetags.bigsociety import count, money
from mapping.models import (
    CapacityOffer,
    Consultation,
    ConsultationAnswer,
    ConsultationResponse,
    ImportRun,
    Invitation,
    Membership,
    Organisation,
    Postcode,
    Skill,
    SupportNeed,
    VerificationStatus,
    Ward,
)

admin.site.site_header = format_lazy(_("{council}: administration"), council=settings.COUNCIL_NAME)
admin.site.site_title = _("Community capacity administration")
admin.site.index_title = _("Records and reference data")
# The lists are wide: give them the whole width (the home page lists every model).
admin.site.enable_nav_sidebar = False

# Shared pieces (services/admin.py and accounts/admin.py use them too) -----------------


def count_of(queryset, field):
    """The number of rows of ``queryset`` whose ``field`` points at the outer row.

    A correlated subquery rather than ``Count()`` with a join: the database works it
    out only for the rows on the page, and the changelist's row count stays cheap.
    """
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def as_count(value):
    return count(value) if value is not None else None


def as_money(value):
    return money(value) if value is not None else None


class RelatedLoadingAdmin(admin.ModelAdmin):
    """Loads ``list_select_related`` in every view, not only the changelist.

    Autocomplete answers, delete confirmations and inline rows call ``__str__``, which
    for many models names a related row (an offer is "organisation - service").
    """

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if isinstance(self.list_select_related, list | tuple):
            queryset = queryset.select_related(*self.list_select_related)
        return queryset


class HistoryAdmin(RelatedLoadingAdmin, SimpleHistoryAdmin):
    """An admin with the "History" button: who changed what and when."""


class VersionedAdminMixin:
    """Bumps ``version`` on every admin save, so a group's form opened before the admin
    changed the row is refused rather than silently overwriting the change."""

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


class ReadOnlyAdminMixin:
    """Shown but never added or changed through the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def is_set_filter(field, title, set_label, unset_label):
    """A list filter on whether a date is filled in, in words ("Sent in" / "Not sent in")
    rather than the admin's "Empty" / "Not empty"."""

    class IsSetFilter(admin.SimpleListFilter):
        parameter_name = f"{field}_set"

        def lookups(self, request, model_admin):
            return [("yes", set_label), ("no", unset_label)]

        def queryset(self, request, queryset):
            if self.value() == "yes":
                return queryset.filter(**{f"{field}__isnull": False})
            if self.value() == "no":
                return queryset.filter(**{f"{field}__isnull": True})
            return queryset

    IsSetFilter.title = title
    return IsSetFilter


class SuperuserDeletesOnlyMixin:
    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


# Geography -------------------------------------------------------------------------------


@admin.register(Ward)
class WardAdmin(HistoryAdmin):
    list_display = ["name", "code", "population_display", "imd_rank_display", "imd_decile"]
    list_filter = ["imd_decile"]
    search_fields = ["name", "code"]
    fieldsets = [
        (None, {"fields": ["code", "name", "population"]}),
        (_("Deprivation (IMD 2019)"), {"fields": ["imd_score", "imd_rank", "imd_decile"]}),
        (
            _("Boundary"),
            {
                "classes": ["collapse"],
                "fields": ["boundary"],
                "description": _("A GeoJSON Polygon or MultiPolygon in longitude/latitude."),
            },
        ),
    ]

    @admin.display(description=_("population"), ordering="population")
    def population_display(self, ward):
        return as_count(ward.population)

    @admin.display(description=_("IMD rank"), ordering="imd_rank")
    def imd_rank_display(self, ward):
        return as_count(ward.imd_rank)


@admin.register(Postcode)
class PostcodeAdmin(RelatedLoadingAdmin):
    list_display = ["postcode", "ward"]
    list_select_related = ["ward"]
    list_filter = ["ward"]
    search_fields = ["postcode"]
    autocomplete_fields = ["ward"]
    # Hundreds of thousands of rows: counting them all on every page is slow.
    show_full_result_count = False


# Reference data --------------------------------------------------------------------------


@admin.register(Skill)
class SkillAdmin(HistoryAdmin):
    list_display = ["name", "offer_count"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(offer_count=count_of(CapacityOffer.skills.through.objects, "skill"))
        )

    @admin.display(description=_("offers"), ordering="offer_count")
    def offer_count(self, skill):
        return as_count(skill.offer_count)


@admin.register(SupportNeed)
class SupportNeedAdmin(HistoryAdmin):
    list_display = ["name", "code", "offer_count"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}

    def get_queryset(self, request):
        through = CapacityOffer.support_needed.through.objects
        return super().get_queryset(request).annotate(offer_count=count_of(through, "supportneed"))

    @admin.display(description=_("offers"), ordering="offer_count")
    def offer_count(self, need):
        return as_count(need.offer_count)


# Organisations ----------------------------------------------------------------------------


class MembershipInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The group's members, shown only: giving, changing or taking away a role happens in
    the Membership admin, which asks for the password again (issue 9)."""

    model = Membership
    fields = ["user", "role", "created_at", "change_role"]
    readonly_fields = fields
    extra = 0
    verbose_name_plural = _("Members (roles are given and changed under Memberships)")

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "organisation")

    @admin.display(description=_("change"))
    def change_role(self, membership):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:mapping_membership_change", args=[membership.pk]),
            _("Change the role or remove"),
        )


class CapacityOfferInline(admin.TabularInline):
    model = CapacityOffer
    fields = [
        "service",
        "willingness",
        "role",
        "volunteer_hours_per_month",
        "volunteers",
        "wards",
        "withdrawn_at",
    ]
    autocomplete_fields = ["service", "wards"]
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation", "service")


@admin.register(Organisation)
class OrganisationAdmin(VersionedAdminMixin, HistoryAdmin):
    list_display = [
        "name",
        "legal_form",
        "verification_status",
        "verified_at",
        "volunteers_display",
        "offer_count",
        "created_at",
    ]
    list_filter = [
        "verification_status",
        "legal_form",
        "income_band",
        "serves_whole_borough",
        "wards_served",
    ]
    search_fields = [
        "name",
        "charity_number",
        "company_number",
        "other_identifier",
        "postcode",
        "contact_email",
    ]
    search_help_text = _("Name, charity or company number, identifier, postcode or email.")
    autocomplete_fields = ["wards_served", "verified_by"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "updated_at", "version"]
    inlines = [MembershipInline, CapacityOfferInline]
    actions = ["verify_organisations"]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["name", "legal_form", "description", "income_band"]}),
        (
            _("Identifiers"),
            {"fields": ["charity_number", "company_number", "other_identifier"]},
        ),
        (
            _("Where it works"),
            {"fields": ["address", "postcode", "serves_whole_borough", "wards_served"]},
        ),
        (_("People"), {"fields": ["volunteers", "paid_staff"]}),
        (
            _("Contact"),
            {
                "fields": [
                    "website",
                    "contact_name",
                    "contact_email",
                    "contact_phone",
                    "publish_contact",
                ]
            },
        ),
        (
            _("Verification"),
            {
                "fields": [
                    "verification_status",
                    "verified_by",
                    "verified_at",
                    "verification_reason",
                ]
            },
        ),
        (_("Record"), {"fields": ["created_at", "updated_at", "version"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(offer_count=count_of(CapacityOffer.objects.active(), "organisation"))
        )

    @admin.display(description=_("volunteers"), ordering="volunteers")
    def volunteers_display(self, organisation):
        return as_count(organisation.volunteers)

    @admin.display(description=_("offers"), ordering="offer_count")
    def offer_count(self, organisation):
        return as_count(organisation.offer_count)

    @admin.action(description=_("Verify the selected organisations"), permissions=["change"])
    def verify_organisations(self, request, queryset):
        """Verify each one through Organisation.verify, which records who and when.

        Organisations already verified keep their original reviewer and date.
        """
        to_verify = queryset.exclude(verification_status=VerificationStatus.VERIFIED)
        verified = 0
        for organisation in to_verify:
            organisation.version += 1
            organisation.verify(by=request.user)
            verified += 1
        skipped = queryset.count() - verified
        self.message_user(
            request,
            ngettext(
                "%(count)d organisation verified.",
                "%(count)d organisations verified.",
                verified,
            )
            % {"count": verified},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d was already verified and was left as it was.",
                    "%(count)d were already verified and were left as they were.",
                    skipped,
                )
                % {"count": skipped},
                messages.INFO,
            )


class RoleGivingAdminMixin:
    """Giving or taking away a role in a group needs a recent password (issue 9): every
    view of the admin that can add, change or delete the row asks for it (a row's page is
    its form). Only reading the list is free."""

    @method_decorator(recent_authentication_required)
    def add_view(self, request, form_url="", extra_context=None):
        return super().add_view(request, form_url, extra_context)

    @method_decorator(recent_authentication_required)
    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(request, object_id, form_url, extra_context)

    @method_decorator(recent_authentication_required)
    def delete_view(self, request, object_id, extra_context=None):
        return super().delete_view(request, object_id, extra_context)

    # A past version's page saves the form posted to it ("Revert").
    @method_decorator(recent_authentication_required)
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        return super().history_form_view(request, object_id, version_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        # The list's "Delete selected" action posts to the list; only reading it is free.
        if request.method == "POST":
            return self._changelist_post(request, extra_context)
        return super().changelist_view(request, extra_context)

    @method_decorator(recent_authentication_required)
    def _changelist_post(self, request, extra_context):
        return super().changelist_view(request, extra_context)


@admin.register(Membership)
class MembershipAdmin(RoleGivingAdminMixin, HistoryAdmin):
    """The organisation admin only shows its members; roles are given here."""

    list_display = ["user", "organisation", "role", "created_at"]
    list_select_related = ["user", "organisation"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    readonly_fields = ["created_at"]


@admin.register(Invitation)
class InvitationAdmin(RoleGivingAdminMixin, HistoryAdmin):
    """An invitation gives its role when it is accepted, so making one asks as a
    membership does."""

    list_display = ["email", "organisation", "role", "invited_by", "created_at", "accepted_at"]
    list_select_related = ["organisation", "invited_by"]
    list_filter = ["role", is_set_filter("accepted_at", _("accepted"), _("Accepted"), _("Open"))]
    search_fields = ["email", "organisation__name"]
    autocomplete_fields = ["organisation", "invited_by", "accepted_by"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at"]


# Capacity offers --------------------------------------------------------------------------


@admin.register(CapacityOffer)
class CapacityOfferAdmin(VersionedAdminMixin, HistoryAdmin):
    list_display = [
        "organisation",
        "service",
        "willingness",
        "role",
        "hours_display",
        "volunteers_display",
        "ward_count",
        "withdrawn_at",
    ]
    list_select_related = ["organisation", "service"]
    list_filter = [
        "willingness",
        "role",
        "preferred_governance",
        "organisation__verification_status",
        "service__risk_tier",
        "service__category",
        is_set_filter("withdrawn_at", _("withdrawn"), _("Withdrawn"), _("Active")),
    ]
    search_fields = ["organisation__name", "service__name"]
    search_help_text = _("Organisation or service name.")
    autocomplete_fields = ["organisation", "service", "wards", "skills", "support_needed"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "updated_at", "version"]
    show_full_result_count = False

    def get_queryset(self, request):
        wards = CapacityOffer.wards.through.objects
        return super().get_queryset(request).annotate(ward_count=count_of(wards, "capacityoffer"))

    @admin.display(description=_("hours a month"), ordering="volunteer_hours_per_month")
    def hours_display(self, offer):
        return as_count(offer.volunteer_hours_per_month)

    @admin.display(description=_("volunteers"), ordering="volunteers")
    def volunteers_display(self, offer):
        return as_count(offer.volunteers)

    @admin.display(description=_("wards"), ordering="ward_count")
    def ward_count(self, offer):
        return as_count(offer.ward_count)


# Resident consultation ----------------------------------------------------------------------


@admin.register(Consultation)
class ConsultationAdmin(HistoryAdmin):
    list_display = [
        "title",
        "opens_on",
        "closes_on",
        "is_published",
        "results_published",
        "response_count",
    ]
    list_filter = ["is_published", "results_published"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["services", "created_by"]
    date_hierarchy = "opens_on"

    def get_queryset(self, request):
        responses = ConsultationResponse.objects.all()
        return (
            super()
            .get_queryset(request)
            .annotate(response_count=count_of(responses, "consultation"))
        )

    @admin.display(description=_("responses"), ordering="response_count")
    def response_count(self, consultation):
        return as_count(consultation.response_count)


class ConsultationAnswerInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ConsultationAnswer
    fields = ["service", "comfort"]
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("service")


@admin.register(ConsultationResponse)
class ConsultationResponseAdmin(
    ReadOnlyAdminMixin, SuperuserDeletesOnlyMixin, RelatedLoadingAdmin
):
    """Residents' answers are evidence: never changed after submission. An admin may
    delete one (a spoiled or abusive response); the deletion is logged in the admin."""

    list_display = [
        "submitted_at",
        "consultation",
        "ward",
        "gives_time",
        "hours_per_month",
        "age_band",
        "answer_count",
    ]
    list_select_related = ["consultation", "ward"]
    list_filter = ["consultation", "gives_time", "age_band", "ward"]
    search_fields = ["comment"]
    date_hierarchy = "submitted_at"
    inlines = [ConsultationAnswerInline]
    show_full_result_count = False

    def get_queryset(self, request):
        answers = ConsultationAnswer.objects.all()
        return super().get_queryset(request).annotate(answer_count=count_of(answers, "response"))

    @admin.display(description=_("answers"), ordering="answer_count")
    def answer_count(self, response):
        return as_count(response.answer_count)


@admin.register(ConsultationAnswer)
class ConsultationAnswerAdmin(ReadOnlyAdminMixin, SuperuserDeletesOnlyMixin, RelatedLoadingAdmin):
    list_display = ["service", "comfort", "response_ward", "response_consultation"]
    list_select_related = ["service", "response__consultation", "response__ward"]
    list_filter = ["comfort", "response__consultation", "service__category"]
    search_fields = ["service__name"]
    show_full_result_count = False

    @admin.display(description=_("ward"), ordering="response__ward__name")
    def response_ward(self, answer):
        return answer.response.ward

    @admin.display(description=_("consultation"), ordering="response__consultation__title")
    def response_consultation(self, answer):
        return answer.response.consultation


# Imports ----------------------------------------------------------------------------------


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdminMixin, RelatedLoadingAdmin):
    """A record of what each import did; imports themselves run from their own pages."""

    list_display = [
        "created_at",
        "kind",
        "filename",
        "status",
        "dry_run",
        "rows_read",
        "rows_created",
        "rows_updated",
        "started_by",
    ]
    list_select_related = ["started_by"]
    list_filter = ["kind", "status", "dry_run"]
    search_fields = ["filename", "summary"]
    date_hierarchy = "created_at"
