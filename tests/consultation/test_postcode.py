"""Finding a resident's ward from a typed postcode."""

import pytest

from mapping.models import Ward, normalise_postcode
from tests.factories import PostcodeFactory, WardFactory


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("SE6 4RU", "SE6 4RU"),
        ("se64ru", "SE6 4RU"),
        ("  se6   4ru ", "SE6 4RU"),
        ("SE6-4RU", "SE6 4RU"),
        ("ec1a1bb", "EC1A 1BB"),
        ("W1A 0AX", "W1A 0AX"),
        ("M1 1AE", "M1 1AE"),
        ("SE6", None),
        ("SE6 4R", None),
        ("4RU SE6", None),
        ("", None),
        (None, None),
        ("SE6 4RU; DROP TABLE", None),
    ],
)
def test_it_normalises_a_typed_postcode_or_refuses_it(typed, expected):
    assert normalise_postcode(typed) == expected


@pytest.mark.django_db
def test_the_ward_is_found_however_the_postcode_is_typed():
    ward = WardFactory(name="Rushey Green")
    PostcodeFactory(postcode="SE6 4RU", ward=ward)
    PostcodeFactory(postcode="SE6 4RW")
    assert list(Ward.objects.for_postcode("se6 4ru")) == [ward]
    assert not Ward.objects.for_postcode("SW1A 1AA").exists()
    assert not Ward.objects.for_postcode("nonsense").exists()
