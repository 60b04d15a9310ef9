"""manage.py load_demo [--password PW]: the demo borough, for trying the app out.

Safe to run again and again (``make run`` does): it adds only what is missing.
"""

import time

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from mapping.management.commands._demo import DEMO_GROUP_NAME, DemoBorough

SINGULAR = {
    "accounts": "account",
    "wards": "ward",
    "services": "service",
    "organisations": "organisation",
    "memberships": "membership",
    "invitations": "invitation",
    "capacity offers": "capacity offer",
    "consultations": "consultation",
    "consultation responses": "consultation response",
    "assets": "asset",
    "Asset of Community Value listings": "Asset of Community Value listing",
    "expressions of interest": "expression of interest",
    "handover agreements": "handover agreement",
    "postcodes": "postcode",
}
ROLES = {
    "officer": "Council officer",
    "group": f"Owner of {DEMO_GROUP_NAME}",
    "admin": "Admin (superuser)",
}


class Command(BaseCommand):
    help = (
        "Load the demo borough: wards (Lewisham's real ones when ../shared/data is there), "
        "services, 150 community groups, 600 offers, a consultation, the handover pipeline "
        "and three accounts. Running it again adds only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Password for the three demo accounts. Without it, new accounts get a "
            "random password (printed at the end) and existing accounts keep theirs.",
        )

    def handle(self, *args, password=None, **options):
        if password is not None:
            try:
                validate_password(password)
            except ValidationError as error:
                raise CommandError(
                    "Choose a stronger demo password: " + " ".join(error.messages)
                ) from error
        started = time.monotonic()
        demo = DemoBorough()
        accounts = demo.load(password=password)
        seconds = time.monotonic() - started

        self.stdout.write(f"Geography: {demo.geography}.")
        created = +demo.created  # without the zeros
        if created:
            added = ", ".join(
                f"{n:,} {what if n != 1 else SINGULAR.get(what, what)}"
                for what, n in created.items()
            )
            self.stdout.write(self.style.SUCCESS(f"Added {added} in {seconds:.1f} seconds."))
        else:
            self.stdout.write("Nothing to add: the demo borough is already loaded.")

        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Demo sign-in"))
        self.stdout.write("  Sign in at /account/sign-in/ ; the admin site is at /admin/")
        kept = False
        for key, account in accounts.items():
            if account.password is None:
                shown = "(unchanged from an earlier run)"
                kept = True
            else:
                shown = account.password
            self.stdout.write(f"  {ROLES[key]:<38} {account.user.email:<20} password: {shown}")
        if kept:
            self.stdout.write(
                "  Existing demo accounts keep their passwords. To set a new one: "
                "load_demo --password '...' (or make run PASSWORD='...')."
            )
