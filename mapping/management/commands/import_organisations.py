"""manage.py import_organisations FILE --format charity-commission|360giving|csv."""

from mapping.imports import ORGANISATION_FORMATS
from mapping.management.commands._import import ImportCommand
from mapping.models import ImportKind


class Command(ImportCommand):
    help = (
        "Import organisations from a Charity Commission register extract, 360Giving grants "
        "data or the council's own CSV, matched on their charity number, company number or "
        "other org-id identifier: existing organisations are updated, never duplicated. New "
        "ones wait for an officer's review."
    )
    kind = ImportKind.ORGANISATIONS

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--format",
            choices=list(ORGANISATION_FORMATS),
            default="csv",
            help="The file's format.",
        )

    def import_options(self, options):
        return super().import_options(options) | {"format": options["format"]}
