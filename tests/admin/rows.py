"""Build many rows of any model registered in the admin, fast (bulk_create).

``add_rows(model, n)`` adds n more rows each time it is called, so a test can measure a
changelist with 10 rows and again with 500. Rows share their parents where the model
allows it; a lazy load of a shared parent still costs one query per row, so an N+1 in a
changelist shows either way.
"""

import datetime
import itertools
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from mapping import models as m
from services import models as s
from tests import factories as f

_serial = itertools.count(1)


def _numbers(n):
    """n numbers never handed out before in this test run."""
    return [next(_serial) for _ in range(n)]


def users(n):
    return User.objects.bulk_create(
        User(email=f"bulk{i}@example.test", full_name=f"Bulk Person {i}") for i in _numbers(n)
    )


def organisations(n, **fields):
    return m.Organisation.objects.bulk_create(
        m.Organisation(name=f"Bulk Group {i}", legal_form=m.LegalForm.CIO, **fields)
        for i in _numbers(n)
    )


def services(n):
    category = s.ServiceCategory.objects.get(slug="libraries")
    return s.Service.objects.bulk_create(
        s.Service(
            name=f"Bulk Service {i}",
            category=category,
            statutory_duty=False,
            risk_tier=s.RiskTier.LOW,
            annual_cost=Decimal("1000"),
        )
        for i in _numbers(n)
    )


def responses(n, consultation, ward):
    return m.ConsultationResponse.objects.bulk_create(
        m.ConsultationResponse(consultation=consultation, ward=ward, browser_hash=f"{i:064x}")
        for i in _numbers(n)
    )


def expressions_of_interest(n, organisation, service):
    return s.ExpressionOfInterest.objects.bulk_create(
        s.ExpressionOfInterest(
            lead_organisation=organisation,
            service=service,
            route=s.Route.CO_PRODUCTION,
            status=s.EoiStatus.ACCEPTED,
        )
        for _ in range(n)
    )


def monitoring_returns(n, agreement):
    start = datetime.date(2000, 1, 1)
    return s.MonitoringReturn.objects.bulk_create(
        s.MonitoringReturn(
            agreement=agreement,
            period_start=start + datetime.timedelta(days=i),
            period_end=start + datetime.timedelta(days=i),
            due_on=start + datetime.timedelta(days=i + 30),
        )
        for i in _numbers(n)
    )


def _group(n):
    Group.objects.bulk_create(Group(name=f"Bulk group {i}") for i in _numbers(n))


def _access(model, **extra):
    def build(n):
        model.objects.bulk_create(
            model(
                user_agent="Mozilla/5.0",
                ip_address="192.0.2.1",
                username=f"bulk{i}@example.test",
                http_accept="text/html",
                path_info="/account/sign-in/",
                **extra,
            )
            for i in _numbers(n)
        )

    return build


def _otp_device(model):
    def build(n):
        user = f.UserFactory()
        model.objects.bulk_create(model(user=user, name=f"phone {i}") for i in _numbers(n))

    return build


def _wards(n):
    m.Ward.objects.bulk_create(
        m.Ward(code=f"E05{i:06d}", name=f"Bulk Ward {i}", population=10000 + i, imd_decile=3)
        for i in _numbers(n)
    )


def _postcodes(n):
    ward = f.WardFactory()
    m.Postcode.objects.bulk_create(
        m.Postcode(postcode=f"ZZ{i // 10000} {i % 10000:04d}", ward=ward) for i in _numbers(n)
    )


def _skills(n):
    m.Skill.objects.bulk_create(m.Skill(name=f"Bulk skill {i}") for i in _numbers(n))


def _support_needs(n):
    m.SupportNeed.objects.bulk_create(
        m.SupportNeed(code=f"bulk-{i}", name=f"Bulk need {i}") for i in _numbers(n)
    )


def _organisations(n):
    reviewer = f.UserFactory()
    organisations(
        n,
        verification_status=m.VerificationStatus.VERIFIED,
        verified_by=reviewer,
        verified_at=timezone.now(),
    )


def _memberships(n):
    organisation = f.OrganisationFactory()
    m.Membership.objects.bulk_create(
        m.Membership(user=user, organisation=organisation) for user in users(n)
    )


def _invitations(n):
    organisation = f.OrganisationFactory()
    inviter = f.UserFactory()
    m.Invitation.objects.bulk_create(
        m.Invitation(organisation=organisation, email=f"inv{i}@example.test", invited_by=inviter)
        for i in _numbers(n)
    )


def _offers(n):
    service = f.ServiceFactory()
    ward = f.WardFactory()
    offers = m.CapacityOffer.objects.bulk_create(
        m.CapacityOffer(
            organisation=organisation,
            service=service,
            willingness=m.Willingness.READY_NOW,
            role=m.OfferRole.VOLUNTEER,
            volunteer_hours_per_month=10,
        )
        for organisation in organisations(n)
    )
    through = m.CapacityOffer.wards.through
    through.objects.bulk_create(through(capacityoffer=offer, ward=ward) for offer in offers)


def _consultations(n):
    today = timezone.localdate()
    m.Consultation.objects.bulk_create(
        m.Consultation(title=f"Bulk {i}", slug=f"bulk-{i}", opens_on=today, closes_on=today)
        for i in _numbers(n)
    )


def _responses(n):
    responses(n, f.ConsultationFactory(), f.WardFactory())


def _answers(n):
    service = f.ServiceFactory()
    m.ConsultationAnswer.objects.bulk_create(
        m.ConsultationAnswer(response=response, service=service, comfort=3)
        for response in responses(n, f.ConsultationFactory(), f.WardFactory())
    )


def _import_runs(n):
    user = f.UserFactory()
    m.ImportRun.objects.bulk_create(
        m.ImportRun(kind=m.ImportKind.WARDS, filename=f"wards{i}.geojson", started_by=user)
        for i in _numbers(n)
    )


def _import_chunks(n):
    run = m.ImportRun.objects.create(kind=m.ImportKind.WARDS, filename="wards.geojson")
    m.ImportChunk.objects.bulk_create(
        m.ImportChunk(run=run, number=i, data=b"{}") for i in _numbers(n)
    )


def _categories(n):
    s.ServiceCategory.objects.bulk_create(
        s.ServiceCategory(name=f"Bulk category {i}", slug=f"bulk-{i}") for i in _numbers(n)
    )


def _services(n):
    services(n)


def _assets(n):
    ward = f.WardFactory()
    s.Asset.objects.bulk_create(
        s.Asset(name=f"Bulk Hall {i}", asset_type=s.AssetType.COMMUNITY_CENTRE, ward=ward)
        for i in _numbers(n)
    )


def _nominations(n):
    asset = f.AssetFactory()
    organisation = f.OrganisationFactory()
    s.AcvNomination.objects.bulk_create(
        s.AcvNomination(asset=asset, organisation=organisation, reason="Loved locally.")
        for _ in range(n)
    )


def _sale_notices(n):
    asset = f.AssetFactory()
    user = f.UserFactory()
    s.SaleNotice.objects.bulk_create(
        s.SaleNotice(asset=asset, notified_on=timezone.localdate(), recorded_by=user)
        for _ in range(n)
    )


def _intentions(n):
    notice = s.SaleNotice.objects.create(asset=f.AssetFactory(), notified_on=timezone.localdate())
    s.IntentionToBid.objects.bulk_create(
        s.IntentionToBid(sale_notice=notice, organisation=organisation)
        for organisation in organisations(n)
    )


def _eois(n):
    expressions_of_interest(n, f.OrganisationFactory(), f.ServiceFactory())


def _partners(n):
    eoi = f.ExpressionOfInterestFactory()
    s.EoiPartner.objects.bulk_create(
        s.EoiPartner(expression_of_interest=eoi, organisation=organisation)
        for organisation in organisations(n)
    )


def _transitions(n):
    eoi = f.ExpressionOfInterestFactory()
    by = f.UserFactory()
    s.EoiTransition.objects.bulk_create(
        s.EoiTransition(
            expression_of_interest=eoi,
            from_status=s.EoiStatus.DRAFT,
            to_status=s.EoiStatus.SUBMITTED,
            by=by,
        )
        for _ in range(n)
    )


def _agreements(n):
    organisation = f.OrganisationFactory()
    service = f.ServiceFactory()
    s.HandoverAgreement.objects.bulk_create(
        s.HandoverAgreement(
            expression_of_interest=eoi,
            organisation=organisation,
            service=service,
            description="Run by volunteers.",
            delivery_model=s.DeliveryModel.CO_PRODUCED,
            starts_on=timezone.localdate(),
        )
        for eoi in expressions_of_interest(n, organisation, service)
    )


def _indicators(n):
    agreement = f.HandoverAgreementFactory()
    s.Indicator.objects.bulk_create(
        s.Indicator(agreement=agreement, name=f"Visits {i}") for i in _numbers(n)
    )


def _returns(n):
    monitoring_returns(n, f.HandoverAgreementFactory())


def _values(n):
    agreement = f.HandoverAgreementFactory()
    indicator = s.Indicator.objects.create(agreement=agreement, name="Visits")
    s.IndicatorValue.objects.bulk_create(
        s.IndicatorValue(monitoring_return=r, indicator=indicator, value=Decimal(10))
        for r in monitoring_returns(n, agreement)
    )


def _builders():
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return {
        Group: _group,
        AccessAttempt: _access(AccessAttempt, get_data="", post_data="", failures_since_start=1),
        AccessLog: _access(AccessLog),
        AccessFailureLog: _access(AccessFailureLog),
        TOTPDevice: _otp_device(TOTPDevice),
        StaticDevice: _otp_device(StaticDevice),
        User: users,
        m.Ward: _wards,
        m.Postcode: _postcodes,
        m.Skill: _skills,
        m.SupportNeed: _support_needs,
        m.Organisation: _organisations,
        m.Membership: _memberships,
        m.Invitation: _invitations,
        m.CapacityOffer: _offers,
        m.Consultation: _consultations,
        m.ConsultationResponse: _responses,
        m.ConsultationAnswer: _answers,
        m.ImportRun: _import_runs,
        m.ImportChunk: _import_chunks,
        s.ServiceCategory: _categories,
        s.Service: _services,
        s.Asset: _assets,
        s.AcvNomination: _nominations,
        s.SaleNotice: _sale_notices,
        s.IntentionToBid: _intentions,
        s.ExpressionOfInterest: _eois,
        s.EoiPartner: _partners,
        s.EoiTransition: _transitions,
        s.HandoverAgreement: _agreements,
        s.Indicator: _indicators,
        s.MonitoringReturn: _returns,
        s.IndicatorValue: _values,
    }


def add_rows(model, n):
    """Add n rows of ``model`` (and whatever parents they need)."""
    _builders()[model](n)


def can_build(model):
    return model in _builders()
