"""Charity and company numbers as people type them, checked and put in one form.

- Charity numbers: England and Wales (Charity Commission) 6 or 7 digits, with an
  optional "-N" for a linked charity (1123456-1); Scotland (OSCR) SC and 6 digits;
  Northern Ireland NIC and 6 digits. Stored upper case without spaces.
- Company numbers (Companies House): 8 characters, either 8 digits or 2 letters and
  6 digits (SC123456 for Scotland). People often leave out a leading zero or two, so
  6 or 7 digits are padded to 8.
- org-id identifiers (https://org-id.guide), which imports match on and the Open
  Referral UK export gives: each register has its own prefix. GB-CHC-1123456 (England and
  Wales), GB-SC-SC012345 (Scotland: the number keeps its SC), GB-NIC-100012 (Northern
  Ireland: the number without its NIC), GB-COH-01234567 (Companies House).
"""

import re

from django.utils.translation import gettext_lazy as _

CHARITY_NUMBER = re.compile(r"\d{6,7}(-\d{1,2})?|SC\d{6}|NIC\d{6}")
COMPANY_NUMBER = re.compile(r"\d{8}|[A-Z]{2}\d{6}")


def _compact(text):
    return re.sub(r"\s", "", text or "").upper()


# The org-id registers whose numbers an organisation here holds, and in which field.
ORG_ID_FIELDS = {
    "GB-CHC": "charity_number",
    "GB-SC": "charity_number",
    "GB-NIC": "charity_number",
    "GB-COH": "company_number",
}


def split_org_id(identifier):
    """ "GB-SC-SC012345" -> ("GB-SC", "SC012345"): the register and the identifier within
    it; (None, identifier) for a register not in ``ORG_ID_FIELDS``."""
    text = _compact(identifier)
    for scheme in ORG_ID_FIELDS:
        if text.startswith(f"{scheme}-"):
            return scheme, text.removeprefix(f"{scheme}-")
    return None, (identifier or "").strip()


def number_from_org_id(identifier):
    """ "GB-NIC-100012" -> ("charity_number", "NIC100012"): the field and the number as
    stored here; (None, identifier) for any other register."""
    scheme, value = split_org_id(identifier)
    if scheme == "GB-SC":
        value = "SC" + value.removeprefix("SC")
    elif scheme == "GB-NIC":
        value = "NIC" + value.removeprefix("NIC")
    return ORG_ID_FIELDS.get(scheme), value


def charity_org_id(number):
    """The org-id of a charity number as stored here: the register follows its prefix."""
    if number.startswith("SC"):
        return f"GB-SC-{number}"
    if number.startswith("NIC"):
        return f"GB-NIC-{number.removeprefix('NIC')}"
    return f"GB-CHC-{number}"


def normalise_charity_number(text):
    """ "sc 012345" -> "SC012345", "GB-NIC-100012" -> "NIC100012"; None when it is not a
    charity number's shape."""
    field, value = number_from_org_id(text)
    value = _compact(value) if field == "charity_number" else _compact(text)
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
