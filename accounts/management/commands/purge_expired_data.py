"""Delete personal data past its keeping time. Run it once a day (cron or a systemd timer)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.actions import expired_data_purge


class Command(BaseCommand):
    help = (
        "Delete accounts never confirmed, invitations never accepted and old sign-in "
        "records, with their history, as the privacy notice says."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--unconfirmed-days",
            type=int,
            default=settings.UNCONFIRMED_ACCOUNT_DAYS,
            help="Delete accounts not confirmed this many days after they were made.",
        )
        parser.add_argument(
            "--invitation-days",
            type=int,
            default=settings.STALE_INVITATION_DAYS,
            help="Delete invitations not accepted this many days after they were sent.",
        )
        parser.add_argument(
            "--sign-in-log-days",
            type=int,
            default=settings.SIGN_IN_LOG_DAYS,
            help="Delete sign-in records older than this many days.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be deleted; delete nothing."
        )

    def handle(self, *args, unconfirmed_days, invitation_days, sign_in_log_days, dry_run, **o):
        purge = expired_data_purge(
            now=timezone.now(),
            unconfirmed_days=unconfirmed_days,
            invitation_days=invitation_days,
            sign_in_log_days=sign_in_log_days,
            dry_run=dry_run,
        )
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} {purge.accounts} unconfirmed account(s), {purge.organisations} group(s) "
            f"only they had registered, {purge.invitations} stale invitation(s) and "
            f"{purge.sign_in_records} old sign-in record(s)."
        )
        for organisation in purge.organisations_kept:
            self.stdout.write(
                f"Kept {organisation.name} (number {organisation.pk}): other records depend "
                "on it. An officer should decide what happens to it."
            )
