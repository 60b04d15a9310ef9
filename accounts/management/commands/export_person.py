"""Everything held about one person, as JSON: for a subject access request."""

import json

from django.core.management.base import BaseCommand
from django.core.serializers.json import DjangoJSONEncoder

from bigsociety.personal_data import export_person


class Command(BaseCommand):
    help = "Write everything held about the person with EMAIL as JSON (a subject access request)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--output", "-o", help="Write to this file instead of the standard output."
        )

    def handle(self, *args, email, output=None, **options):
        text = json.dumps(
            export_person(email), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False
        )
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text + "\n")
            self.stderr.write(f"Written to {output}")
        else:
            self.stdout.write(text)
