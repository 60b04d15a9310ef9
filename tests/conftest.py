"""Personas and shared fixtures.

The personas are the people in the access rules: anonymous, a council officer, a
member of group A, a member of group B and an admin. Every URL is tested against them.
"""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from accounts.models import OFFICERS_GROUP, User

PASSWORD = "correct horse battery staple"


def make_user(email, full_name, **extra):
    from django.utils import timezone

    extra.setdefault("email_confirmed_at", timezone.now())
    return User.objects.create_user(email=email, password=PASSWORD, full_name=full_name, **extra)


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def officer(db):
    user = make_user("officer@example.test", "Olu Officer")
    user.groups.add(Group.objects.get_or_create(name=OFFICERS_GROUP)[0])
    return user


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser(
        email="admin@example.test", password=PASSWORD, full_name="Ada Admin"
    )


@pytest.fixture
def group_a(db):
    from tests.factories import OrganisationFactory

    return OrganisationFactory(name="Group A Friends of the Park")


@pytest.fixture
def group_b(db):
    from tests.factories import OrganisationFactory

    return OrganisationFactory(name="Group B Library Volunteers")


@pytest.fixture
def member_a(group_a):
    """The owner of group A."""
    from mapping.models import Membership, MembershipRole

    user = make_user("alice@group-a.test", "Alice Member")
    Membership.objects.create(user=user, organisation=group_a, role=MembershipRole.OWNER)
    return user


@pytest.fixture
def member_b(group_b):
    """The owner of group B."""
    from mapping.models import Membership, MembershipRole

    user = make_user("bob@group-b.test", "Bob Member")
    Membership.objects.create(user=user, organisation=group_b, role=MembershipRole.OWNER)
    return user


@pytest.fixture
def anon_client():
    return Client()


@pytest.fixture
def officer_client(officer):
    return client_for(officer)


@pytest.fixture
def member_a_client(member_a):
    return client_for(member_a)


@pytest.fixture
def member_b_client(member_b):
    return client_for(member_b)


def staff_client_for(user):
    """A client signed in as ``user`` who has also given a two-factor code, as the admin
    asks of staff."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = client_for(user)
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def admin_client(admin_user):
    """A superuser who has passed two-factor sign-in for the admin."""
    return staff_client_for(admin_user)


def pytest_configure(config):
    # Tests run without `collectstatic`; serve static files by name rather than from
    # the hashed manifest that production builds.
    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Hashing a password the production way takes a few hundred milliseconds by design;
    # tests create hundreds of accounts. Production keeps Django's default hashers.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]
