"""Keep every running handover agreement's monitoring returns scheduled ahead.

An agreement with an end date has all its returns from the day it is made. One with no
end date has them only ``RETURNS_SCHEDULED_AHEAD_MONTHS`` ahead; run this daily or
monthly (cron, a systemd timer) so that there is always a return for the next period.
Safe to run again, and on several servers at once: each agreement is locked in turn.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from services.actions import returns_schedule
from services.models import HandoverAgreement


class Command(BaseCommand):
    help = "Schedule the monitoring returns of running agreements that have no end date."

    def handle(self, *args, **options):
        today = timezone.localdate()
        created = 0
        pks = HandoverAgreement.objects.current_on(today).filter(ends_on__isnull=True)
        for pk in pks.values_list("pk", flat=True):
            with transaction.atomic():
                agreement = HandoverAgreement.objects.select_for_update().get(pk=pk)
                created += returns_schedule(agreement=agreement)
        self.stdout.write(f"Scheduled {created} monitoring returns.")
