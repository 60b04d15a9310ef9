"""Writes that span several rows or models, each in one transaction."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from mapping.models import (
    CapacityOffer,
    Consultation,
    ConsultationAnswer,
    ConsultationResponse,
    Invitation,
    Membership,
    MembershipRole,
    Organisation,
    VerificationStatus,
)

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


# Community groups (issue 4) ------------------------------------------------------------


class NumberTaken(Exception):
    """Another organisation registered the same charity or company number first."""

    def __init__(self, field):
        super().__init__(field)
        self.field = field


class OrganisationChanged(Exception):
    """Someone else saved the organisation after this edit started; nothing was written."""

    def __init__(self, current):
        super().__init__(f"Organisation {current.pk} is now at version {current.version}")
        self.current = current


class OfferChanged(Exception):
    """Someone else saved or withdrew the offer after this edit started."""

    def __init__(self, current):
        super().__init__(f"Offer {current.pk} is now at version {current.version}")
        self.current = current


class OfferExists(Exception):
    """The group already has an offer for the service (one per group and service)."""

    def __init__(self, offer):
        super().__init__(f"Offer {offer.pk} exists")
        self.offer = offer


class LastOwner(Exception):
    """The change would leave the organisation with nobody to manage its members."""


class InvitationNotOpen(Exception):
    """The invitation was accepted already, or has expired."""


def _number_taken(organisation):
    """Which number a failed save clashed on (the unique constraints decided)."""
    others = Organisation.objects.exclude(pk=organisation.pk)
    for field in ("charity_number", "company_number"):
        value = getattr(organisation, field)
        if value and others.filter(**{field: value}).exists():
            return NumberTaken(field)
    return None


@transaction.atomic
def organisation_register(*, form, user) -> Organisation:
    """A new organisation from a valid OrganisationForm, waiting for an officer's
    review, with ``user`` as its first owner."""
    organisation = form.save(commit=False)
    organisation.verification_status = VerificationStatus.PENDING
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError:
        # Two groups registering the same number at the same moment: the form's check
        # passed for both, the database lets one in.
        taken = _number_taken(organisation)
        if taken is None:
            raise
        raise taken from None
    form.save_m2m()
    Membership.objects.create(user=user, organisation=organisation, role=MembershipRole.OWNER)
    return organisation


@transaction.atomic
def organisation_update(*, form, expected_version) -> tuple[Organisation, bool]:
    """Save a valid OrganisationForm if the organisation is still at ``expected_version``.

    As ``services.actions.service_update``: the conditional UPDATE claims the next
    version, so of two members saving at once exactly one wins and the other gets
    OrganisationChanged with what is saved now. Only the profile's own columns are
    written, never the officer's review. Returns the organisation and whether it went
    back to the council for review: a rejected group that changes anything, or a
    verified one that changes its charity or company number (what the officer checked).
    """
    pk = form.instance.pk
    claimed = Organisation.objects.filter(pk=pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise OrganisationChanged(Organisation.objects.get(pk=pk))
    current = Organisation.objects.get(pk=pk)  # as saved now, locked by the UPDATE
    edited = form.save(commit=False)
    columns = form.changed_columns()
    numbers_changed = (edited.charity_number, edited.company_number) != (
        current.charity_number,
        current.company_number,
    )
    for column in columns:
        setattr(current, column, getattr(edited, column))
    back_for_review = current.verification_status == VerificationStatus.REJECTED or (
        current.is_verified and numbers_changed
    )
    if back_for_review:
        current.verification_status = VerificationStatus.PENDING
        current.verified_by = None
        current.verified_at = None
        current.verification_reason = ""
        columns += ["verification_status", "verified_by", "verified_at", "verification_reason"]
    try:
        with transaction.atomic():
            current.save(update_fields=[*columns, "version", "updated_at"])
    except IntegrityError:
        taken = _number_taken(current)
        if taken is None:
            raise
        raise taken from None
    form.instance = current
    form.save_m2m()
    return current, back_for_review


@transaction.atomic
def organisation_review(*, organisation, officer, verify, reason, expected_version):
    """An officer verifies or rejects the organisation as they saw it.

    The row is locked and its version compared: if the group changed its details after
    the officer opened the page, OrganisationChanged, and nothing is decided. The
    decision does not change the version, so a member's save that started before it
    still goes through (and never overwrites the decision).
    """
    current = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if current.version != expected_version:
        raise OrganisationChanged(current)
    if verify:
        current.verify(by=officer)
    else:
        current.reject(by=officer, reason=reason)
    return current


def _lock_organisation(organisation_id):
    """Serialise changes to one organisation's members: two owners demoting each other
    at the same moment must not leave it with none."""
    Organisation.objects.select_for_update().filter(pk=organisation_id).values("pk").get()


@transaction.atomic
def member_role_change(*, member, role) -> Membership:
    _lock_organisation(member.organisation_id)
    member = Membership.objects.select_related("user").get(pk=member.pk)
    if member.is_owner and role != MembershipRole.OWNER:
        owners = Membership.objects.owners().filter(organisation_id=member.organisation_id)
        if owners.count() <= 1:
            raise LastOwner
    member.role = role
    member.save(update_fields=["role"])
    return member


@transaction.atomic
def member_remove(*, member) -> None:
    """Remove someone from the organisation (or let them leave it)."""
    _lock_organisation(member.organisation_id)
    member = Membership.objects.filter(pk=member.pk).first()
    if member is None:
        return  # removed already, by someone else
    if member.is_owner:
        owners = Membership.objects.owners().filter(organisation_id=member.organisation_id)
        if owners.count() <= 1:
            raise LastOwner
    member.delete()


@transaction.atomic
def invitation_accept(*, invitation, user) -> Membership:
    """``user`` joins the organisation with the invitation's role.

    The invitation was emailed to the address, so following it also confirms the
    address. Someone who is already a member keeps the role they have.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise InvitationNotOpen
    membership, _created = Membership.objects.get_or_create(
        user=user,
        organisation_id=invitation.organisation_id,
        defaults={"role": invitation.role},
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    user.confirm_email()
    return membership


@transaction.atomic
def capacity_offer_create(*, form, organisation, service) -> CapacityOffer:
    """A new offer from a valid CapacityOfferForm; OfferExists if the group has one for
    the service already (even one being saved at this moment from another phone)."""
    offer = form.save(commit=False)
    offer.organisation = organisation
    offer.service = service
    try:
        with transaction.atomic():
            offer.save()
    except IntegrityError:
        existing = CapacityOffer.objects.filter(organisation=organisation, service=service)
        if not existing.exists():
            raise
        raise OfferExists(existing.get()) from None
    form.save_m2m()
    return offer


@transaction.atomic
def capacity_offer_update(*, form, expected_version) -> CapacityOffer:
    """Save a valid CapacityOfferForm if the offer is still at ``expected_version``, as
    ``organisation_update`` does. Saving a withdrawn offer makes it count again."""
    pk = form.instance.pk
    claimed = CapacityOffer.objects.filter(pk=pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise OfferChanged(CapacityOffer.objects.get(pk=pk))
    offer = form.save(commit=False)
    offer.version = expected_version + 1
    offer.withdrawn_at = None
    offer.save()
    form.save_m2m()
    return offer


@transaction.atomic
def capacity_offer_withdraw(*, offer) -> bool:
    """Withdraw the offer; False if it had been withdrawn already."""
    offer = CapacityOffer.objects.select_for_update().get(pk=offer.pk)
    if not offer.is_active:
        return False
    offer.withdraw()
    return True
