"""manage.py load_demo, starting from a loaded demo: something on every page, the same
every time, and safe to run again. (tests/demo/test_load_demo_fresh.py starts from an
empty database.)"""

import datetime
import io
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from mapping import models as m
from mapping.demand import demand_by_cell
from mapping.management.commands._domain import delete_domain_data, row_counts
from services import models as s

pytestmark = pytest.mark.django_db

PASSWORD = "demo password for tests"
SHARED = Path(settings.BASE_DIR).parent / "shared" / "data"
needs_shared_data = pytest.mark.skipif(
    not (SHARED / "lewisham").exists(), reason="../shared/data is not beside the checkout"
)


def load_demo(*args):
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def all_row_counts():
    from django.contrib.auth.models import Group

    return row_counts() | {
        "users": User.objects.count(),
        "groups": Group.objects.count(),
        "memberships of groups": User.groups.through.objects.count(),
    }


def snapshot():
    """The demo's content, without database ids or timestamps."""
    return {
        "wards": sorted(m.Ward.objects.values_list("code", "name", "imd_rank", "imd_decile")),
        "services": sorted(
            (x.category.slug, x.name, x.lgsl_code, tuple(sorted(w.code for w in x.wards.all())))
            for x in s.Service.objects.select_related("category").prefetch_related("wards")
        ),
        "organisations": sorted(
            (
                o.name,
                o.legal_form,
                o.charity_number,
                o.company_number,
                o.verification_status,
                o.postcode,
                tuple(sorted(w.code for w in o.wards_served.all())),
            )
            for o in m.Organisation.objects.prefetch_related("wards_served")
        ),
        "offers": sorted(
            (
                o.organisation.name,
                o.service.name,
                o.willingness,
                o.role,
                o.volunteer_hours_per_month,
                tuple(sorted(w.code for w in o.wards.all())),
                tuple(sorted(k.name for k in o.skills.all())),
                tuple(sorted(n.code for n in o.support_needed.all())),
            )
            for o in m.CapacityOffer.objects.select_related(
                "organisation", "service"
            ).prefetch_related("wards", "skills", "support_needed")
        ),
        "responses": sorted(
            (r.browser_hash, r.ward.code, r.gives_time, r.age_band)
            for r in m.ConsultationResponse.objects.select_related("ward")
        ),
        "answers": sorted(
            m.ConsultationAnswer.objects.values_list(
                "response__browser_hash", "service__name", "comfort"
            ),
            key=str,
        ),
        "eois": sorted(
            s.ExpressionOfInterest.objects.values_list(
                "lead_organisation__name", "service__name", "asset__name", "status"
            ),
            key=str,
        ),
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module inside a transaction that is rolled back at
    the end. Each test runs in a savepoint inside it, so it may change what it likes."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield load_demo("--password", PASSWORD)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# Running it again ---------------------------------------------------------------------------


def every_table_count():
    """Rows in every table, history tables included."""
    from django.apps import apps

    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_running_it_twice_changes_no_row_count(demo):
    before = all_row_counts()
    every_table = every_table_count()
    started = time.monotonic()
    output = load_demo()
    assert time.monotonic() - started < 60
    assert all_row_counts() == before
    assert every_table_count() == every_table  # not even a row of history
    assert "Nothing to add: the demo borough is already loaded." in output


def test_it_is_the_same_borough_every_time(demo):
    first = snapshot()
    delete_domain_data()
    User.objects.filter(email__endswith="@demo.local").delete()
    load_demo("--password", PASSWORD)
    assert snapshot() == first
    assert len(first["offers"]) == 600


def test_a_second_run_adds_back_a_deleted_organisation_and_leaves_changes_alone(demo):
    changed = m.Organisation.objects.get(name="Kestrel Community Trust")
    changed.description = "Changed while trying the demo."
    changed.save()
    gone = m.Organisation.objects.filter(verification_status="pending").first()
    gone_offers = gone.offers.count()
    gone.offers.all().delete()
    gone.delete()
    output = load_demo()
    changed.refresh_from_db()
    assert changed.description == "Changed while trying the demo."
    restored = m.Organisation.objects.get(name=gone.name)
    assert restored.offers.count() == gone_offers
    assert "Added 1 organisation" in output


# The accounts -----------------------------------------------------------------------------------


def test_the_three_accounts_have_their_roles_and_the_given_password(demo):
    officer = User.objects.get(email="officer@demo.local")
    group = User.objects.get(email="group@demo.local")
    admin = User.objects.get(email="admin@demo.local")
    assert all(u.check_password(PASSWORD) for u in (officer, group, admin))
    assert officer.is_officer and not officer.is_staff
    assert not group.is_officer and not group.is_staff
    assert admin.is_superuser and admin.is_staff
    membership = group.memberships.get()
    assert membership.is_owner
    organisation = membership.organisation
    assert organisation.is_verified
    assert organisation.offers.count() >= 3
    assert "officer@demo.local" in demo and PASSWORD in demo
    assert "Owner of Kestrel Community Trust" in demo


def test_a_second_run_without_a_password_keeps_the_passwords_and_says_so(demo):
    output = load_demo()
    assert User.objects.get(email="officer@demo.local").check_password(PASSWORD)
    assert output.count("(unchanged from an earlier run)") == 3
    assert "keep their passwords" in output


def test_a_second_run_with_a_password_sets_it(demo):
    load_demo("--password", "a brand new demo password")
    for email in ("officer@demo.local", "group@demo.local", "admin@demo.local"):
        assert User.objects.get(email=email).check_password("a brand new demo password")


# What it loads ----------------------------------------------------------------------------------


@needs_shared_data
@pytest.mark.shared_data
def test_with_the_shared_data_the_wards_are_lewishams(demo):
    codes = list(m.Ward.objects.order_by("code").values_list("code", flat=True))
    assert codes == [f"E050137{n}" for n in range(14, 33)]
    bellingham = m.Ward.objects.get(code="E05013714")
    assert (bellingham.name, bellingham.imd_rank, bellingham.imd_decile) == ("Bellingham", 4111, 2)
    assert m.Postcode.objects.get(postcode="SE6 4RU").ward.name == "Rushey Green"
    assert "Lewisham's real wards" in demo


def test_the_catalogue_spans_every_category_and_risk_tier(demo):
    services = s.Service.objects.all()
    assert services.count() >= 40
    assert set(services.values_list("category__slug", flat=True)) == set(
        s.ServiceCategory.objects.values_list("slug", flat=True)
    )
    assert set(services.values_list("risk_tier", flat=True)) == {"low", "medium", "high"}
    assert not services.filter(lgsl_code__isnull=True).exists()
    assert services.under_review().count() >= 3
    assert services.open_to_interest().count() >= 3
    assert services.being_cut().count() >= 5
    assert services.filter(review_status=s.ReviewStatus.HANDED_OVER).count() == 1


def test_there_are_150_organisations_of_every_legal_form_mostly_verified(demo):
    organisations = m.Organisation.objects.all()
    assert organisations.count() == 150
    assert set(organisations.values_list("legal_form", flat=True)) == set(m.LegalForm.values)
    statuses = dict(
        organisations.values_list("verification_status").annotate(n=Count("id")).order_by()
    )
    assert statuses["verified"] > 100
    assert statuses["pending"] >= 5
    assert statuses["rejected"] >= 3
    assert not organisations.filter(
        verification_status="verified", verified_by__isnull=True
    ).exists()


def test_charity_and_company_numbers_look_real_and_are_unique(demo):
    charities = list(
        m.Organisation.objects.exclude(charity_number="").values_list("charity_number", flat=True)
    )
    companies = list(
        m.Organisation.objects.exclude(company_number="").values_list("company_number", flat=True)
    )
    assert len(charities) >= 20 and len(companies) >= 20
    assert all(n.isdigit() and len(n) == 7 for n in charities)
    assert all(n.isdigit() and len(n) == 8 for n in companies)
    assert len(set(charities)) == len(charities)
    assert len(set(companies)) == len(companies)


def test_offers_are_spread_unevenly_some_services_rich_some_with_nobody(demo):
    counts = sorted(s.Service.objects.annotate(n=Count("offers")).values_list("n", flat=True))
    assert sum(counts) == 600
    assert counts[0] == 0 and counts.count(0) >= 3
    assert counts[-1] >= 25
    at_risk_nobody = s.Service.objects.at_risk().annotate(n=Count("offers")).filter(n=0)
    assert at_risk_nobody.exists()  # falling through the gaps


def test_high_risk_services_get_supporting_roles_mostly(demo):
    high = m.CapacityOffer.objects.filter(service__risk_tier=s.RiskTier.HIGH)
    supporting = high.filter(role__in=m.SUPPORTING_ROLES).count()
    assert high.count() >= 20
    assert supporting / high.count() >= 0.75


def test_deprived_wards_have_fewer_offers_per_ward(demo):
    per_ward = {w.imd_decile: [] for w in m.Ward.objects.all()}
    for ward in m.Ward.objects.annotate(n=Count("offers")):
        per_ward[ward.imd_decile].append(ward.n)
    deciles = sorted(per_ward)
    most_deprived = [n for d in deciles[:1] for n in per_ward[d]]
    others = [n for d in deciles[1:] for n in per_ward[d]]
    assert sum(most_deprived) / len(most_deprived) < sum(others) / len(others)


def test_the_consultation_has_enough_responses_in_some_cells_and_too_few_in_others(demo):
    consultation = m.Consultation.objects.get(slug="who-should-run-local-services")
    assert consultation.is_open
    cells = demand_by_cell(consultation=consultation)
    shown = [cell for cell in cells.values() if not cell.suppressed]
    withheld = [cell for cell in cells.values() if cell.suppressed]
    assert len(shown) >= 10
    assert len(withheld) >= 10
    assert m.Consultation.objects.filter(is_published=False).exists()
    assert m.Consultation.objects.filter(results_published=True).get().state == "closed"


def test_every_expression_of_interest_status_appears_and_one_has_an_agreement(demo):
    statuses = set(s.ExpressionOfInterest.objects.values_list("status", flat=True))
    assert statuses == set(s.EoiStatus.values)
    agreement = s.HandoverAgreement.objects.get()
    assert agreement.expression_of_interest.status == s.EoiStatus.ACCEPTED
    assert agreement.organisation.memberships.filter(user__email="group@demo.local").exists()
    assert agreement.indicators.count() == 3
    assert s.EoiPartner.objects.filter(status=s.PartnerStatus.ACCEPTED).exists()
    decided = s.ExpressionOfInterest.objects.filter(status__in=["accepted", "rejected"])
    assert all(e.transitions.count() == 3 for e in decided)


def test_monitoring_returns_include_a_rated_one_and_an_overdue_one(demo):
    today = timezone.localdate()
    returns = s.MonitoringReturn.objects.all()
    assert returns.exclude(rating="").filter(reviewed_by__isnull=False).count() == 1
    assert returns.overdue_on(today).count() == 1
    assert s.IndicatorValue.objects.filter(monitoring_return__rating="green").count() == 3


def test_a_listed_asset_of_community_value_is_for_sale_inside_its_interim_window(demo):
    nomination = s.AcvNomination.objects.get(status=s.NominationStatus.LISTED)
    notice = s.SaleNotice.objects.get(asset=nomination.asset)
    days_since_notice = (timezone.localdate() - notice.notified_on).days
    assert 0 <= days_since_notice < 6 * 7
    assert notice.intentions.count() == 1
    assert s.AcvNomination.objects.filter(status=s.NominationStatus.SUBMITTED).exists()
    assert s.Asset.objects.count() >= 10


def test_responses_are_dated_while_the_consultation_was_open(demo):
    for consultation in m.Consultation.objects.filter(is_published=True):
        days = consultation.responses.aggregate(
            first=m.models.Min("submitted_at"), last=m.models.Max("submitted_at")
        )
        opens = datetime.datetime.combine(consultation.opens_on, datetime.time.min)
        assert timezone.localtime(days["first"]).date() >= opens.date()
        assert timezone.localtime(days["last"]).date() <= min(
            consultation.closes_on, timezone.localdate()
        )
    assert not m.ConsultationResponse.objects.filter(~Q(browser_hash__regex=r"^[0-9a-f]{64}$"))
