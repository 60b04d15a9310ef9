"""The database itself refuses bad rows, whatever the code above it does.

Each test starts from a valid row and breaks one rule with a raw update or insert (no
form, no model validation), expecting IntegrityError from SQLite or PostgreSQL. The
error must name the rule, so a test cannot pass because of some other failure.
"""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction

from mapping import models as m
from services import models as s
from tests import factories as f
from tests.admin.rows import add_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def domain_models():
    for label in ("mapping", "services"):
        for model in apps.get_app_config(label).get_models():
            if not model.__name__.startswith("Historical"):
                yield model


def assert_refused(action, *names):
    """``action`` fails with an IntegrityError mentioning one of ``names``.

    PostgreSQL names the constraint; SQLite names a CHECK constraint or the columns of
    a unique one ("mapping_ward.code").
    """
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        action()
    message = str(error.value)
    assert any(name in message for name in names), message


def update(obj, **values):
    return lambda: type(obj).objects.filter(pk=obj.pk).update(**values)


def one_row(model):
    add_rows(model, 1)
    return model.objects.order_by("-pk").first()


# Choices: every field with choices holds one of them ------------------------------------------

CHOICE_FIELDS = [
    (model, field.name)
    for model in domain_models()
    for field in model._meta.concrete_fields
    if field.choices
]


def test_every_domain_model_with_choices_is_covered():
    assert len(CHOICE_FIELDS) >= 25
    labels = {f"{model.__name__}.{name}" for model, name in CHOICE_FIELDS}
    assert {"Organisation.legal_form", "CapacityOffer.willingness", "Service.risk_tier"} <= labels


@pytest.mark.parametrize(
    ("model", "field"), CHOICE_FIELDS, ids=[f"{m.__name__}.{n}" for m, n in CHOICE_FIELDS]
)
def test_it_refuses_a_value_that_is_not_one_of_the_choices(model, field):
    row = one_row(model)
    constraint_names = [
        c.name
        for c in model._meta.constraints
        if isinstance(c, models.CheckConstraint) and field in str(c.condition)
    ]
    assert constraint_names, f"no CHECK constraint on {model.__name__}.{field}"
    assert_refused(update(row, **{field: "zz"}), *constraint_names)


# Counts, hours and money are never negative ----------------------------------------------------

POSITIVE_FIELDS = [
    (model, field.name)
    for model in domain_models()
    for field in model._meta.concrete_fields
    if isinstance(field, models.PositiveIntegerField | models.PositiveSmallIntegerField)
    and not field.primary_key
]


def test_the_counts_include_hours_volunteers_and_population():
    labels = {f"{model.__name__}.{name}" for model, name in POSITIVE_FIELDS}
    assert {
        "Ward.population",
        "Organisation.volunteers",
        "CapacityOffer.volunteer_hours_per_month",
        "CapacityOffer.volunteers",
        "Service.volunteer_hours_needed",
        "MonitoringReturn.volunteer_hours",
        "ConsultationResponse.hours_per_month",
    } <= labels


@pytest.mark.parametrize(
    ("model", "field"), POSITIVE_FIELDS, ids=[f"{m.__name__}.{n}" for m, n in POSITIVE_FIELDS]
)
def test_it_refuses_a_negative_count(model, field):
    row = one_row(model)
    assert_refused(update(row, **{field: -1}), field)


@pytest.mark.parametrize(
    ("build", "field", "constraint"),
    [
        (f.ServiceFactory, "annual_cost", "service_annual_cost_not_negative"),
        (f.AssetFactory, "running_cost", "asset_running_cost_not_negative"),
        (f.HandoverAgreementFactory, "council_funding", "agreement_funding_not_negative"),
        (f.WardFactory, "imd_score", "ward_imd_score_not_negative"),
    ],
)
def test_it_refuses_negative_money_and_scores(build, field, constraint):
    row = build()
    assert_refused(update(row, **{field: Decimal("-0.01")}), constraint)
    update(row, **{field: Decimal("0")})()  # zero is fine


def test_a_budget_cut_may_be_negative():
    service = f.ServiceFactory()
    update(service, planned_budget_change=Decimal("-25000"))()
    service.refresh_from_db()
    assert service.is_being_cut


# Ranges ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("decile", [0, 11])
def test_a_ward_decile_is_1_to_10(decile):
    ward = f.WardFactory(imd_decile=5)
    assert_refused(update(ward, imd_decile=decile), "ward_imd_decile_1_to_10")
    update(ward, imd_decile=None)()  # not known yet is fine


@pytest.mark.parametrize("comfort", [0, 6])
def test_a_comfort_answer_is_1_to_5(comfort):
    answer = f.ConsultationAnswerFactory()
    assert_refused(update(answer, comfort=comfort), "answer_comfort_1_to_5")
    update(answer, comfort=None)()  # "don't know"


# Dates in order ---------------------------------------------------------------------------------


def test_a_consultation_closes_after_it_opens():
    consultation = f.ConsultationFactory()
    before = consultation.opens_on - datetime.timedelta(days=1)
    assert_refused(update(consultation, closes_on=before), "consultation_closes_after_opening")
    update(consultation, closes_on=consultation.opens_on)()  # a one-day consultation


def test_an_agreement_ends_after_it_starts():
    agreement = f.HandoverAgreementFactory()
    assert_refused(update(agreement, ends_on=agreement.starts_on), "agreement_ends_after_start")


def test_a_monitoring_period_ends_after_it_starts():
    monitoring_return = f.MonitoringReturnFactory()
    before = monitoring_return.period_start - datetime.timedelta(days=1)
    assert_refused(update(monitoring_return, period_end=before), "return_period_ordered")


def test_a_listed_nomination_has_a_listing_date():
    nomination = s.AcvNomination.objects.create(
        asset=f.AssetFactory(), organisation=f.OrganisationFactory(), reason="Our pub."
    )
    assert_refused(
        update(nomination, status=s.NominationStatus.LISTED), "nomination_listed_has_date"
    )


# What an expression of interest or agreement is about ------------------------------------------


def test_an_expression_of_interest_is_for_a_service_or_an_asset_not_both():
    eoi = f.ExpressionOfInterestFactory()
    assert_refused(update(eoi, asset=f.AssetFactory()), "eoi_service_xor_asset")


def test_an_expression_of_interest_is_for_something():
    eoi = f.ExpressionOfInterestFactory()
    assert_refused(update(eoi, service=None), "eoi_service_xor_asset")


def test_an_agreement_is_for_a_service_or_an_asset():
    agreement = f.HandoverAgreementFactory()
    assert_refused(update(agreement, service=None), "agreement_has_subject")


# One of each -------------------------------------------------------------------------------------


def duplicate(obj, **changes):
    """Insert a copy of ``obj`` (a new primary key, ``changes`` applied)."""

    def insert():
        copy = type(obj).objects.get(pk=obj.pk)
        copy.pk = copy.id = None
        for name, value in changes.items():
            setattr(copy, name, value)
        copy.save(force_insert=True)

    return insert


def test_a_ward_code_is_unique():
    ward = f.WardFactory(code="E05013714")
    assert_refused(duplicate(ward, name="Other"), "ward_code_unique", "mapping_ward.code")


def test_a_postcode_is_unique():
    postcode = m.Postcode.objects.create(postcode="SE6 4RU", ward=f.WardFactory())
    assert_refused(duplicate(postcode), "postcode_unique", "mapping_postcode.postcode")


def test_a_piece_of_an_uploaded_file_is_stored_once():
    run = m.ImportRun.objects.create(kind=m.ImportKind.WARDS, filename="w.geojson")
    piece = m.ImportChunk.objects.create(run=run, number=0, data=b"{")
    assert_refused(
        duplicate(piece, data=b"}"), "import_chunk_unique", "mapping_importchunk.run_id"
    )


def test_a_skill_name_is_unique():
    skill = f.SkillFactory(name="First aid")
    assert_refused(duplicate(skill), "skill_name_unique", "mapping_skill.name")


def test_a_support_need_code_is_unique():
    need = f.SupportNeedFactory(code="funding")
    assert_refused(
        duplicate(need, name="More funding"),
        "support_need_code_unique",
        "mapping_supportneed.code",
    )


def test_a_support_need_name_is_unique():
    need = f.SupportNeedFactory(code="x-funding", name="Extra funding")
    assert_refused(
        duplicate(need, code="x-funding-2"),
        "support_need_name_unique",
        "mapping_supportneed.name",
    )


@pytest.mark.parametrize(
    ("field", "value", "constraint"),
    [
        ("charity_number", "1123456", "organisation_charity_number_unique"),
        ("company_number", "01234567", "organisation_company_number_unique"),
        ("other_identifier", "GB-MPR-12345R", "organisation_other_identifier_unique"),
    ],
)
def test_an_organisation_identifier_belongs_to_one_organisation(field, value, constraint):
    first = f.OrganisationFactory(**{field: value})
    second = f.OrganisationFactory()
    assert_refused(update(second, **{field: value}), constraint, f"organisation.{field}")
    assert first.pk != second.pk


def test_many_organisations_may_have_no_charity_or_company_number():
    f.OrganisationFactory.create_batch(3, charity_number="", company_number="")
    assert m.Organisation.objects.filter(charity_number="").count() == 3


def test_a_person_is_a_member_of_an_organisation_once():
    membership = f.MembershipFactory()
    assert_refused(
        duplicate(membership, role=m.MembershipRole.EDITOR),
        "membership_user_organisation_unique",
        "mapping_membership.user_id",
    )


def test_an_organisation_makes_one_offer_per_service():
    offer = f.CapacityOfferFactory()
    assert_refused(
        duplicate(offer, role=m.OfferRole.CO_PRODUCE),
        "offer_one_per_organisation_service",
        "mapping_capacityoffer.organisation_id",
    )


def test_a_consultation_web_address_is_unique():
    consultation = f.ConsultationFactory(slug="libraries-2026")
    assert_refused(
        duplicate(consultation, title="Again"),
        "consultation_slug_unique",
        "mapping_consultation.slug",
    )


def test_a_browser_answers_a_consultation_once():
    response = f.ConsultationResponseFactory()
    assert_refused(
        duplicate(response, ward=f.WardFactory()),
        "response_one_per_browser",
        "mapping_consultationresponse.consultation_id",
    )


def test_a_response_answers_about_a_service_once():
    answer = f.ConsultationAnswerFactory(comfort=4)
    assert_refused(
        duplicate(answer, comfort=1),
        "answer_one_per_response_service",
        "mapping_consultationanswer.response_id",
    )


def test_a_service_name_is_unique_within_its_category():
    service = f.ServiceFactory(name="Mobile library")
    assert_refused(
        duplicate(service, lgsl_code=1536), "service_name_in_category", "services_service.name"
    )
    f.ServiceFactory(name="Mobile library", category=f.ServiceCategoryFactory())  # elsewhere


@pytest.mark.parametrize(
    ("field", "constraint"), [("name", "category_name_unique"), ("slug", "category_slug_unique")]
)
def test_a_service_category_name_and_code_are_unique(field, constraint):
    libraries = s.ServiceCategory.objects.get(slug="libraries")
    parks = s.ServiceCategory.objects.get(slug="parks")
    value = getattr(libraries, field)
    assert_refused(update(parks, **{field: value}), constraint, f"servicecategory.{field}")


def test_an_organisation_says_it_intends_to_bid_once_per_notice():
    notice = s.SaleNotice.objects.create(asset=f.AssetFactory(), notified_on=datetime.date.today())
    intention = s.IntentionToBid.objects.create(
        sale_notice=notice, organisation=f.OrganisationFactory()
    )
    assert_refused(
        duplicate(intention),
        "intention_one_per_organisation",
        "services_intentiontobid.sale_notice_id",
    )


def test_a_partner_joins_an_expression_of_interest_once():
    partner = s.EoiPartner.objects.create(
        expression_of_interest=f.ExpressionOfInterestFactory(),
        organisation=f.OrganisationFactory(),
    )
    assert_refused(
        duplicate(partner), "partner_once_per_eoi", "services_eoipartner.expression_of_interest_id"
    )


def test_an_expression_of_interest_has_one_agreement():
    agreement = f.HandoverAgreementFactory()
    assert_refused(
        duplicate(agreement),
        "expression_of_interest_id",  # PostgreSQL: the key's name; SQLite: the column
    )


def test_an_indicator_name_is_unique_within_its_agreement():
    indicator = s.Indicator.objects.create(agreement=f.HandoverAgreementFactory(), name="Visits")
    assert_refused(
        duplicate(indicator), "indicator_name_unique", "services_indicator.agreement_id"
    )


def test_an_agreement_has_one_return_per_period():
    monitoring_return = f.MonitoringReturnFactory()
    assert_refused(
        duplicate(monitoring_return),
        "return_one_per_period",
        "services_monitoringreturn.agreement",
    )


def test_a_return_has_one_value_per_indicator():
    monitoring_return = f.MonitoringReturnFactory()
    indicator = s.Indicator.objects.create(agreement=monitoring_return.agreement, name="Visits")
    value = s.IndicatorValue.objects.create(
        monitoring_return=monitoring_return, indicator=indicator, value=3
    )
    assert_refused(
        duplicate(value, value=4),
        "value_one_per_indicator",
        "services_indicatorvalue.monitoring_return_id",
    )


def test_every_named_constraint_has_a_test_here():
    """A new constraint in the models needs a test in this file."""
    import inspect
    import sys

    source = inspect.getsource(sys.modules[__name__])
    choices_tested = {
        c.name
        for model, field in CHOICE_FIELDS
        for c in model._meta.constraints
        if isinstance(c, models.CheckConstraint) and field in str(c.condition)
    }
    untested = [
        constraint.name
        for model in domain_models()
        for constraint in model._meta.constraints
        if constraint.name not in choices_tested and f'"{constraint.name}"' not in source
    ]
    assert not untested
