"""Access helpers for the service catalogue: every view looks a service up through one.

404 for what the person may not see, 403 for what they may see but not change.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from mapping.models import Membership
from services.models import (
    AcvNomination,
    Asset,
    EoiPartner,
    ExpressionOfInterest,
    HandoverAgreement,
    MonitoringReturn,
    PartnerStatus,
    SaleNotice,
    Service,
)


def get_service_for_user(request, pk, *, write=False, queryset=None):
    """A service. Officers see and change every service; anyone else sees only the
    published ones and changes none."""
    user = request.user
    queryset = queryset if queryset is not None else Service.objects.all()
    if user.is_authenticated and user.is_officer:
        return get_object_or_404(queryset, pk=pk)
    service = get_object_or_404(queryset.published(), pk=pk)
    if write:
        raise PermissionDenied
    return service


def get_public_service(request, pk, *, queryset=None):
    """A service on the public catalogue: published services only, 404 for any other."""
    queryset = queryset if queryset is not None else Service.objects.all()
    return get_object_or_404(queryset.published(), pk=pk)


# Handover (issue 7) ---------------------------------------------------------------------------


class Involvement:
    """How a person is involved in an expression of interest."""

    LEAD = "lead"  # a member of the lead group: may change it while it is a draft
    PARTNER = "partner"  # a member of a group invited or accepted as a partner: reads it
    OFFICER = "officer"  # a council officer: reads it and decides


def _organisation_ids(user):
    return set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))


def get_eoi_for_user(request, pk, *, write=False, queryset=None):
    """An expression of interest and the person's ``Involvement`` in it.

    Members of the lead group, of a group invited or accepted as a partner, and officers
    see it; anyone else gets 404 (a group that declined no longer sees it). ``write``:
    only members of the lead group (403 for partners and officers).
    """
    user = request.user
    if not user.is_authenticated:
        raise Http404
    queryset = queryset if queryset is not None else ExpressionOfInterest.objects.all()
    eoi = get_object_or_404(queryset, pk=pk)
    mine = _organisation_ids(user)
    if eoi.lead_organisation_id in mine:
        involvement = Involvement.LEAD
    elif user.is_officer:
        involvement = Involvement.OFFICER
    elif EoiPartner.objects.filter(
        expression_of_interest=eoi,
        organisation_id__in=mine,
        status__in=[PartnerStatus.INVITED, PartnerStatus.ACCEPTED],
    ).exists():
        involvement = Involvement.PARTNER
    else:
        raise Http404
    if write and involvement != Involvement.LEAD:
        raise PermissionDenied
    return eoi, involvement


def get_partner_for_user(request, eoi_pk, pk):
    """A partner invitation, for a member of the invited group to answer. Others who may
    see the expression of interest get 403; anyone else 404."""
    eoi, _involvement = get_eoi_for_user(request, eoi_pk)
    partner = get_object_or_404(
        EoiPartner.objects.select_related("organisation"), expression_of_interest=eoi, pk=pk
    )
    if partner.organisation_id not in _organisation_ids(request.user):
        raise PermissionDenied
    return eoi, partner


def get_agreement_for_user(request, pk, *, queryset=None):
    """A handover agreement, for officers and members of the group that delivers it."""
    user = request.user
    if not user.is_authenticated:
        raise Http404
    queryset = queryset if queryset is not None else HandoverAgreement.objects.all()
    agreement = get_object_or_404(queryset, pk=pk)
    if user.is_officer or agreement.organisation_id in _organisation_ids(user):
        return agreement
    raise Http404


def get_return_for_user(request, pk, *, write=False, queryset=None):
    """A monitoring return, for officers and members of the group that delivers it.
    ``write`` (sending it in): members of that group only, 403 for officers."""
    user = request.user
    if not user.is_authenticated:
        raise Http404
    queryset = queryset if queryset is not None else MonitoringReturn.objects.all()
    monitoring_return = get_object_or_404(queryset, pk=pk)
    member = monitoring_return.agreement.organisation_id in _organisation_ids(user)
    if not member and not user.is_officer:
        raise Http404
    if write and not member:
        raise PermissionDenied
    return monitoring_return


def get_nomination_for_user(request, pk, *, decide=False, queryset=None):
    """An Asset of Community Value nomination, for members of the nominating group and
    officers. ``decide``: officers only (403 for the group)."""
    user = request.user
    if not user.is_authenticated:
        raise Http404
    queryset = queryset if queryset is not None else AcvNomination.objects.all()
    nomination = get_object_or_404(queryset, pk=pk)
    if not user.is_officer and nomination.organisation_id not in _organisation_ids(user):
        raise Http404
    if decide and not user.is_officer:
        raise PermissionDenied
    return nomination


def get_asset_for_officer(request, pk, *, queryset=None):
    """Any asset, for a council officer recording its Community Right to Bid dates."""
    user = request.user
    if not user.is_authenticated:
        raise Http404
    if not user.is_officer:
        raise PermissionDenied
    queryset = queryset if queryset is not None else Asset.objects.all()
    return get_object_or_404(queryset, pk=pk)


def get_open_sale_notice(request, pk, *, queryset=None):
    """A notice of sale on the public register (every notice is public), for a group to
    say it intends to bid. Whether the window is still open is the action's to check."""
    queryset = queryset if queryset is not None else SaleNotice.objects.all()
    return get_object_or_404(queryset.select_related("asset"), pk=pk)


def get_public_agreement(request, pk, *, queryset=None):
    """A handover agreement on the public accountability pages: any that has started."""
    queryset = queryset if queryset is not None else HandoverAgreement.objects.all()
    return get_object_or_404(queryset, pk=pk, starts_on__lte=timezone.localdate())
