"""manage.py import_deprivation FILE [--lookup FILE]: IMD 2019 for the wards."""

from mapping.management.commands._import import ImportCommand
from mapping.models import ImportKind


class Command(ImportCommand):
    help = (
        "Import the Index of Multiple Deprivation 2019: by LSOA (with a ward column, or an "
        "LSOA-to-ward lookup given with --lookup), rolled up to wards weighted by population "
        "when the file has a population column, or by ward. Rows of wards that are not in "
        "the database are skipped."
    )
    kind = ImportKind.DEPRIVATION

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--lookup", default=None, help="An LSOA-to-ward lookup CSV file.")

    def import_options(self, options):
        return super().import_options(options) | {"lookup": options["lookup"]}
