"""manage.py run_imports: the worker that runs uploaded imports outside web requests.

Upload pages only store the file and queue an ImportRun; this takes queued runs one at
a time and runs them. Run as many as you like, on any machine that reaches the database:
each run is taken by exactly one worker (SKIP LOCKED and a conditional update).
"""

import time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand

from mapping.actions import import_run_claim, import_run_process, import_runs_abandon


class Command(BaseCommand):
    help = (
        "Run the imports uploaded on the imports pages, one at a time, until stopped "
        "(or, with --once, until the queue is empty)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Run what is queued now, then stop."
        )

    def handle(self, *args, once=False, **options):
        poll = settings.IMPORT_WORKER_POLL_SECONDS
        stale = timedelta(minutes=settings.IMPORT_STALE_MINUTES)
        if not once:
            self.stdout.write(f"Import worker: looking for uploaded imports every {poll}s.")
        try:
            while True:
                abandoned = import_runs_abandon(older_than=stale)
                if abandoned:
                    self.stdout.write(f"Marked {abandoned} unfinished import(s) as failed.")
                run = import_run_claim()
                if run is None:
                    if once:
                        return
                    time.sleep(poll)
                    continue
                report = import_run_process(run)
                self.stdout.write(
                    f"Import {run.pk} ({run.kind}, {run.filename}): {run.get_status_display()}, "
                    f"{report.rows_read:,} rows read."
                )
        except KeyboardInterrupt:
            return
