"""Fixtures for the community group pages: a small borough with a catalogue, and forms
filled in the way a careful volunteer would (tests change one answer at a time)."""

import pytest
from django.core.cache import cache

from mapping.models import LegalForm, Membership, MembershipRole
from services.models import RiskTier
from tests.factories import (
    ServiceCategoryFactory,
    ServiceFactory,
    SkillFactory,
    SupportNeedFactory,
    UserFactory,
    WardFactory,
)


@pytest.fixture(autouse=True)
def empty_cache(db):
    """Rate limits are counted in the cache: each test starts with none used."""
    cache.clear()


@pytest.fixture
def wards(db):
    return [WardFactory(name=name) for name in ("Bellingham", "Catford South", "Ladywell")]


@pytest.fixture
def parks(db):
    return ServiceCategoryFactory(name="Parks and green spaces", slug="parks")


@pytest.fixture
def service(parks, wards):
    """A published, low-risk service covering the first two wards."""
    return ServiceFactory(name="Litter picking", category=parks, wards=wards[:2])


@pytest.fixture
def high_risk_service(wards):
    care = ServiceCategoryFactory(
        name="Adult social care", slug="adult-social-care", default_risk_tier=RiskTier.HIGH
    )
    return ServiceFactory(
        name="Home care visits", category=care, risk_tier=RiskTier.HIGH, wards=wards
    )


@pytest.fixture
def editor_a(group_a):
    """An editor (not an owner) of group A."""
    user = UserFactory(email="eddie@group-a.test", full_name="Eddie Editor")
    Membership.objects.create(user=user, organisation=group_a, role=MembershipRole.EDITOR)
    return user


@pytest.fixture
def editor_a_client(editor_a):
    from tests.conftest import client_for

    return client_for(editor_a)


def organisation_data(wards, **changes):
    """What a volunteer types to register a group (the form's field names)."""
    data = {
        "name": "Friends of Manor House Gardens",
        "legal_form": LegalForm.FRIENDS_OF,
        "charity_number": "",
        "company_number": "",
        "description": "We look after the gardens and run the summer fair.",
        "area": "wards",
        "wards_served": [wards[0].pk, wards[2].pk],
        "volunteers": "12",
        "paid_staff": "0",
        "income_band": "under_10k",
        "address": "Manor House, Old Road",
        "postcode": "se13 5sy",
        "website": "",
        "contact_name": "Tina Treasurer",
        "contact_email": "tina@manorhouse.example",
        "contact_phone": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def offer_data(**changes):
    """What a group types to offer help (the offer form's field names)."""
    data = {
        "where": "everywhere",
        "willingness": "ready_now",
        "role": "volunteer",
        "volunteer_hours_per_month": "20",
        "volunteers": "4",
        "preferred_governance": "no_preference",
        "earliest_start_day": "",
        "earliest_start_month": "",
        "earliest_start_year": "",
        "conditions": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def reference(db):
    """Skills and support needs to choose from."""
    return (
        [SkillFactory(name="Gardening and horticulture"), SkillFactory(name="First aid")],
        [
            SupportNeedFactory(code="training", name="Training"),
            SupportNeedFactory(code="insurance", name="Insurance"),
        ],
    )
