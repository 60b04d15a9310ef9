"""manage.py load_demo on an empty database, or one it must not touch."""

import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from mapping import models as m
from mapping.management.commands._domain import row_counts
from tests import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "demo password for tests"


def load_demo(*args):
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def test_it_refuses_a_database_that_holds_other_organisations():
    f.OrganisationFactory(name="A real group")
    with pytest.raises(CommandError, match="not the demo's"):
        load_demo()
    assert not m.Ward.objects.exists()
    assert not User.objects.filter(email__endswith="@demo.local").exists()


def test_without_a_password_it_makes_a_random_one_and_prints_it():
    output = load_demo()
    line = next(line for line in output.splitlines() if "admin@demo.local" in line)
    password = line.rsplit("password: ", 1)[1].strip()
    assert len(password) >= 12
    assert User.objects.get(email="admin@demo.local").check_password(password)
    assert User.objects.get(email="group@demo.local").check_password(password)


@pytest.mark.parametrize("weak", ["demo", "password1234", "123456789012"])
def test_it_refuses_a_weak_password_before_loading_anything(weak):
    with pytest.raises(CommandError, match="Choose a stronger demo password"):
        load_demo("--password", weak)
    assert not m.Ward.objects.exists()
    assert not User.objects.exists()


def test_without_the_shared_data_it_makes_up_a_borough(no_shared_data):
    output = load_demo("--password", PASSWORD)
    wards = m.Ward.objects.all()
    assert wards.count() >= 15
    assert all(w.boundary["type"] == "Polygon" for w in wards)
    assert set(wards.values_list("imd_decile", flat=True)) == set(range(1, 11))
    assert m.Postcode.objects.filter(postcode__startswith="DB").count() >= wards.count()
    assert m.CapacityOffer.objects.count() == 600
    assert "made-up borough" in output
    assert not m.Ward.objects.filter(code__startswith="E050137").exists()
    before = row_counts()
    assert "Nothing to add" in load_demo()
    assert row_counts() == before
