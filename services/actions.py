"""Writes to the service catalogue that need more than one statement (issue 5)."""

from django.db import transaction
from django.db.models import F

from services.models import Service


class ServiceChanged(Exception):
    """Someone else saved the service after this edit started; nothing was written."""

    def __init__(self, current):
        super().__init__(f"Service {current.pk} is now at version {current.version}")
        self.current = current


@transaction.atomic
def service_update(*, form, expected_version):
    """Save a valid ServiceForm if the service is still at ``expected_version``.

    The conditional UPDATE claims the next version and locks the row until the
    transaction ends, so of two officers saving at once exactly one wins; the other
    gets ServiceChanged with the service as it now is, and nothing of theirs is written.
    """
    pk = form.instance.pk
    claimed = Service.objects.filter(pk=pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise ServiceChanged(Service.objects.get(pk=pk))
    service = form.save(commit=False)
    service.version = expected_version + 1
    service.save()  # the whole row, and one history record
    form.save_m2m()
    return service
