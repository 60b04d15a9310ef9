"""factory_boy factories for every domain model. Each builds a valid row with the least
fuss; pass what a test cares about."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import User
from mapping import models as m
from services import models as s


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password("correct horse battery staple")
    email_confirmed_at = factory.LazyFunction(timezone.now)


class WardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Ward

    code = factory.Sequence(lambda n: f"E05{900000 + n:06d}")
    name = factory.Sequence(lambda n: f"Ward {n}")
    population = 12000
    imd_decile = 5
    imd_rank = 16000


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Skill
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Skill {n}")


class SupportNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.SupportNeed
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"need-{n}")
    name = factory.Sequence(lambda n: f"Need {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Community Group {n}")
    legal_form = m.LegalForm.UNINCORPORATED
    description = "Volunteers helping their neighbours."
    volunteers = 10
    postcode = "SE6 4RU"
    verification_status = m.VerificationStatus.VERIFIED

    @factory.post_generation
    def wards_served(self, create, extracted, **kwargs):
        if create and extracted:
            self.wards_served.set(extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = m.MembershipRole.OWNER


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.test")
    role = m.MembershipRole.EDITOR


class ServiceCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = s.ServiceCategory
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")
    default_risk_tier = s.RiskTier.LOW


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = s.Service
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Service {n}")
    category = factory.SubFactory(ServiceCategoryFactory)
    statutory_duty = False
    risk_tier = s.RiskTier.LOW
    annual_cost = Decimal("100000.00")
    volunteer_hours_needed = 100

    @factory.post_generation
    def wards(self, create, extracted, **kwargs):
        if create and extracted:
            self.wards.set(extracted)


class CapacityOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.CapacityOffer
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    service = factory.SubFactory(ServiceFactory)
    willingness = m.Willingness.READY_NOW
    role = m.OfferRole.VOLUNTEER
    volunteer_hours_per_month = 40
    volunteers = 5

    @factory.post_generation
    def wards(self, create, extracted, **kwargs):
        if create and extracted:
            self.wards.set(extracted)


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Consultation
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Consultation {n}")
    slug = factory.Sequence(lambda n: f"consultation-{n}")
    introduction = "Tell us what you think."
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=21))
    is_published = True

    @factory.post_generation
    def services(self, create, extracted, **kwargs):
        if create and extracted:
            self.services.set(extracted)


class ConsultationResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ConsultationResponse

    consultation = factory.SubFactory(ConsultationFactory)
    ward = factory.SubFactory(WardFactory)
    browser_hash = factory.Sequence(lambda n: f"{n:064x}")


class ConsultationAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ConsultationAnswer

    response = factory.SubFactory(ConsultationResponseFactory)
    service = factory.SubFactory(ServiceFactory)
    comfort = 4


class AssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = s.Asset

    name = factory.Sequence(lambda n: f"Community Hall {n}")
    asset_type = s.AssetType.COMMUNITY_CENTRE
    ward = factory.SubFactory(WardFactory)
    running_cost = Decimal("20000.00")


class ExpressionOfInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = s.ExpressionOfInterest

    lead_organisation = factory.SubFactory(OrganisationFactory)
    service = factory.SubFactory(ServiceFactory)
    route = s.Route.CO_PRODUCTION
    proposal = "We will open the library on Saturdays with volunteers."


class HandoverAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = s.HandoverAgreement

    expression_of_interest = factory.SubFactory(
        ExpressionOfInterestFactory, status=s.EoiStatus.ACCEPTED
    )
    organisation = factory.SelfAttribute("expression_of_interest.lead_organisation")
    service = factory.SelfAttribute("expression_of_interest.service")
    description = "Saturday opening run by volunteers."
    delivery_model = s.DeliveryModel.CO_PRODUCED
    starts_on = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    council_funding = Decimal("5000.00")


class MonitoringReturnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = s.MonitoringReturn

    agreement = factory.SubFactory(HandoverAgreementFactory)
    period_start = factory.SelfAttribute("agreement.starts_on")
    period_end = factory.LazyAttribute(lambda o: o.period_start + datetime.timedelta(days=89))
    due_on = factory.LazyAttribute(lambda o: o.period_end + datetime.timedelta(days=30))


class PostcodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Postcode
        django_get_or_create = ["postcode"]

    postcode = factory.Sequence(lambda n: f"SE{n % 28 + 1} {n % 10}AA")
    ward = factory.SubFactory(WardFactory)


# Handover (issue 7) -----------------------------------------------------------------------


class EoiPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = s.EoiPartner

    expression_of_interest = factory.SubFactory(ExpressionOfInterestFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = s.Indicator

    agreement = factory.SubFactory(HandoverAgreementFactory)
    name = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "visits"
    target = Decimal("100")


class AcvNominationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = s.AcvNomination

    asset = factory.SubFactory(AssetFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    reason = "The only pub left on the estate: it hosts the darts league."


class SaleNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = s.SaleNotice

    asset = factory.SubFactory(AssetFactory)
    notified_on = factory.LazyFunction(timezone.localdate)
