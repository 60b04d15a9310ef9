from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Exists, OuterRef
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import OFFICERS_GROUP, User
from mapping.models import Membership


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
class UserAdmin(DjangoUserAdmin):
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
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "email_confirmed_at"]}),
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

    def get_inline_instances(self, request, obj=None):
        # The add form asks only for email, name and password.
        return super().get_inline_instances(request, obj) if obj else []

    @admin.display(
        description=_("in the officers group"), boolean=True, ordering="in_officers_group"
    )
    def is_officer_display(self, user):
        return user.in_officers_group
