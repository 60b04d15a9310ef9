"""Send reads to read replicas and writes to the primary.

Off by default: with no DATABASE_REPLICA_URLS, every query goes to "default".
Replicas lag the primary a little, so a request that has just written keeps reading
from the primary (see ``pin_to_primary``) and never shows a stale page after a save.
"""

import random
import threading
from contextlib import contextmanager

from django.conf import settings

_state = threading.local()


def replica_aliases():
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


def pin_to_primary(pinned=True):
    _state.pinned = pinned


@contextmanager
def reading_from_primary():
    """Read from the primary inside the block, whatever the request did before.

    For results kept in the shared cache: filled from a lagging replica, they would keep
    showing data from before the latest write for everyone.
    """
    pinned = getattr(_state, "pinned", False)
    pin_to_primary(True)
    try:
        yield
    finally:
        pin_to_primary(pinned)


# Read from the primary whatever the request: sessions (a replica that has not yet seen
# the one just made at sign-in would sign the person out) and the database cache (a
# lagging copy would hand out values already replaced, such as the gap analysis's
# generation, or rate-limit counts).
PRIMARY_ONLY_APPS = {"sessions", "django_cache"}


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        replicas = replica_aliases()
        if (
            not replicas
            or getattr(_state, "pinned", False)
            or model._meta.app_label in PRIMARY_ONLY_APPS
        ):
            return "default"
        return random.choice(replicas)

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # Every alias holds the same data: replicas are copies of the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
