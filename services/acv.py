"""Assets of Community Value: the rules of the Community Right to Bid (Localism Act 2011,
Part 5 Chapter 3, and the Assets of Community Value (England) Regulations 2012).

Every period begins with its first day (the date of listing, or the date the council
receives the owner's notice) and its last day is inclusive, as in ``services.periods``.

- A listing lasts 5 years beginning with the date the asset is listed.
- The council decides a nomination within 8 weeks of receiving it.
- From the owner's notice of an intended sale: an interim moratorium of 6 weeks, in which
  a community interest group may say in writing that it intends to bid; if one does, a
  full moratorium of 6 months, during which the owner may sell only to a community
  interest group; and a protected period of 18 months, during which a second notice
  starts no new moratorium.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from mapping.models import LegalForm
from services.periods import last_day_of_months, last_day_of_weeks

LISTING_MONTHS = 5 * 12
DECISION_WEEKS = 8
INTERIM_WEEKS = 6
FULL_MORATORIUM_MONTHS = 6
PROTECTED_MONTHS = 18


def listing_last_day(listed_on):
    """The last day an asset listed on ``listed_on`` stays on the list."""
    return last_day_of_months(listed_on, LISTING_MONTHS)


def nomination_decision_due(received_on):
    """The last day for the council's decision on a nomination received that day."""
    return last_day_of_weeks(received_on, DECISION_WEEKS)


@dataclass(frozen=True)
class Moratorium:
    """The dates that follow an owner's notice of an intended sale."""

    notified_on: datetime.date
    interim_last_day: datetime.date
    full_last_day: datetime.date
    protected_last_day: datetime.date

    def accepts_intentions_on(self, day):
        """Whether a group may say it intends to bid on ``day``: from the day of the
        notice to the last day of the interim moratorium, both included."""
        return self.notified_on <= day <= self.interim_last_day

    def protects_on(self, day):
        return self.notified_on <= day <= self.protected_last_day


def moratorium(notified_on):
    return Moratorium(
        notified_on=notified_on,
        interim_last_day=last_day_of_weeks(notified_on, INTERIM_WEEKS),
        full_last_day=last_day_of_months(notified_on, FULL_MORATORIUM_MONTHS),
        protected_last_day=last_day_of_months(notified_on, PROTECTED_MONTHS),
    )


# Who may bid ----------------------------------------------------------------------------------

# Bodies that are community interest groups by their legal form alone: charities, parish
# councils, community interest companies and community benefit societies.
ELIGIBLE_BY_FORM = {
    LegalForm.CIO,
    LegalForm.CHARITABLE_COMPANY,
    LegalForm.CIC,
    LegalForm.COMMUNITY_BENEFIT_SOCIETY,
    LegalForm.PARISH_COUNCIL,
}
# Every other form qualifies only if the group does not share out any surplus among its
# members and, for an unincorporated group, has at least 21 individual members. The
# app cannot see either, so the group declares them when it says it intends to bid.
DECLARATION = _(
    "The group does not share out any surplus it makes among its members. If it is not a "
    "company, charity or registered society, it has at least 21 individual members."
)


class Eligibility:
    ELIGIBLE = "eligible"
    NEEDS_DECLARATION = "needs_declaration"
    NOT_VERIFIED = "not_verified"


def bidding_eligibility(organisation):
    """Whether the organisation may say it intends to bid for a listed asset.

    Every group registered with the council is taken to have a local connection; the
    council has checked it when verifying the group.
    """
    if not organisation.is_verified:
        return Eligibility.NOT_VERIFIED
    if organisation.legal_form in ELIGIBLE_BY_FORM:
        return Eligibility.ELIGIBLE
    return Eligibility.NEEDS_DECLARATION
