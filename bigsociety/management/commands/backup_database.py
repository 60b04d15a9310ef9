"""`make backup`: copy the database into a new file in BACKUP_DIR (var/backups/)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from bigsociety.backups import BackupError, backup


class Command(BaseCommand):
    help = "Copy the whole database into a new file (pg_dump, or SQLite's online backup)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory", default=settings.BACKUP_DIR, help="Where to write the backup."
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, directory, database, **options):
        try:
            path = backup(connections[database], directory)
        except BackupError as error:
            raise CommandError(f"No backup was made. {error}") from None
        size = path.stat().st_size
        self.stdout.write(f"Backed up to {path} ({size:,} bytes).")
        self.stdout.write(
            "It holds personal data: keep it somewhere safe, readable only by those who "
            "restore the site."
        )
