"""The cells of the gap matrix, written in Python.

A page of the matrix at county scale is 25 services by 100 wards: 2,500 cells. Written
by the template language, one tag at a time, they took a tenth of a second of processor
time per page view; written here they take a few milliseconds. The markup is the same
as the template's was: every value is escaped, and every word is translated.
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from mapping.gaps import GapClass

register = template.Library()


@register.simple_tag
def matrix_cells(service_url, cells):
    """The <td>s of one service's row: ``cells`` is [(ward, gap class or None, deprived)]
    as ``GapAnalysis.class_rows`` gives them."""
    words = {
        c: (escape(str(GapClass.ABBREVIATIONS[c])), escape(str(GapClass.LABELS[c]).lower()))
        for c in GapClass.ORDER
    }
    left_behind = escape(gettext("deprived ward left behind"))
    not_here = (
        '<td class="govuk-table__cell app-gap app-gap--none">–<span class="govuk-visually-hidden">'
        f" {escape(gettext('not delivered here'))}</span></td>"
    )
    link = escape(service_url, quote=True)
    html = []
    for ward, gap_class, deprived in cells:
        if gap_class is None:
            html.append(not_here)
            continue
        abbreviation, label = words[gap_class]
        star, because = ("*", f", {left_behind}") if deprived else ("", "")
        html.append(
            f'<td class="govuk-table__cell app-gap app-gap--{gap_class}">'
            f'<a class="app-gap__link" href="{link}#ward-{escape(ward.code, quote=True)}">'
            f"{abbreviation}{star}"
            f'<span class="govuk-visually-hidden">, {label}{because}</span></a></td>'
        )
    return mark_safe("".join(html))  # every value and word is escaped above
