"""Select boxes with their options written in Python (bigsociety.forms.GovukSelect), as
long filters on the county-scale pages need: the same markup, escaped, the choice kept."""

import pytest
from django import forms

from bigsociety.forms import GovukForm
from mapping.filters import OrganisationFilter
from tests.factories import ServiceFactory, WardFactory


class PickForm(GovukForm):
    colour = forms.ChoiceField(
        label="Colour",
        choices=[
            ("", "Any"),
            ("Warm", [("red", "Red & <b>bold</b>"), ("orange", "Orange")]),
            ('"quoted"', "Quoted"),
        ],
        required=False,
    )


def test_options_keep_their_values_labels_and_groups_escaped():
    html = str(PickForm({"colour": "red"})["colour"])
    assert '<select name="colour"' in html and 'class="govuk-select"' in html
    assert '<option value="">Any</option>' in html
    assert '<optgroup label="Warm"><option value="red" selected>' in html
    assert "Red &amp; &lt;b&gt;bold&lt;/b&gt;</option>" in html
    assert '<option value="&quot;quoted&quot;">Quoted</option>' in html
    assert "<b>" not in html


@pytest.mark.django_db
def test_the_directory_filter_lists_names_and_keeps_the_choice():
    ward = WardFactory(name="Brockley <Central>")
    WardFactory(name="Catford")
    ServiceFactory(name="Library")
    form = OrganisationFilter({"ward": str(ward.pk)}).form
    assert form.is_valid()
    assert form.cleaned_data["ward"] == ward
    html = str(form["ward"])
    assert f'<option value="{ward.pk}" selected>Brockley &lt;Central&gt;</option>' in html
    assert "Catford" in html
    assert "Library" in str(form["service"])
