from decimal import Decimal, InvalidOperation

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

register = template.Library()

# Colours of GOV.UK tags by status value. The text always says the status too.
TAG_COLOURS = {
    # organisations
    "pending": "yellow",
    "verified": "green",
    "rejected": "red",
    # services
    "not_under_review": "grey",
    "under_review": "yellow",
    "open_to_eoi": "blue",
    "handed_over": "green",
    "low": "green",
    "medium": "yellow",
    "high": "red",
    # gap classes
    "no_capacity": "red",
    "fragile": "orange",
    "partial": "yellow",
    "covered": "green",
    # expressions of interest
    "draft": "grey",
    "submitted": "blue",
    "accepted": "green",
    "withdrawn": "grey",
    # consultations
    "open": "green",
    "closed": "grey",
    "scheduled": "blue",
    # ratings
    "red": "red",
    "amber": "orange",
    "green": "green",
    # partners and nominations
    "invited": "blue",
    "declined": "grey",
    "listed": "green",
    "not_listed": "grey",
    "removed": "grey",
    "overdue": "red",
    # imports
    "queued": "grey",
    "running": "blue",
    "succeeded": "green",
    "checked": "turquoise",
    "failed": "red",
    # monitoring returns (issue 7)
    "upcoming": "grey",
    "due": "blue",
    "waiting_review": "purple",
}


@register.simple_tag
def status_tag(value, label=None):
    """A GOV.UK tag for a status value, coloured and labelled."""
    colour = TAG_COLOURS.get(str(value), "grey")
    # Blue is govuk-frontend's default tag colour: it has no modifier class.
    css = "govuk-tag" if colour == "blue" else f"govuk-tag govuk-tag--{colour}"
    return format_html('<strong class="{}">{}</strong>', css, label or value)


@register.filter
def money(value, decimals=0):
    """£12,500 (or -£2,000 for a cut). Empty for no value."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return value
    amount = round(amount, int(decimals))
    sign = "-" if amount < 0 else ""
    return f"{sign}£{intcomma(abs(amount))}"


@register.filter
def count(value):
    """A count with thousands separators: 12,500."""
    if value is None:
        return ""
    return intcomma(value)


@register.filter
def longdate(value):
    """21 November 2026."""
    if not value:
        return ""
    return date_format(value, "j F Y")


@register.filter
def longdatetime(value):
    """21 November 2026 at 3:04pm."""
    if not value:
        return ""
    from django.utils import timezone

    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return _("%(date)s at %(time)s") % {
        "date": date_format(value, "j F Y"),
        # "3:04pm", "9am": GOV.UK style rather than Django's "a.m.", marked so a
        # translation gives its own ("yb", "yh" in Welsh).
        "time": date_format(value, "g:i").removesuffix(":00")
        + (pgettext("before noon", "am") if value.hour < 12 else pgettext("after noon", "pm")),
    }


@register.inclusion_tag("includes/sort_header.html", takes_context=True)
def sort_header(context, sorter, key, label, numeric=False):
    """A sortable <th>: links to sort by the column, and says how it is sorted."""
    return {
        "request": context["request"],
        "key": sorter.link(key),
        "aria_sort": sorter.aria_sort(key),
        "label": label,
        "numeric": numeric,
    }
