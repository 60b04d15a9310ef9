"""Charity and company numbers as people type them, checked and put in one form.

- Charity numbers: England and Wales (Charity Commission) 6 or 7 digits, with an
  optional "-N" for a linked charity (1123456-1); Scotland (OSCR) SC and 6 digits;
  Northern Ireland NIC and 6 digits. Stored upper case without spaces.
- Company numbers (Companies House): 8 characters, either 8 digits or 2 letters and
  6 digits (SC123456 for Scotland). People often leave out a leading zero or two, so
  6 or 7 digits are padded to 8.
"""

import re

from django.utils.translation import gettext_lazy as _

CHARITY_NUMBER = re.compile(r"\d{6,7}(-\d{1,2})?|SC\d{6}|NIC\d{6}")
COMPANY_NUMBER = re.compile(r"\d{8}|[A-Z]{2}\d{6}")


def _compact(text):
    return re.sub(r"\s", "", text or "").upper()


def normalise_charity_number(text):
    """ "sc 012345" -> "SC012345"; None when it is not a charity number's shape."""
    value = _compact(text).removeprefix("GB-CHC-")
    return value if CHARITY_NUMBER.fullmatch(value) else None


def normalise_company_number(text):
    """ "1234567" -> "01234567", "sc123456" -> "SC123456"; None when not a company number."""
    value = _compact(text).removeprefix("GB-COH-")
    if value.isdigit() and len(value) in (6, 7):
        value = value.zfill(8)
    return value if COMPANY_NUMBER.fullmatch(value) else None


def register_links(organisation):
    """[(register name, address)] where an officer can check the group's numbers."""
    links = []
    charity = organisation.charity_number
    if charity and charity[0].isdigit():
        # A linked charity ("1123456-1") is listed under its main number.
        main = charity.split("-")[0]
        links.append(
            (
                _("Charity Commission register"),
                "https://register-of-charities.charitycommission.gov.uk/charity-search/-/"
                f"charity-details/{main}",
            )
        )
    if organisation.company_number:
        links.append(
            (
                _("Companies House"),
                "https://find-and-update.company-information.service.gov.uk/company/"
                f"{organisation.company_number}",
            )
        )
    return links
