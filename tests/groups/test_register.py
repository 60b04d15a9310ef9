"""Registering a group: who may, what is checked, and what is saved."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from mapping import actions
from mapping.group_forms import OrganisationForm
from mapping.models import Membership, MembershipRole, Organisation, VerificationStatus
from tests.conftest import client_for
from tests.factories import OrganisationFactory, UserFactory
from tests.groups.conftest import organisation_data

pytestmark = pytest.mark.django_db

REGISTER = reverse("mapping:organisation_register")


@pytest.fixture
def volunteer(db):
    return UserFactory(email="tina@example.org", full_name="Tina Treasurer")


@pytest.fixture
def volunteer_client(volunteer):
    return client_for(volunteer)


def test_the_form_starts_with_the_person_as_contact(volunteer_client):
    response = volunteer_client.get(REGISTER)
    assert response.status_code == 200
    assert response.text.count("<h1") == 1
    assert 'value="Tina Treasurer"' in response.text
    assert 'value="tina@example.org"' in response.text
    assert "Across the whole borough" in response.text


def test_it_registers_a_group_waiting_for_review_with_its_first_owner(
    volunteer_client, volunteer, wards
):
    response = volunteer_client.post(
        REGISTER, organisation_data(wards, charity_number="sc 012345", company_number="1234567")
    )
    organisation = Organisation.objects.get(name="Friends of Manor House Gardens")
    assert response.status_code == 302
    assert response.url == reverse("mapping:group_dashboard", args=[organisation.pk])
    assert organisation.verification_status == VerificationStatus.PENDING
    assert organisation.postcode == "SE13 5SY"
    assert organisation.charity_number == "SC012345"
    assert organisation.company_number == "01234567"
    assert not organisation.serves_whole_borough
    assert set(organisation.wards_served.all()) == {wards[0], wards[2]}
    assert (organisation.volunteers, organisation.paid_staff) == (12, 0)
    assert not organisation.publish_contact
    membership = Membership.objects.get(organisation=organisation)
    assert (membership.user, membership.role) == (volunteer, MembershipRole.OWNER)
    page = volunteer_client.get(response.url).text
    assert "is registered" in page and "Waiting for review" in page


def test_counts_may_be_typed_with_thousands_separators(volunteer_client, wards):
    volunteer_client.post(REGISTER, organisation_data(wards, volunteers="1,200", paid_staff=" 3 "))
    organisation = Organisation.objects.get()
    assert (organisation.volunteers, organisation.paid_staff) == (1200, 3)


def test_the_whole_borough_needs_no_wards(volunteer_client, wards):
    volunteer_client.post(
        REGISTER, organisation_data(wards, area="borough", wards_served=[wards[1].pk])
    )
    organisation = Organisation.objects.get()
    assert organisation.serves_whole_borough
    assert not organisation.wards_served.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Enter the name of the group"),
        ({"name": "x" * 201}, "name", "The name must be 200 characters or fewer"),
        ({"legal_form": ""}, "legal_form", "Select what kind of group it is"),
        ({"legal_form": "limited"}, "legal_form", "Select what kind of group it is"),
        ({"charity_number": "12345"}, "charity_number", "Enter the charity number in the right"),
        ({"charity_number": "SC12345"}, "charity_number", "Enter the charity number in the right"),
        ({"charity_number": "NI012345"}, "charity_number", "Enter the charity number"),
        ({"company_number": "ABC12345"}, "company_number", "Enter the company number in"),
        ({"company_number": "12345"}, "company_number", "Enter the company number in the"),
        ({"description": ""}, "description", "Say what the group does"),
        ({"description": "x" * 3001}, "description", "in 3,000 characters or fewer"),
        ({"area": ""}, "area", "Select where your group works"),
        ({"wards_served": []}, "wards_served", "Select the wards where the group works"),
        ({"wards_served": ["999999"]}, "wards_served", "Select wards from the list"),
        ({"volunteers": ""}, "volunteers", "Enter the number of volunteers, or 0"),
        ({"volunteers": "about ten"}, "volunteers", "as a whole number, for example 12"),
        ({"volunteers": "-1"}, "volunteers", "cannot be less than 0"),
        ({"volunteers": "2000000"}, "volunteers", "up to 1,000,000"),
        ({"paid_staff": "1.5"}, "paid_staff", "Enter the number of paid staff as a whole"),
        ({"income_band": ""}, "income_band", "Select roughly how much"),
        ({"postcode": ""}, "postcode", "Enter the postcode"),
        ({"postcode": "SE13"}, "postcode", "Enter a real postcode, for example SE6 4RU"),
        ({"postcode": "not a postcode"}, "postcode", "Enter a real postcode"),
        ({"website": "not a web address"}, "website", "Enter a web address"),
        ({"contact_name": ""}, "contact_name", "Enter the name of the person to contact"),
        ({"contact_email": ""}, "contact_email", "Enter the contact email address"),
        ({"contact_email": "tina@"}, "contact_email", "Enter an email address in the correct"),
        ({"contact_phone": "call me"}, "contact_phone", "Enter a phone number"),
        ({"contact_phone": "0207 946"}, "contact_phone", "Enter a phone number"),
    ],
)
def test_it_explains_each_problem_and_keeps_the_answers(
    volunteer_client, wards, changes, field, message
):
    response = volunteer_client.post(REGISTER, organisation_data(wards, **changes))
    assert response.status_code == 200
    assert message in response.text
    assert "There is a problem" in response.text
    assert "Error:" in response.text.split("</title>")[0]
    anchor = (
        f"#id_{field}_0"
        if field in ("legal_form", "area", "wards_served", "income_band")
        else f"#id_{field}"
    )
    assert f'href="{anchor}"' in response.text
    if field != "name":
        assert 'value="Friends of Manor House Gardens"' in response.text
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1123456", "1123456"),
        ("212345", "212345"),
        (" 1123456-1 ", "1123456-1"),
        ("sc012345", "SC012345"),
        ("NIC100012", "NIC100012"),
    ],
)
def test_charity_numbers_of_every_uk_register_are_accepted(volunteer_client, wards, typed, stored):
    volunteer_client.post(REGISTER, organisation_data(wards, charity_number=typed))
    assert Organisation.objects.get().charity_number == stored


@pytest.mark.parametrize(
    ("field", "typed", "existing"),
    [("charity_number", "1123456", "1123456"), ("company_number", "sc123456", "SC123456")],
)
def test_a_number_already_registered_is_refused_with_a_clear_message(
    volunteer_client, wards, field, typed, existing
):
    OrganisationFactory(name="The First Group", **{field: existing})
    response = volunteer_client.post(REGISTER, organisation_data(wards, **{field: typed}))
    assert response.status_code == 200
    assert f"A group with the {field.split('_')[0]} number {existing} is already registered" in (
        response.text
    )
    assert "ask one of its members to invite you" in response.text
    assert "The First Group" not in response.text  # the message names the problem, not the group
    assert Organisation.objects.count() == 1


def test_two_groups_registering_one_number_at_once_get_a_message_not_an_error(
    volunteer, wards, monkeypatch
):
    """Both pass the form's check; the database's unique constraint lets one in."""
    form = OrganisationForm(organisation_data(wards, charity_number="1123456"))
    assert form.is_valid()
    OrganisationFactory(charity_number="1123456")  # the other group, a moment earlier
    with pytest.raises(actions.NumberTaken) as taken:
        actions.organisation_register(form=form, user=volunteer)
    assert taken.value.field == "charity_number"
    assert Organisation.objects.count() == 1
    assert not Membership.objects.filter(user=volunteer).exists()


def test_the_view_turns_a_lost_race_into_a_message(volunteer_client, wards, monkeypatch):
    def lose(*, form, user):
        raise actions.NumberTaken("company_number")

    monkeypatch.setattr(actions, "organisation_register", lose)
    response = volunteer_client.post(REGISTER, organisation_data(wards, company_number="01234567"))
    assert response.status_code == 200
    assert "has just been registered" in response.text


def test_other_database_errors_are_not_disguised(volunteer, wards, monkeypatch):
    form = OrganisationForm(organisation_data(wards))
    assert form.is_valid()

    def broken(*args, **kwargs):
        raise IntegrityError("something else")

    monkeypatch.setattr(Organisation, "save", broken)
    with pytest.raises(IntegrityError):
        actions.organisation_register(form=form, user=volunteer)


def test_an_unconfirmed_address_cannot_register_a_group(wards):
    client = client_for(UserFactory(email_confirmed_at=None))
    response = client.get(REGISTER)
    assert response.status_code == 200
    assert "Confirm your email address first" in response.text
    response = client.post(REGISTER, organisation_data(wards))
    assert response.status_code == 403
    assert not Organisation.objects.exists()


def test_anonymous_people_are_asked_to_sign_in(anon_client, wards):
    for response in (
        anon_client.get(REGISTER),
        anon_client.post(REGISTER, organisation_data(wards)),
    ):
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:sign_in"))
    assert not Organisation.objects.exists()


@pytest.mark.parametrize("method", ["put", "delete"])
def test_it_refuses_other_methods(volunteer_client, method):
    assert getattr(volunteer_client, method)(REGISTER).status_code == 405


def test_a_person_may_register_a_second_group(member_a_client, member_a, wards):
    member_a_client.post(REGISTER, organisation_data(wards, name="Second Group"))
    assert Organisation.objects.managed_by(member_a).count() == 2
