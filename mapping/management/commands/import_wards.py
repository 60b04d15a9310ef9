"""manage.py import_wards FILE: ward boundaries from a GeoJSON FeatureCollection."""

from mapping.management.commands._import import ImportCommand
from mapping.models import ImportKind


class Command(ImportCommand):
    help = (
        "Import wards from a GeoJSON FeatureCollection in WGS84 (ONS boundaries): adds new "
        "wards and updates the name and boundary of those already there, matched on the "
        "ONS code. The code and name properties are detected (WD24CD and WD24NM for any "
        "year, or code/id and name), or named with --code-field and --name-field."
    )
    csv = False

    kind = ImportKind.WARDS

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--code-field", default="", help="The property with the ONS code.")
        parser.add_argument("--name-field", default="", help="The property with the name.")

    def import_options(self, options):
        return {"code_field": options["code_field"], "name_field": options["name_field"]}
