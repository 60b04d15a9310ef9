import json

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe
from simple_history.admin import SimpleHistoryAdmin

from accounts.actions import LastOwner, organisations_only_owned_by, person_erase
from accounts.decorators import recent_authentication_required
from accounts.models import OFFICERS_GROUP, User
from bigsociety.personal_data import export_person
from mapping.models import Membership

# Changing who can do what, and erasing people, need a recent password (issue 9).
reauthenticated = method_decorator(recent_authentication_required)


class MembershipInline(admin.TabularInline):
    """The organisations the person manages."""

    model = Membership
    fields = ["organisation", "role", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["organisation"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation", "user")


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "full_name",
        "is_active",
        "is_officer_display",
        "is_staff",
        "is_superuser",
        "email_confirmed_at",
        "last_login",
    ]
    list_filter = ["is_active", "is_staff", "is_superuser", "groups"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["last_login", "date_joined", "privacy_agreed_at"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "email_confirmed_at", "privacy_agreed_at"]}),
        (
            _("Roles"),
            {
                "fields": ["is_active", "is_staff", "is_superuser", "groups"],
                "description": format_lazy(
                    _(
                        "Council officers are the members of the “{group}” group. Staff can"
                        " sign in to this admin site; superusers can do everything in it."
                    ),
                    group=OFFICERS_GROUP,
                ),
            },
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]
    filter_horizontal = ["groups"]
    inlines = [MembershipInline]
    date_hierarchy = "date_joined"

    def get_queryset(self, request):
        officers = User.groups.through.objects.filter(
            user=OuterRef("pk"), group__name=OFFICERS_GROUP
        )
        return super().get_queryset(request).annotate(in_officers_group=Exists(officers))

    # Every page of the user admin changes or shows roles and personal details.
    @reauthenticated
    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, extra_context)

    @reauthenticated
    def add_view(self, request, form_url="", extra_context=None):
        return super().add_view(request, form_url, extra_context)

    @reauthenticated
    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(request, object_id, form_url, extra_context)

    @reauthenticated
    def delete_view(self, request, object_id, extra_context=None):
        return super().delete_view(request, object_id, extra_context)

    @reauthenticated
    def user_change_password(self, request, id, form_url=""):
        return super().user_change_password(request, id, form_url)

    @reauthenticated
    def history_view(self, request, object_id, extra_context=None):
        return super().history_view(request, object_id, extra_context)

    # A past version's page saves the form posted to it ("Revert"), roles included.
    @reauthenticated
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/erase/", wrap(self.erase_view), name="accounts_user_erase"),
            path("<path:object_id>/export/", wrap(self.export_view), name="accounts_user_export"),
            *super().get_urls(),
        ]

    def _person(self, request, object_id):
        # Erasure and exports are for superusers: they reach every record about a person.
        if not request.user.is_superuser:
            raise PermissionDenied
        return get_object_or_404(User, pk=object_id)

    @method_decorator(require_safe)
    @reauthenticated
    def export_view(self, request, object_id):
        """Everything held about the person, as a JSON file (a subject access request)."""
        person = self._person(request, object_id)
        body = json.dumps(
            export_person(person.email), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False
        )
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.json"'
        return response

    @method_decorator(require_http_methods(["GET", "POST"]))
    @reauthenticated
    def erase_view(self, request, object_id):
        """Erase the person, on a confirmation page of its own."""
        person = self._person(request, object_id)
        change_url = reverse("admin:accounts_user_change", args=[person.pk])
        if person.pk == request.user.pk:
            messages.error(request, gettext("You cannot erase your own account."))
            return redirect(change_url)
        sole = organisations_only_owned_by(person)
        if request.method == "POST":
            try:
                erasure = person_erase(
                    email=person.email,
                    leave_without_owner=request.POST.get("leave_without_owner") == "yes",
                )
            except LastOwner as refused:
                sole = refused.organisations
                messages.error(
                    request,
                    gettext(
                        "Nothing was erased. Tick the box to erase them even though their "
                        "groups will have no owner, or make another member an owner first."
                    ),
                )
            else:
                messages.success(
                    request,
                    gettext("%(email)s has been erased everywhere, history included.")
                    % {"email": erasure.email},
                )
                return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Erase %(name)s") % {"name": person},
            "opts": self.opts,
            "person": person,
            "sole": sole,
            "memberships": Membership.objects.filter(user=person).select_related("organisation"),
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/accounts/user/erase.html", context)

    def get_inline_instances(self, request, obj=None):
        # The add form asks only for email, name and password.
        return super().get_inline_instances(request, obj) if obj else []

    @admin.display(
        description=_("in the officers group"), boolean=True, ordering="in_officers_group"
    )
    def is_officer_display(self, user):
        return user.in_officers_group
