"""manage.py export_oruk > file.json: every published service and verified organisation
as Open Referral UK JSON, written as it is read so memory stays small."""

import json

from django.core.management.base import BaseCommand

from services import oruk

CHUNK = 500


class Command(BaseCommand):
    help = (
        "Write the open data as Open Referral UK JSON to standard output: "
        '{"organizations": [...], "services": [...]}, services with their wards\' boundaries. '
        "Only verified organisations and published services."
    )

    def handle(self, *args, **options):
        out = self.stdout
        out.write('{"organizations": [', ending="")
        self._items(
            oruk.published_organisations().iterator(chunk_size=CHUNK), oruk.organisation_json
        )
        out.write('], "services": [', ending="")
        self._items(
            oruk.published_services(full=True).iterator(chunk_size=CHUNK),
            lambda s: oruk.service_json(s, full=True),
        )
        out.write("]}")

    def _items(self, items, to_json):
        for n, item in enumerate(items):
            if n:
                self.stdout.write(",", ending="")
            self.stdout.write("\n" + json.dumps(to_json(item), ensure_ascii=False), ending="")
