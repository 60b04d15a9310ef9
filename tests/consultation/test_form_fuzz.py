"""Whatever a resident types, the public form answers with a message, never an error."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mapping.forms import AboutYouForm, PostcodeForm, TimeForm, WardForm
from mapping.models import POSTCODE_SHAPE, Ward, normalise_postcode
from tests.factories import WardFactory

typed = st.text(max_size=300)


@given(typed)
def test_a_postcode_is_normalised_or_refused_never_an_error(text):
    postcode = normalise_postcode(text)
    assert postcode is None or POSTCODE_SHAPE.fullmatch(postcode.replace(" ", ""))


@given(postcode=typed, gives_time=typed, hours=typed, age=typed, comment=st.text(max_size=2500))
@settings(max_examples=60, deadline=None)
def test_the_forms_accept_or_explain_any_text(postcode, gives_time, hours, age, comment):
    for form in [
        PostcodeForm({"postcode": postcode}),
        TimeForm({"gives_time": gives_time, "hours_per_month": hours}),
        AboutYouForm({"age_band": age, "comment": comment}),
    ]:
        if not form.is_valid():
            assert all(form.errors.values())


@pytest.mark.django_db
def test_a_long_ward_list_is_a_drop_down(anon_client):
    for n in range(31):
        WardFactory(name=f"Ward {n:02d}")
    form = WardForm(wards=Ward.objects.order_by("name"))
    html = str(form["ward"])
    assert "<select" in html and "Choose your ward" in html
    assert WardForm({"ward": ""}, wards=Ward.objects.all()).errors["ward"] == [
        "Choose the ward you live in"
    ]
