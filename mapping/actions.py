"""Writes that span several rows or models, each in one transaction."""

from django.db import IntegrityError, transaction
from django.utils import timezone

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
