"""Anonymise one person everywhere, history included: a request for erasure."""

from django.core.management.base import BaseCommand, CommandError

from accounts.actions import LastOwner, person_erase


class Command(BaseCommand):
    help = (
        "Anonymise the person with EMAIL everywhere, history included, in one transaction. "
        "Refuses when they are the only owner of a group unless --leave-without-owner."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--leave-without-owner",
            action="store_true",
            help="Erase them even if that leaves a group without an owner.",
        )

    def handle(self, *args, email, leave_without_owner, **options):
        try:
            erasure = person_erase(email=email, leave_without_owner=leave_without_owner)
        except LastOwner as refused:
            names = "\n".join(f"  - {o.name} (number {o.pk})" for o in refused.organisations)
            raise CommandError(
                f"Nothing was changed. {email} is the only owner of:\n{names}\n"
                "Make another member an owner in the admin first, or run this again with "
                "--leave-without-owner and tell the council officer who looks after groups."
            ) from None
        if not erasure.found_anything:
            self.stdout.write(f"Nothing is held about {erasure.email}. Nothing was changed.")
            return
        lines = [f"Erased {erasure.email}:"]
        if erasure.account:
            lines.append(
                f"  account anonymised, closed, {erasure.memberships} group membership(s) and "
                f"{erasure.devices} authenticator app(s) removed"
            )
        for organisation in erasure.left_without_owner:
            lines.append(f"  WARNING: {organisation.name} now has no owner")
        for organisation in erasure.contacts_cleared:
            lines.append(f"  contact details cleared on {organisation.name}")
        lines.append(f"  {erasure.invitations} invitation(s) anonymised")
        lines.append(f"  {erasure.history_rows} history row(s) rewritten")
        lines.append(f"  {erasure.admin_log_entries} admin log line(s) rewritten")
        lines.append(f"  {erasure.sign_in_records} sign-in record(s) deleted")
        self.stdout.write("\n".join(lines))
