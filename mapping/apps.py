import atexit

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MappingConfig(AppConfig):
    name = "mapping"
    verbose_name = _("Community capacity")

    def ready(self):
        from django.core.signals import request_finished
        from django.db import connections
        from django.db.backends.signals import connection_created

        from mapping import gapcache

        # Every write to what the gap analysis reads marks its cached copy stale.
        connection_created.connect(gapcache.install)
        for connection in connections.all(initialized_only=True):
            gapcache.install(sender=None, connection=connection)
        request_finished.connect(gapcache.replace_pending)
        atexit.register(gapcache.replace_pending)
