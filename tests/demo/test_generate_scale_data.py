"""manage.py generate_scale_data, with small numbers: the counts asked for, the same data
for the same seed, and no harm to a database that already has data."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from accounts.models import User
from mapping import models as m
from services import models as s
from tests import factories as f

pytestmark = pytest.mark.django_db

SMALL = ["--wards", "12", "--organisations", "40", "--services", "15", "--offers", "200"]


def generate(*args):
    out = io.StringIO()
    call_command("generate_scale_data", *args, stdout=out)
    return out.getvalue()


def snapshot():
    return {
        "wards": sorted(
            (w.code, w.name, w.imd_rank, str(w.boundary)) for w in m.Ward.objects.all()
        ),
        "organisations": sorted(
            m.Organisation.objects.values_list(
                "name", "legal_form", "charity_number", "verification_status", "volunteers"
            )
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
            )
            for o in m.CapacityOffer.objects.select_related(
                "organisation", "service"
            ).prefetch_related("wards", "skills")
        ),
        "answers": sorted(
            m.ConsultationAnswer.objects.values_list(
                "response__browser_hash", "response__ward__code", "service__name", "comfort"
            ),
            key=str,
        ),
    }


def test_it_makes_the_numbers_asked_for():
    output = generate(*SMALL, "--responses", "30", "--seed", "3")
    assert m.Ward.objects.count() == 12
    assert m.Organisation.objects.count() == 40
    assert s.Service.objects.count() == 15
    assert m.CapacityOffer.objects.count() == 200
    assert m.ConsultationResponse.objects.count() == 30
    # Each response answers about every service asked (up to 20).
    assert m.ConsultationAnswer.objects.count() == 30 * 15
    assert "Done in" in output


def test_every_row_is_usable_by_the_gap_analysis():
    generate(*SMALL)
    assert not m.CapacityOffer.objects.annotate(n=Count("wards")).filter(n=0).exists()
    assert not s.Service.objects.annotate(n=Count("wards")).filter(n=0).exists()
    assert not m.Organisation.objects.annotate(n=Count("wards_served")).filter(n=0).exists()
    assert set(m.Ward.objects.values_list("imd_decile", flat=True)) == set(range(1, 11))
    assert all(w.boundary["type"] == "Polygon" for w in m.Ward.objects.all())
    # One offer per organisation and service: the database would refuse otherwise.
    pairs = m.CapacityOffer.objects.values_list("organisation", "service")
    assert len(set(pairs)) == 200
    high = m.CapacityOffer.objects.filter(service__risk_tier="high")
    assert not high.exclude(role__in=m.SUPPORTING_ROLES).exists()


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    generate(*SMALL, "--responses", "10", "--seed", "7")
    first = snapshot()
    generate(*SMALL, "--responses", "10", "--seed", "7", "--flush", "--no-input")
    assert snapshot() == first
    generate(*SMALL, "--responses", "10", "--seed", "8", "--flush", "--no-input")
    assert snapshot() != first


def test_it_refuses_a_database_with_data_unless_told_to_flush():
    f.OrganisationFactory(name="A real group")
    with pytest.raises(CommandError, match="already has"):
        generate(*SMALL)
    assert list(m.Organisation.objects.values_list("name", flat=True)) == ["A real group"]
    assert not m.Ward.objects.exists()


def test_flush_deletes_domain_data_but_never_users_or_reference_data(member_a, officer):
    f.CapacityOfferFactory()
    skills, needs, categories = (
        m.Skill.objects.count(),
        m.SupportNeed.objects.count(),
        s.ServiceCategory.objects.count(),
    )
    users = set(User.objects.values_list("email", flat=True))
    output = generate(*SMALL, "--flush", "--no-input")
    assert "Deleted" in output
    assert set(User.objects.values_list("email", flat=True)) == users
    assert officer.is_officer
    assert not m.Membership.objects.exists()
    assert m.Organisation.objects.count() == 40
    assert (m.Skill.objects.count(), m.SupportNeed.objects.count()) == (skills, needs)
    assert s.ServiceCategory.objects.count() == categories


def test_flush_asks_first_and_an_answer_other_than_delete_keeps_everything(monkeypatch):
    f.OrganisationFactory(name="A real group")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Nothing was deleted"):
        generate(*SMALL, "--flush")
    assert m.Organisation.objects.count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--offers", "1000", "--organisations", "10", "--services", "5"], "At most 50 offers"),
        (["--wards", "0"], "at least one ward"),
        (["--organisations", "0", "--offers", "5"], "Offers need organisations"),
        (["--wards", "-3"], "invalid positive value"),
        (["--offers", "lots"], "invalid positive value"),
    ],
)
def test_it_explains_impossible_numbers(args, message):
    with pytest.raises(CommandError, match=message):
        generate(*args)
    assert not m.Ward.objects.exists()
