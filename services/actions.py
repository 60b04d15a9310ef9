"""Writes that need more than one statement: the service catalogue (issue 5) and the
handover pipeline (issue 7)."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history

from bigsociety.history import create_in_bulk
from bigsociety.templatetags.bigsociety import longdate
from mapping.models import Organisation
from services.acv import Eligibility, bidding_eligibility
from services.models import (
    EOI_REASON_REQUIRED,
    EOI_TRANSITIONS,
    Actor,
    AcvNomination,
    Asset,
    EoiPartner,
    EoiStatus,
    EoiTransition,
    ExpressionOfInterest,
    HandoverAgreement,
    Indicator,
    IndicatorValue,
    IntentionToBid,
    MonitoringReturn,
    NominationStatus,
    PartnerStatus,
    Rating,
    ReviewStatus,
    SaleNotice,
    Service,
)
from services.notifications import notify_groups, site_link
from services.periods import add_months, return_periods


class ServiceChanged(Exception):
    """Someone else saved the service after this edit started; nothing was written."""

    def __init__(self, current):
        super().__init__(f"Service {current.pk} is now at version {current.version}")
        self.current = current


@transaction.atomic
def service_update(*, form, expected_version):
    """Save a valid ServiceForm if the service is still at ``expected_version``.

    The conditional UPDATE claims the next version and locks the row until the
    transaction ends, so of two officers saving at once exactly one wins; the other
    gets ServiceChanged with the service as it now is, and nothing of theirs is written.
    """
    pk = form.instance.pk
    claimed = Service.objects.filter(pk=pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise ServiceChanged(Service.objects.get(pk=pk))
    service = form.save(commit=False)
    service.version = expected_version + 1
    service.save()  # the whole row, and one history record
    form.save_m2m()
    return service


# Handover: expressions of interest, agreements, monitoring returns and Assets of Community
# Value (issue 7). Each action locks the row it changes, checks the rules again under the
# lock, writes, and emails the groups concerned once the transaction commits.


class HandoverRefused(Exception):
    """The rules do not allow this change now; nothing was written. ``message`` says why,
    in words for the person who tried."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class EoiChanged(Exception):
    """Someone else saved the draft after this edit started; nothing was written."""

    def __init__(self, current):
        super().__init__(f"Expression of interest {current.pk} is at version {current.version}")
        self.current = current


def _lock_eoi(eoi):
    # Only its own row: PostgreSQL cannot lock the nullable side of the outer joins.
    return (
        ExpressionOfInterest.objects.select_for_update(of=("self",))
        .select_related("lead_organisation", "service", "asset")
        .get(pk=eoi.pk)
    )


def _eoi_groups(eoi):
    """The lead group and the partners that have accepted: who hears of each change."""
    partners = Organisation.objects.filter(
        partnerships__expression_of_interest=eoi, partnerships__status=PartnerStatus.ACCEPTED
    )
    return [eoi.lead_organisation, *partners]


@transaction.atomic
def eoi_create(*, organisation: Organisation, form, by) -> ExpressionOfInterest:
    """Save a valid EoiForm as a draft led by ``organisation``."""
    eoi = form.save(commit=False)
    eoi.lead_organisation = organisation
    eoi.created_by = by
    eoi.save()
    form.save_m2m()
    return eoi


@transaction.atomic
def eoi_update(*, form, expected_version: int) -> ExpressionOfInterest:
    """Save a valid EoiForm if the draft is still a draft at ``expected_version``."""
    pk = form.instance.pk
    claimed = ExpressionOfInterest.objects.filter(
        pk=pk, version=expected_version, status=EoiStatus.DRAFT
    ).update(version=F("version") + 1)
    if not claimed:
        current = ExpressionOfInterest.objects.get(pk=pk)
        if current.status != EoiStatus.DRAFT:
            raise HandoverRefused(
                _("It has been submitted, so it can no longer be changed. Nothing was saved.")
            )
        raise EoiChanged(current)
    eoi = form.save(commit=False)
    eoi.version = expected_version + 1
    eoi.save()
    form.save_m2m()
    return eoi


def eoi_submission_problems(eoi) -> list[str]:
    """What stops the lead group submitting the draft, in words; empty when it may."""
    problems = []
    if not eoi.lead_organisation.is_verified:
        problems.append(
            _(
                "The council has not verified your group yet. You can keep working on the "
                "draft, and submit it once your group is verified."
            )
        )
    if not eoi.proposal.strip():
        problems.append(_("Say what you propose."))
    if not eoi.capacity_evidence.strip() and not eoi.offers.exists():
        problems.append(
            _(
                "Tell the council about the capacity you bring: choose one of your group's "
                "offers or describe it."
            )
        )
    for partner in eoi.partners.filter(status=PartnerStatus.INVITED).select_related(
        "organisation"
    ):
        problems.append(
            _(
                "%(group)s has not answered your invitation to be a partner. Wait for an "
                "answer, or cancel the invitation."
            )
            % {"group": partner.organisation}
        )
    return problems


@transaction.atomic
def eoi_transition(
    *,
    eoi: ExpressionOfInterest,
    to_status: str,
    actor: str,
    by,
    reason: str = "",
) -> ExpressionOfInterest:
    """Move an expression of interest to ``to_status``, if the table of allowed moves
    (``EOI_TRANSITIONS``) lets ``actor`` ("group" or "officer") do so from where it is now.

    The row is locked first, so two people acting at once cannot both move it: the
    second finds it already moved and is refused. Records who, when and why in
    ``EoiTransition``, and emails the lead group and its accepted partners.
    """
    locked = _lock_eoi(eoi)
    start = locked.status
    allowed = EOI_TRANSITIONS.get((start, to_status))
    if allowed is None:
        raise HandoverRefused(
            _("It is %(now)s, so it cannot be moved to %(to)s. Nothing was changed.")
            % {
                "now": EoiStatus(start).label.lower(),
                "to": EoiStatus(to_status).label.lower(),
            }
        )
    if allowed != actor:
        raise HandoverRefused(
            _("Only %(who)s can move it to %(to)s.")
            % {"who": Actor(allowed).label.lower(), "to": EoiStatus(to_status).label.lower()}
        )
    reason = reason.strip()
    if to_status in EOI_REASON_REQUIRED and not reason:
        raise HandoverRefused(_("Give the reasons for the decision: the group is sent them."))
    if to_status == EoiStatus.SUBMITTED:
        problems = eoi_submission_problems(locked)
        if problems:
            raise HandoverRefused(" ".join(str(p) for p in problems))

    now = timezone.now()
    locked.status = to_status
    if to_status == EoiStatus.SUBMITTED:
        locked.submitted_at = now
        # The last day of the council's response period, the day of submission being
        # day 0: submitted on 1 March with 60 days, a decision is due by 30 April.
        locked.decision_due_on = timezone.localdate(now) + datetime.timedelta(
            days=settings.EOI_RESPONSE_DAYS
        )
    if to_status in EOI_REASON_REQUIRED:
        locked.decided_at = now
        locked.decided_by = by
        locked.decision_reason = reason
    locked.version += 1
    locked.save()
    transition = EoiTransition.objects.create(
        expression_of_interest=locked, from_status=start, to_status=to_status, by=by, reason=reason
    )
    notify_groups(
        _eoi_groups(locked),
        "eoi_status",
        {
            "eoi": locked,
            "transition": transition,
            "link": site_link("services:eoi_detail", locked.pk),
        },
    )
    return locked


def _lock_draft(eoi):
    locked = _lock_eoi(eoi)
    if not locked.is_draft:
        raise HandoverRefused(
            _("It has been submitted, so its partners can no longer change. Nothing was changed.")
        )
    return locked


@transaction.atomic
def eoi_partner_invite(*, eoi: ExpressionOfInterest, organisation: Organisation, by) -> EoiPartner:
    """Invite a group to be a partner in a draft. It is listed only once it accepts.
    Inviting a group that declined before asks it again."""
    locked = _lock_draft(eoi)
    if organisation.pk == locked.lead_organisation_id:
        raise HandoverRefused(_("Your own group leads this expression of interest."))
    partner = EoiPartner.objects.filter(
        expression_of_interest=locked, organisation=organisation
    ).first()
    if partner is not None and partner.status != PartnerStatus.DECLINED:
        raise HandoverRefused(_("%(group)s has already been invited.") % {"group": organisation})
    if partner is None:
        partner = EoiPartner(expression_of_interest=locked, organisation=organisation)
    partner.status = PartnerStatus.INVITED
    partner.responded_at = None
    partner.responded_by = None
    partner.save()
    notify_groups(
        [organisation],
        "partner_invited",
        {
            "eoi": locked,
            "link": site_link("services:partner_respond", locked.pk, partner.pk),
        },
    )
    return partner


@transaction.atomic
def eoi_partner_remove(*, partner: EoiPartner, by) -> None:
    """The lead group takes a partner off a draft (an invitation, or a partner that had
    accepted). The partner group is told."""
    locked = _lock_draft(partner.expression_of_interest)
    organisation = partner.organisation
    EoiPartner.objects.filter(pk=partner.pk).delete()
    notify_groups([organisation], "partner_removed", {"eoi": locked})


@transaction.atomic
def eoi_partner_respond(*, partner: EoiPartner, accept: bool, by) -> EoiPartner:
    """A partner group accepts or declines, while the lead group is still drafting. It may
    change its answer until the draft is submitted. The lead group is told."""
    locked = _lock_draft(partner.expression_of_interest)
    partner = EoiPartner.objects.select_for_update().get(pk=partner.pk)
    partner.status = PartnerStatus.ACCEPTED if accept else PartnerStatus.DECLINED
    partner.responded_at = timezone.now()
    partner.responded_by = by
    partner.save()
    notify_groups(
        [locked.lead_organisation],
        "partner_answered",
        {"eoi": locked, "partner": partner, "link": site_link("services:eoi_detail", locked.pk)},
    )
    return partner


# Agreements and monitoring returns -------------------------------------------------------------


def returns_schedule(*, agreement: HandoverAgreement, until: datetime.date | None = None) -> int:
    """Create the agreement's monitoring returns that do not exist yet: every period of
    its term, or for an agreement with no end date, every period beginning by ``until``
    (by default ``RETURNS_SCHEDULED_AHEAD_MONTHS`` from today or the start, whichever is
    later). Returns how many were created. Safe to run again."""
    if until is None:
        until = agreement.ends_on or add_months(
            max(timezone.localdate(), agreement.starts_on),
            settings.RETURNS_SCHEDULED_AHEAD_MONTHS,
        )
    existing = set(agreement.returns.values_list("period_start", flat=True))
    new = [
        MonitoringReturn(agreement=agreement, period_start=start, period_end=end, due_on=due)
        for start, end, due in return_periods(
            starts_on=agreement.starts_on,
            ends_on=agreement.ends_on,
            months=agreement.months_per_return,
            until=until,
            due_days=settings.RETURN_DUE_DAYS,
        )
        if start not in existing
    ]
    if new:
        bulk_create_with_history(new, MonitoringReturn)
    return len(new)


@transaction.atomic
def agreement_create(*, eoi: ExpressionOfInterest, form, by) -> HandoverAgreement:
    """Make the handover agreement from an accepted expression of interest, with its
    indicators and schedule of returns.

    For a service, the service becomes "handed over" and takes the agreement's delivery
    model. The service row is locked and its version moves on, so an officer editing the
    service at the same moment is shown a conflict instead of silently undoing this.
    """
    locked = _lock_eoi(eoi)
    if locked.status != EoiStatus.ACCEPTED:
        raise HandoverRefused(
            _("Only an accepted expression of interest can become an agreement. It is %(now)s.")
            % {"now": EoiStatus(locked.status).label.lower()}
        )
    if HandoverAgreement.objects.filter(expression_of_interest=locked).exists():
        raise HandoverRefused(_("This expression of interest already has an agreement."))
    agreement = form.save(commit=False)
    agreement.expression_of_interest = locked
    agreement.organisation = locked.lead_organisation
    agreement.service = locked.service
    agreement.asset = locked.asset
    agreement.created_by = by
    agreement.save()
    form.save_m2m()
    create_in_bulk(
        Indicator,
        [
            Indicator(agreement=agreement, name=name, unit=unit, target=target)
            for name, unit, target in form.indicators()
        ],
        user=by,
        reason=gettext_noop("Handover agreement made"),
    )
    returns_schedule(agreement=agreement)
    if locked.service_id:
        service = Service.objects.select_for_update().get(pk=locked.service_id)
        service.delivery_model = agreement.delivery_model
        service.review_status = ReviewStatus.HANDED_OVER
        service.version += 1
        service.save()
    notify_groups(
        _eoi_groups(locked),
        "agreement_made",
        {"agreement": agreement, "link": site_link("services:agreement_detail", agreement.pk)},
    )
    return agreement


@transaction.atomic
def return_submit(
    *,
    monitoring_return: MonitoringReturn,
    values: dict,
    volunteer_hours: int,
    complaints: int,
    narrative: str,
    by,
) -> MonitoringReturn:
    """The group sends in (or corrects) a monitoring return: a value for each indicator,
    the volunteer hours, complaints and how it went. It can be corrected until an officer
    reviews it; the first sending time is kept, so a late return stays late."""
    locked = MonitoringReturn.objects.select_for_update().get(pk=monitoring_return.pk)
    if locked.rating:
        raise HandoverRefused(
            _("The council has reviewed this return, so it can no longer be changed.")
        )
    if locked.period_end > timezone.localdate():
        raise HandoverRefused(
            _("This period has not ended yet. You can send the return from %(day)s.")
            % {"day": longdate(locked.period_end)}
        )
    indicators = set(locked.agreement.indicators.values_list("pk", flat=True))
    if set(values) != indicators:
        raise HandoverRefused(_("The indicators changed while you were filling in the return."))
    first_time = locked.submitted_at is None
    locked.volunteer_hours = volunteer_hours
    locked.complaints = complaints
    locked.narrative = narrative
    if first_time:
        locked.submitted_at = timezone.now()
    locked.submitted_by = by
    locked.save()
    saved = {v.indicator_id: v for v in locked.values.select_for_update()}
    for indicator_id, value in values.items():
        if indicator_id in saved:
            if saved[indicator_id].value != value:
                saved[indicator_id].value = value
                saved[indicator_id].save()
        else:
            IndicatorValue.objects.create(
                monitoring_return=locked, indicator_id=indicator_id, value=value
            )
    if first_time:
        notify_groups(
            [locked.agreement.organisation],
            "return_received",
            {
                "monitoring_return": locked,
                "link": site_link("services:return_detail", locked.pk),
            },
        )
    return locked


@transaction.atomic
def return_rate(
    *, monitoring_return: MonitoringReturn, rating: str, comment: str, by
) -> MonitoringReturn:
    """An officer rates a sent-in return red, amber or green, with a comment the group is
    sent. A rating can be changed later; the history keeps every one."""
    locked = MonitoringReturn.objects.select_for_update().get(pk=monitoring_return.pk)
    if locked.submitted_at is None:
        raise HandoverRefused(_("The group has not sent in this return yet."))
    comment = comment.strip()
    if rating not in Rating.values or not comment:
        raise HandoverRefused(_("Choose a rating and say why."))
    locked.rating = rating
    locked.rating_comment = comment
    locked.reviewed_by = by
    locked.reviewed_at = timezone.now()
    locked.save()
    notify_groups(
        [locked.agreement.organisation],
        "return_rated",
        {"monitoring_return": locked, "link": site_link("services:return_detail", locked.pk)},
    )
    return locked


# Assets of Community Value ----------------------------------------------------------------------


def _listing_on(asset, day):
    return AcvNomination.objects.filter(asset=asset).listed_on_day(day).first()


@transaction.atomic
def nomination_create(
    *,
    organisation: Organisation,
    asset: Asset | None,
    new_asset: dict | None,
    reason: str,
    by,
) -> AcvNomination:
    """A group nominates an asset already known to the council, or a new one it
    describes, to be listed as an Asset of Community Value."""
    if bidding_eligibility(organisation) == Eligibility.NOT_VERIFIED:
        raise HandoverRefused(_("Only a group the council has verified can nominate an asset."))
    if asset is None:
        asset = Asset.objects.create(**new_asset)
    else:
        asset = Asset.objects.select_for_update().get(pk=asset.pk)
        if AcvNomination.objects.filter(asset=asset).waiting().exists():
            raise HandoverRefused(
                _("%(asset)s has already been nominated and is waiting for a decision.")
                % {"asset": asset}
            )
        if _listing_on(asset, timezone.localdate()):
            raise HandoverRefused(
                _("%(asset)s is already listed as an Asset of Community Value.") % {"asset": asset}
            )
    nomination = AcvNomination.objects.create(
        asset=asset, organisation=organisation, reason=reason, submitted_by=by
    )
    notify_groups(
        [organisation],
        "nomination_received",
        {"nomination": nomination, "link": site_link("services:nomination_detail", nomination.pk)},
    )
    return nomination


@transaction.atomic
def nomination_decide(
    *,
    nomination: AcvNomination,
    listed: bool,
    listed_on: datetime.date | None,
    reason: str,
    by,
) -> AcvNomination:
    """An officer lists the asset (from ``listed_on``, for 5 years) or decides not to,
    with reasons the nominating group is sent."""
    locked = (
        AcvNomination.objects.select_for_update().select_related("asset").get(pk=nomination.pk)
    )
    if not locked.is_waiting:
        raise HandoverRefused(_("This nomination has already been decided."))
    locked.status = NominationStatus.LISTED if listed else NominationStatus.NOT_LISTED
    locked.listed_on = listed_on if listed else None
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.decision_reason = reason.strip()
    locked.save()
    notify_groups(
        [locked.organisation],
        "nomination_decided",
        {"nomination": locked, "link": site_link("services:nomination_detail", locked.pk)},
    )
    return locked


@transaction.atomic
def sale_notice_record(*, asset: Asset, notified_on: datetime.date, by) -> SaleNotice:
    """Record the owner's notice that they intend to sell a listed asset. The group that
    nominated it is told the dates."""
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    listing = _listing_on(asset, notified_on)
    if listing is None:
        raise HandoverRefused(
            _("%(asset)s was not listed as an Asset of Community Value on %(day)s.")
            % {"asset": asset, "day": longdate(notified_on)}
        )
    running = asset.sale_notices.protecting_on(notified_on).first()
    if running is not None:
        raise HandoverRefused(
            _(
                "A notice received on %(first)s protects the sale until %(last)s: the owner "
                "may sell without a new moratorium until then, so no new notice is needed."
            )
            % {
                "first": longdate(running.notified_on),
                "last": longdate(running.moratorium.protected_last_day),
            }
        )
    notice = SaleNotice.objects.create(asset=asset, notified_on=notified_on, recorded_by=by)
    notify_groups(
        [listing.organisation],
        "sale_notice",
        {"notice": notice, "moratorium": notice.moratorium},
    )
    return notice


@transaction.atomic
def intention_to_bid_record(
    *,
    notice: SaleNotice,
    organisation: Organisation,
    declared: bool,
    by,
    on: datetime.date | None = None,
) -> IntentionToBid:
    """A community interest group says in writing that it intends to bid. Accepted only
    from the day of the notice to the last day of the 6-week interim moratorium (``on``
    is today unless given)."""
    on = on or timezone.localdate()
    locked = (
        SaleNotice.objects.select_for_update(of=("self",))
        .select_related("asset")
        .get(pk=notice.pk)
    )
    window = locked.moratorium
    if not window.accepts_intentions_on(on):
        raise HandoverRefused(
            _(
                "Groups could say they intend to bid for %(asset)s from %(first)s to "
                "%(last)s. That time has passed, so the council cannot accept it."
            )
            % {
                "asset": locked.asset,
                "first": longdate(window.notified_on),
                "last": longdate(window.interim_last_day),
            }
            if on > window.interim_last_day
            else _("The owner's notice is dated %(first)s: you can say so from that day.")
            % {"first": longdate(window.notified_on)}
        )
    eligibility = bidding_eligibility(organisation)
    if eligibility == Eligibility.NOT_VERIFIED:
        raise HandoverRefused(
            _("Only a group the council has verified can say it intends to bid.")
        )
    if eligibility == Eligibility.NEEDS_DECLARATION and not declared:
        raise HandoverRefused(_("Confirm that your group can bid."))
    if locked.intentions.filter(organisation=organisation).exists():
        raise HandoverRefused(
            _("Your group has already said it intends to bid for %(asset)s.")
            % {"asset": locked.asset}
        )
    intention = IntentionToBid.objects.create(
        sale_notice=locked, organisation=organisation, recorded_by=by
    )
    notify_groups([organisation], "intention_recorded", {"notice": locked, "moratorium": window})
    return intention
