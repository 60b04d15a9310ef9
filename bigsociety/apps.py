from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BigsocietyConfig(AppConfig):
    name = "bigsociety"
    verbose_name = _("Site")

    def ready(self):
        from bigsociety import checks  # noqa: F401
