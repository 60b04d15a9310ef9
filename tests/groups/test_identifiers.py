"""Charity and company numbers as people type them (no database needed)."""

import pytest

from mapping.identifiers import (
    charity_org_id,
    normalise_charity_number,
    normalise_company_number,
    number_from_org_id,
    register_links,
    split_org_id,
)
from mapping.models import Organisation


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1123456", "1123456"),
        ("212345", "212345"),
        ("1123456-1", "1123456-1"),
        ("1123456-12", "1123456-12"),
        (" 112 3456 ", "1123456"),
        ("sc012345", "SC012345"),
        ("SC 012345", "SC012345"),
        ("nic100012", "NIC100012"),
        ("GB-CHC-1123456", "1123456"),
        ("GB-SC-SC012345", "SC012345"),
        ("gb-nic-100012", "NIC100012"),
        ("12345", None),
        ("12345678", None),
        ("1123456-", None),
        ("1123456-123", None),
        ("SC12345", None),
        ("NI100012", None),
        ("charity", None),
        ("", None),
    ],
)
def test_charity_numbers(typed, expected):
    assert normalise_charity_number(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("01234567", "01234567"),
        ("1234567", "01234567"),
        ("123456", "00123456"),
        ("sc123456", "SC123456"),
        ("OC 301234", "OC301234"),
        ("GB-COH-01234567", "01234567"),
        ("12345", None),
        ("123456789", None),
        ("S1234567", None),
        ("SC1234567", None),
        ("ABC12345", None),
        ("", None),
    ],
)
def test_company_numbers(typed, expected):
    assert normalise_company_number(typed) == expected


def test_register_links_use_the_main_charity_number_and_skip_other_registers():
    links = dict(
        register_links(Organisation(charity_number="1123456-1", company_number="SC123456"))
    )
    assert links["Charity Commission register"].endswith("/charity-details/1123456")
    assert links["Companies House"].endswith("/company/SC123456")
    assert register_links(Organisation(charity_number="SC012345")) == []


# org-id identifiers: each register has its own prefix ----------------------------------------


@pytest.mark.parametrize(
    ("number", "org_id"),
    [
        ("1123456", "GB-CHC-1123456"),
        ("1123456-1", "GB-CHC-1123456-1"),
        ("SC012345", "GB-SC-SC012345"),  # the Scottish register keeps the SC
        ("NIC100012", "GB-NIC-100012"),  # the Northern Irish register drops the NIC
    ],
)
def test_each_charity_register_has_its_own_org_id_prefix(number, org_id):
    assert charity_org_id(number) == org_id
    assert number_from_org_id(org_id) == ("charity_number", number)


@pytest.mark.parametrize(
    ("org_id", "found"),
    [
        ("GB-COH-01234567", ("company_number", "01234567")),
        (" gb-sc-sc012345 ", ("charity_number", "SC012345")),
        ("GB-SC-012345", ("charity_number", "SC012345")),
        ("GB-NIC-NIC100012", ("charity_number", "NIC100012")),
        ("GB-MPR-12345R", (None, "GB-MPR-12345R")),
        ("GB-CHCX-1", (None, "GB-CHCX-1")),
    ],
)
def test_org_ids_are_read_as_the_number_stored_here(org_id, found):
    assert number_from_org_id(org_id) == found


def test_the_register_and_identifier_of_an_org_id():
    assert split_org_id("GB-NIC-100012") == ("GB-NIC", "100012")
    assert split_org_id("GB-CHC-1123456-1") == ("GB-CHC", "1123456-1")
    assert split_org_id("XI-IATI-1") == (None, "XI-IATI-1")


def test_an_organisation_gives_the_org_id_of_its_register():
    assert Organisation(charity_number="SC012345", company_number="SC123456").identifiers == [
        "GB-SC-SC012345",
        "GB-COH-SC123456",
    ]
    assert Organisation(charity_number="NIC100012").identifiers == ["GB-NIC-100012"]
    assert Organisation(charity_number="1123456").identifiers == ["GB-CHC-1123456"]


@pytest.mark.django_db
def test_organisations_are_found_by_any_registers_org_id():
    from tests.factories import OrganisationFactory

    scottish = OrganisationFactory(charity_number="SC012345")
    northern_irish = OrganisationFactory(charity_number="NIC100012")
    linked = OrganisationFactory(charity_number="1123456-1")
    found = Organisation.objects.with_identifier
    assert list(found("GB-SC-SC012345")) == [scottish]
    assert list(found("GB-NIC-100012")) == [northern_irish]
    assert list(found("GB-CHC-1123456-1")) == [linked]
    # A Northern Irish number is not an English one that happens to have the same digits.
    assert not found("GB-CHC-100012").exists()
    # As this site wrote it before: the SC cannot be mistaken for any other register's.
    assert list(found("GB-CHC-SC012345")) == [scottish]
