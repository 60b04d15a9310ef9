"""manage.py import_services FILE [--category SLUG]: an LGA Service List coded CSV."""

from mapping.management.commands._import import ImportCommand
from mapping.models import ImportKind


class Command(ImportCommand):
    help = (
        "Import services from an LGA Service List coded CSV (Identifier, Label, Description; "
        "optional Category, Annual cost, Volunteer hours). Services with the same LGSL code "
        "are updated (empty details filled in); new ones cover every ward and stay off the "
        "public pages until an officer publishes them."
    )
    kind = ImportKind.SERVICES

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--category",
            default="",
            help="The category (code or name) of new services for rows without a category.",
        )

    def import_options(self, options):
        return super().import_options(options) | {"category": options["category"]}
