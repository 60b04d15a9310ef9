"""Writes that span several rows or models, each in one transaction."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mapping.models import Consultation, ConsultationAnswer, ConsultationResponse

# Resident consultation -------------------------------------------------------------------


class ConsultationNotOpen(Exception):
    """The consultation closed (or was changed) while the resident was answering."""


class AlreadyResponded(Exception):
    """This browser has already answered this consultation."""


class QuestionsChanged(Exception):
    """The services asked about changed while the resident was answering."""


@transaction.atomic
def consultation_response_submit(
    *,
    consultation: Consultation,
    browser_hash: str,
    ward,
    comfort: dict[int, int | None],
    gives_time: bool,
    hours_per_month: int | None,
    age_band: str = "",
    comment: str = "",
) -> ConsultationResponse:
    """Record one resident's answers: the response and one answer per service.

    Checks again, with the consultation row locked, that it is open today and asks about
    exactly the services answered, so an officer's change and a resident's answer can
    never interleave. The database's unique constraint on (consultation, browser_hash)
    turns a second answer from the same browser, even one racing the first, into
    ``AlreadyResponded``.
    """
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if locked.state_on(timezone.localdate()) != Consultation.State.OPEN:
        raise ConsultationNotOpen
    if set(comfort) != set(locked.services.values_list("pk", flat=True)):
        raise QuestionsChanged
    try:
        with transaction.atomic():
            response = ConsultationResponse.objects.create(
                consultation=locked,
                ward=ward,
                gives_time=gives_time,
                hours_per_month=hours_per_month if gives_time else None,
                age_band=age_band,
                comment=comment,
                browser_hash=browser_hash,
            )
    except IntegrityError:
        if ConsultationResponse.objects.filter(
            consultation=locked, browser_hash=browser_hash
        ).exists():
            raise AlreadyResponded from None
        raise
    ConsultationAnswer.objects.bulk_create(
        ConsultationAnswer(response=response, service_id=service_id, comfort=value)
        for service_id, value in comfort.items()
    )
    return response


# Imports (issue 8) ---------------------------------------------------------------------------

IMPORT_CHUNK_BYTES = 1024 * 1024


@transaction.atomic
def import_run_queue(*, kind, files, options, dry_run, user):
    """Keep the uploaded files in the database and queue the import for a worker.

    ``files`` maps a part ("file", "lookup") to an uploaded file. Files are stored in
    1 MB pieces, read from the upload a piece at a time.
    """
    from mapping.models import ImportChunk, ImportRun

    run = ImportRun.objects.create(
        kind=kind,
        filename=files["file"].name[:255],
        options=options,
        dry_run=dry_run,
        started_by=user,
    )
    for part, upload in files.items():
        for number, data in enumerate(upload.chunks(IMPORT_CHUNK_BYTES)):
            ImportChunk.objects.create(run=run, part=part, number=number, data=data)
    return run


def import_run_claim():
    """Take the oldest queued import off the queue, or None. Safe with many workers: the
    row is picked with SKIP LOCKED where the database has it, and taken with an update
    that only one worker can win."""
    from mapping.models import ImportRun, ImportStatus

    with transaction.atomic():
        run = (
            ImportRun.objects.select_for_update(skip_locked=True)
            .filter(status=ImportStatus.QUEUED)
            .order_by("created_at", "pk")
            .first()
        )
        if run is None:
            return None
        now = timezone.now()
        taken = ImportRun.objects.filter(pk=run.pk, status=ImportStatus.QUEUED).update(
            status=ImportStatus.RUNNING, started_at=now
        )
    if not taken:
        return None
    run.status, run.started_at = ImportStatus.RUNNING, now
    return run


def import_run_finish(*, run, report):
    """Record an import's outcome and report on its ImportRun."""
    from mapping.models import ImportStatus

    if not report.ok:
        run.status = ImportStatus.FAILED
    elif report.dry_run:
        run.status = ImportStatus.CHECKED
    else:
        run.status = ImportStatus.SUCCEEDED
    run.finished_at = timezone.now()
    run.rows_read = report.rows_read
    run.rows_created = report.created
    run.rows_updated = report.updated
    run.errors = [p.as_dict() for p in report.problems]
    run.problem_count = report.problem_count
    run.warnings = [p.as_dict() for p in report.warnings]
    run.summary = "\n".join(str(line) for line in report.summary_lines())
    run.save()


def import_run_process(run):
    """Run a queued import from its stored pieces, record the report and delete the
    pieces. Whatever happens, the run ends finished: never left "running"."""
    import logging
    import tempfile
    from pathlib import Path

    from mapping.imports import Report, run_import
    from mapping.models import ImportChunk

    try:
        with tempfile.TemporaryDirectory(prefix="bigsociety-import-") as folder:
            paths = {}
            parts = ImportChunk.objects.filter(run=run).values_list("part", flat=True).distinct()
            for part in sorted(set(parts)):
                paths[part] = Path(folder) / part
                with paths[part].open("wb") as f:
                    pieces = (
                        ImportChunk.objects.filter(run=run, part=part)
                        .order_by("number")
                        .values_list("data", flat=True)
                    )
                    for data in pieces.iterator(chunk_size=1):
                        f.write(data)
            if "file" not in paths:
                raise FileNotFoundError("the uploaded file is missing")
            report = run_import(
                run.kind,
                paths["file"],
                dry_run=run.dry_run,
                user=run.started_by,
                filename=run.filename,
                lookup=paths.get("lookup"),
                **run.options,
            )
    except Exception as error:
        logging.getLogger(__name__).exception("Import %s failed", run.pk)
        report = Report(kind=run.kind, filename=run.filename, dry_run=run.dry_run)
        report.problem(
            None,
            "",
            _(
                "The import stopped because of an error in the app (%(error)s). Nothing was "
                "written. Tell the IT team."
            )
            % {"error": type(error).__name__},
        )
    import_run_finish(run=run, report=report)
    ImportChunk.objects.filter(run=run).delete()
    return report


def import_runs_abandon(*, older_than):
    """Mark as failed the imports a worker took but never finished (it was stopped or its
    machine restarted): their writes were rolled back with their transaction."""
    from mapping.models import ImportChunk, ImportRun, ImportStatus

    stale = ImportRun.objects.filter(
        status=ImportStatus.RUNNING, started_at__lt=timezone.now() - older_than
    )
    ids = list(stale.values_list("pk", flat=True))
    if ids:
        ImportRun.objects.filter(pk__in=ids, status=ImportStatus.RUNNING).update(
            status=ImportStatus.FAILED,
            finished_at=timezone.now(),
            summary=_(
                "The import stopped before it finished (its worker was stopped). Nothing was "
                "written: upload the file again."
            ),
        )
        ImportChunk.objects.filter(run_id__in=ids).delete()
    return len(ids)
