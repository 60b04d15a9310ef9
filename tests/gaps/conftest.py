"""A borough of any size, built with bulk_create so that the 50 x 50 case stays fast."""

import random

import pytest

from mapping.models import (
    CapacityOffer,
    ConsultationAnswer,
    ConsultationResponse,
    LegalForm,
    OfferRole,
    Organisation,
    SupportNeed,
    VerificationStatus,
    Ward,
    Willingness,
)
from services.models import ReviewStatus, RiskTier, Service, ServiceCategory
from tests.factories import ConsultationFactory

SQUARE = [[0, 0], [0, 0.01], [0.01, 0.01], [0.01, 0], [0, 0]]


def build_borough(services, wards, *, groups=None, seed=5):
    """``services`` services each covering every one of ``wards`` wards, ``groups`` groups
    (as many as services by default) each offering help with up to three services in up to
    three wards, with support needs, and residents' answers in every ward."""
    rng = random.Random(seed)
    groups = groups or services
    ward_rows = Ward.objects.bulk_create(
        Ward(
            code=f"E05{800000 + i:06d}",
            name=f"Ward {i:02d}",
            imd_decile=1 + i % 10,
            boundary={
                "type": "Polygon",
                "coordinates": [[[x + (i % 10) * 0.01, y + (i // 10) * 0.01] for x, y in SQUARE]],
            }
            if i % 7
            else None,
        )
        for i in range(wards)
    )
    categories = list(ServiceCategory.objects.all()) or [
        ServiceCategory.objects.create(name="Libraries", slug="libraries")
    ]
    service_rows = Service.objects.bulk_create(
        Service(
            name=f"Service {i:02d}",
            category=categories[i % len(categories)],
            risk_tier=RiskTier.values[i % 3],
            review_status=ReviewStatus.values[i % 4],
            planned_budget_change=-1000 if i % 5 == 0 else 0,
            statutory_duty=False,
            volunteer_hours_needed=10 * i,
        )
        for i in range(services)
    )
    Service.wards.through.objects.bulk_create(
        Service.wards.through(service_id=s.pk, ward_id=w.pk)
        for s in service_rows
        for w in ward_rows
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"Group {i:02d}",
            legal_form=LegalForm.values[i % len(LegalForm.values)],
            verification_status=VerificationStatus.values[i % 3],
            volunteers=i,
            serves_whole_borough=i % 4 == 0,
        )
        for i in range(groups)
    )
    Organisation.wards_served.through.objects.bulk_create(
        Organisation.wards_served.through(organisation_id=o.pk, ward_id=w.pk)
        for o in organisations
        for w in rng.sample(ward_rows, min(2, len(ward_rows)))
    )
    offers = CapacityOffer.objects.bulk_create(
        CapacityOffer(
            organisation=o,
            service=s,
            willingness=rng.choice(Willingness.values),
            role=rng.choice(OfferRole.values),
            volunteer_hours_per_month=rng.randint(0, 60),
        )
        for o in organisations
        for s in rng.sample(service_rows, min(3, len(service_rows)))
    )
    CapacityOffer.wards.through.objects.bulk_create(
        CapacityOffer.wards.through(capacityoffer_id=offer.pk, ward_id=w.pk)
        for offer in offers
        for w in rng.sample(ward_rows, min(3, len(ward_rows)))
    )
    needs = list(SupportNeed.objects.all())
    CapacityOffer.support_needed.through.objects.bulk_create(
        CapacityOffer.support_needed.through(capacityoffer_id=offer.pk, supportneed_id=n.pk)
        for offer in offers
        for n in rng.sample(needs, min(2, len(needs)))
    )
    consultation = ConsultationFactory()
    responses = ConsultationResponse.objects.bulk_create(
        ConsultationResponse(
            consultation=consultation,
            ward=w,
            gives_time=k % 2 == 0,
            browser_hash=f"{w.pk:032d}{k:032d}",
        )
        for w in ward_rows
        for k in range(6)
    )
    ConsultationAnswer.objects.bulk_create(
        ConsultationAnswer(response=r, service=s, comfort=1 + (r.pk + s.pk) % 5)
        for r in responses
        for s in service_rows[:5]
    )
    return service_rows, ward_rows, organisations


@pytest.fixture
def borough(db):
    return build_borough
