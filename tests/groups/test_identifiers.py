"""Charity and company numbers as people type them (no database needed)."""

import pytest

from mapping.identifiers import (
    normalise_charity_number,
    normalise_company_number,
    register_links,
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
