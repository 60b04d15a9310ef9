from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")
    default = True

    def ready(self):
        from accounts import signals  # noqa: F401


class CouncilAdminConfig(admin_apps.AdminConfig):
    """The Django admin, with a site that asks staff for a two-factor code."""

    default = False
    default_site = "accounts.admin_site.CouncilAdminSite"
