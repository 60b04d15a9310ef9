"""manage.py import_postcodes FILE: the ONS postcode-to-ward lookup."""

from mapping.management.commands._import import ImportCommand
from mapping.models import ImportKind


class Command(ImportCommand):
    help = (
        "Import the postcode-to-ward lookup (ONS postcode directory or a borough extract: a "
        "postcode column such as pcds and a ward column such as WD24CD or osward), so that "
        "residents can answer consultations by postcode. Postcodes no longer in use and "
        "those of wards not in the database are skipped."
    )
    kind = ImportKind.POSTCODES
