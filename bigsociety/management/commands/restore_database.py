"""`make restore FILE=...`: replace the database with a backup."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from bigsociety.backups import BackupError, backup, check_backup, restore


class Command(BaseCommand):
    help = (
        "Replace everything in the database with a backup made by `make backup`. Stop the "
        "site first. A copy of the database as it is now is made before anything changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--database", default="default")
        parser.add_argument("--no-input", action="store_true", help="Do not ask for confirmation.")
        parser.add_argument(
            "--no-safety-copy",
            action="store_true",
            help="Do not back up the database as it is now before restoring.",
        )

    def handle(self, *args, file, database, no_input, no_safety_copy, **options):
        connection = connections[database]
        name = connection.settings_dict["NAME"]
        try:
            check_backup(connection, file)
        except BackupError as error:
            raise CommandError(f"Nothing was changed. {error}") from None
        if not no_input:
            answer = input(
                f"This replaces everything in the database {name} with {file}.\n"
                "Type 'yes' to go on: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing was changed.")
        try:
            if not no_safety_copy:
                copy = backup(connection, settings.BACKUP_DIR)
                self.stdout.write(f"The database as it was is in {copy}.")
            restore(connection, file)
        except BackupError as error:
            raise CommandError(f"The restore failed and nothing was changed. {error}") from None
        self.stdout.write(
            f"Restored {name} from {file}. Run `manage.py migrate` if the backup is older "
            "than this version of the site, then start the site."
        )
