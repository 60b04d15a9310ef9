"""What people type into the shared form pieces is understood the way they meant it, and
shown back to them exactly as they typed it when something needs correcting."""

import re

import pytest
from django import forms

from bigsociety.forms import GovukDateField, GovukForm, GovukModelForm
from services.forms import MoneyField
from services.models import Service


class DateForm(GovukForm):
    starts_on = GovukDateField(label="Starts on")


def boxes(form):
    """{box name: value shown} for the day, month and year boxes of the rendered form."""
    shown = {}
    for tag in re.findall(r"<input [^>]*>", str(form["starts_on"])):
        name = re.search(r'name="starts_on_(\w+)"', tag).group(1)
        value = re.search(r'value="([^"]*)"', tag)
        shown[name] = value.group(1) if value else ""
    return shown


@pytest.mark.parametrize(
    ("day", "month", "year"),
    [
        ("31", "2", "2026"),  # not a real date
        ("31/02/2026", "", ""),  # the whole date typed in the first box
        ("31-02-2026", "", ""),
        ("1", "", "2026"),  # a box left empty
        ("3", "13", "26"),
    ],
)
def test_a_date_that_is_not_real_is_shown_back_as_typed(day, month, year):
    form = DateForm({"starts_on_day": day, "starts_on_month": month, "starts_on_year": year})
    assert not form.is_valid()
    assert form.errors["starts_on"] == ["Enter a real date, for example 27 3 2026."]
    assert boxes(form) == {"day": day, "month": month, "year": year}


def test_a_real_date_typed_without_leading_zeros_is_understood():
    form = DateForm({"starts_on_day": " 7 ", "starts_on_month": "3", "starts_on_year": "2027"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["starts_on"].isoformat() == "2027-03-07"


def test_a_saved_date_is_shown_in_the_three_boxes():
    import datetime

    form = DateForm(initial={"starts_on": datetime.date(2026, 11, 21)})
    assert boxes(form) == {"day": "21", "month": "11", "year": "2026"}


def test_an_empty_date_is_required_not_invalid():
    form = DateForm({"starts_on_day": " ", "starts_on_month": "", "starts_on_year": ""})
    assert not form.is_valid()
    assert form.errors["starts_on"] == [forms.Field.default_error_messages["required"]]


class NumberForm(GovukForm):
    # Django's own fields: the GOV.UK form gives every form the ones that read numbers
    # as people type them.
    count = forms.IntegerField(required=False)
    amount = forms.DecimalField(required=False, max_digits=12, decimal_places=2)


@pytest.mark.parametrize(
    ("typed", "count", "amount"),
    [
        ("1,200", 1200, "1200"),
        ("1 200", 1200, "1200"),
        (" 12 ", 12, "12"),
        ("-1,000", -1000, "-1000"),
        ("1,234,567", 1234567, "1234567"),
    ],
)
def test_numbers_are_read_with_thousands_separators(typed, count, amount):
    form = NumberForm({"count": typed, "amount": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["count"] == count
    assert str(form.cleaned_data["amount"]) == amount


def test_a_decimal_point_is_kept_with_thousands_separators():
    form = NumberForm({"amount": "1,412.50"})
    assert form.is_valid(), form.errors
    assert str(form.cleaned_data["amount"]) == "1412.50"


@pytest.mark.parametrize("typed", ["1,5", "12,00", "1,2345", ",100", "1,,000", "about 10"])
def test_a_comma_that_is_not_between_thousands_is_refused(typed):
    form = NumberForm({"count": typed, "amount": typed})
    assert not form.is_valid()
    assert set(form.errors) == {"count", "amount"}
    assert form["count"].value() == typed  # shown back as typed


class ServiceHoursForm(GovukModelForm):
    class Meta:
        model = Service
        fields = ["volunteer_hours_needed"]


def test_a_model_forms_numbers_are_read_the_same_way():
    form = ServiceHoursForm({"volunteer_hours_needed": "1,200"})
    form.is_valid()
    assert "volunteer_hours_needed" not in form.errors
    assert form.cleaned_data["volunteer_hours_needed"] == 1200


def number_boxes(html):
    return re.findall(r'<input type="(\w+)" name="(\w+)"[^>]*?inputmode="(\w+)"', html)


def test_numbers_are_typed_in_text_boxes_so_what_was_typed_reaches_the_server():
    assert number_boxes(str(NumberForm())) == [
        ("text", "count", "numeric"),
        ("text", "amount", "decimal"),
    ]


def test_a_model_forms_numbers_are_typed_in_text_boxes():
    html = str(ServiceHoursForm())
    assert number_boxes(html) == [("text", "volunteer_hours_needed", "numeric")]
    assert 'type="number"' not in html


class MoneyForm(forms.Form):
    pounds = MoneyField(required=False)


@pytest.mark.parametrize(
    "typed, pounds",
    [
        ("£25,000", "25000"),
        ("- £1,500.50", "-1500.50"),
        ("£1,250,000.50", "1250000.50"),
        (" 12 ", "12"),
    ],
)
def test_money_is_read_as_typed(typed, pounds):
    form = MoneyForm({"pounds": typed})
    assert form.is_valid(), form.errors
    assert str(form.cleaned_data["pounds"]) == pounds


@pytest.mark.parametrize("typed", ["1,5", "£12,00", "£1,2345"])
def test_money_with_a_comma_not_between_thousands_is_refused(typed):
    form = MoneyForm({"pounds": typed})
    assert not form.is_valid()
    assert form.errors["pounds"] == ["Enter an amount in pounds, for example 25000 or -25000"]
