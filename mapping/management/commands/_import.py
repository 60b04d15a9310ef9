"""What every import command shares: the file, --dry-run, --encoding, the printed report
and a record of the run (listed with the uploads on the imports page)."""

from django.core.management.base import BaseCommand, CommandError

from mapping.actions import import_run_finish
from mapping.imports import ENCODINGS, run_import
from mapping.models import ImportRun, ImportStatus


class ImportCommand(BaseCommand):
    kind = None
    csv = True  # False for GeoJSON, which is always UTF-8

    def add_arguments(self, parser):
        parser.add_argument("file", help="The file to import.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check every row and report, but write nothing.",
        )
        if self.csv:
            parser.add_argument(
                "--encoding",
                choices=list(ENCODINGS),
                default="utf-8",
                help="The file's text encoding (default utf-8; cp1252 for Excel's plain CSV).",
            )

    def import_options(self, options):
        """The import's own options, from the command line."""
        return {"encoding": options["encoding"]} if self.csv else {}

    def handle(self, *args, **options):
        import_options = self.import_options(options)
        run = ImportRun.objects.create(
            kind=self.kind,
            filename=str(options["file"])[-255:],
            options={k: str(v) for k, v in import_options.items() if v},
            dry_run=options["dry_run"],
            status=ImportStatus.RUNNING,
        )
        report = run_import(
            self.kind, options["file"], dry_run=options["dry_run"], **import_options
        )
        import_run_finish(run=run, report=report)
        text = report.as_text()
        if not report.ok:
            self.stderr.write(text)
            raise CommandError(f"{report.problem_count:,} problem(s) found: nothing was written.")
        self.stdout.write(text)
