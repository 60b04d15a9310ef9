"""Shared pieces for the handover tests: a service open to expressions of interest, a
draft by group A, listed assets, and a way to send the emails a change commits."""

import datetime

import pytest
from django.utils import timezone

from services.models import (
    EoiStatus,
    NominationStatus,
    ReviewStatus,
)
from tests.factories import (
    AcvNominationFactory,
    AssetFactory,
    CapacityOfferFactory,
    ExpressionOfInterestFactory,
    ServiceFactory,
    WardFactory,
)


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Call ``fn`` and send the emails its transaction queued for after the commit."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


@pytest.fixture
def ward(db):
    return WardFactory(name="Bellingham", code="E05013714")


@pytest.fixture
def library(ward):
    return ServiceFactory(
        name="Central Library", review_status=ReviewStatus.OPEN_TO_EOI, wards=[ward]
    )


@pytest.fixture
def offer(group_a, library, ward):
    return CapacityOfferFactory(organisation=group_a, service=library, wards=[ward])


@pytest.fixture
def draft(group_a, member_a, library, offer):
    """Group A's draft for the library, relying on its offer."""
    eoi = ExpressionOfInterestFactory(
        lead_organisation=group_a,
        service=library,
        capacity_evidence="Twelve volunteers who already run the reading group.",
        created_by=member_a,
    )
    eoi.offers.set([offer])
    return eoi


def in_status(eoi, status, **fields):
    """Put an expression of interest straight into a status, as if it had got there."""
    today = timezone.localdate()
    defaults = {}
    if status != EoiStatus.DRAFT:
        defaults = {
            "submitted_at": timezone.now() - datetime.timedelta(days=3),
            "decision_due_on": today + datetime.timedelta(days=57),
        }
    for name, value in (defaults | fields).items():
        setattr(eoi, name, value)
    eoi.status = status
    eoi.save()
    return eoi


def listed(asset=None, *, organisation=None, listed_on=None, **fields):
    """An asset listed as an Asset of Community Value."""
    today = timezone.localdate()
    extra = {"organisation": organisation} if organisation else {}
    return AcvNominationFactory(
        asset=asset or AssetFactory(name="The Kestrel Arms", owned_by_council=False),
        status=NominationStatus.LISTED,
        listed_on=listed_on or today - datetime.timedelta(days=100),
        decided_at=timezone.now(),
        decision_reason="It furthers the social wellbeing of the community.",
        **extra,
        **fields,
    )
