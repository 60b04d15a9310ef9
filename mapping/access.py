"""Access helpers: every view looks an object up through one of these.

404 for what the person may not see, 403 for what they may see but not change.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from mapping.models import (
    CapacityOffer,
    Consultation,
    ImportRun,
    Invitation,
    Membership,
    Organisation,
    Ward,
)


def get_organisation_for_user(request, pk, *, write=False, manage=False, queryset=None):
    """The organisation and the person's membership of it (None for an officer).

    Members see their own organisations; officers see every organisation but change
    none through the group pages. ``write``: members (owner or editor) may change it.
    ``manage``: only owners may manage its members.
    """
    user = request.user
    if not user.is_authenticated:
        raise Http404
    queryset = queryset if queryset is not None else Organisation.objects.all()
    membership = (
        Membership.objects.select_related("organisation")
        # organisation__pk, not organisation_id: Django turns an id too big for the
        # database into "no match" for a primary key, but not for a foreign key column.
        .filter(user=user, organisation__pk=pk)
        .first()
    )
    if membership is None:
        if not user.is_officer:
            raise Http404
        organisation = get_object_or_404(queryset, pk=pk)
        if write or manage:
            raise PermissionDenied
        return organisation, None
    organisation = get_object_or_404(queryset, pk=pk)
    if manage and not membership.is_owner:
        raise PermissionDenied
    return organisation, membership


def get_ward_for_user(request, code, *, queryset=None):
    """A ward by its ONS code (any case, spaces ignored). Wards are public reference data:
    anyone may see one; a code that is not a ward gives 404."""
    queryset = queryset if queryset is not None else Ward.objects.all()
    return get_object_or_404(queryset, code=str(code).strip().upper())


def get_public_organisation(request, pk, *, queryset=None):
    """A group on the public directory: verified groups only, 404 for any other."""
    queryset = queryset if queryset is not None else Organisation.objects.all()
    return get_object_or_404(queryset.verified(), pk=pk)


def get_consultation_for_officer(request, pk, *, queryset=None):
    """Any consultation, drafts included, for a council officer; 403 for anyone else."""
    user = request.user
    if not user.is_authenticated:
        raise Http404
    if not user.is_officer:
        raise PermissionDenied
    queryset = queryset if queryset is not None else Consultation.objects.all()
    return get_object_or_404(queryset, pk=pk)


def get_public_consultation(request, slug, *, queryset=None):
    """A consultation by its web address on the public pages: drafts are 404 for everyone,
    officers included, so a draft is never shown or answered by mistake."""
    queryset = queryset if queryset is not None else Consultation.objects.all()
    return get_object_or_404(queryset.published(), slug=slug)


def get_import_run_for_officer(request, pk, *, queryset=None):
    """An import run: officers (and admins) see every one; 403 for anyone else."""
    user = request.user
    if not user.is_authenticated:
        raise Http404
    if not user.is_officer:
        raise PermissionDenied
    queryset = queryset if queryset is not None else ImportRun.objects.all()
    return get_object_or_404(queryset, pk=pk)


# Community groups (issue 4) ------------------------------------------------------------


def get_offer_for_user(request, organisation_pk, pk, *, write=False, queryset=None):
    """A capacity offer of the organisation, and the person's membership of it.

    The same rules as the organisation's (``get_organisation_for_user``): members see and
    change their own group's offers, officers see them; any other offer, or one of
    another group reached through this group's address, is 404.
    """
    organisation, membership = get_organisation_for_user(request, organisation_pk, write=write)
    queryset = queryset if queryset is not None else CapacityOffer.objects.all()
    offer = get_object_or_404(queryset, pk=pk, organisation=organisation)
    return offer, membership


def get_member_for_user(request, organisation_pk, pk, *, queryset=None):
    """A membership of the organisation, to change or remove, and the person's own.

    Only owners manage members (403 for editors); a membership of another group is 404.
    """
    organisation, membership = get_organisation_for_user(request, organisation_pk, manage=True)
    queryset = queryset if queryset is not None else Membership.objects.all()
    member = get_object_or_404(
        queryset.select_related("user", "organisation"), pk=pk, organisation=organisation
    )
    return member, membership


def get_invitation_for_user(request, organisation_pk, pk):
    """An open invitation of the organisation, for an owner to cancel (403 for editors)."""
    organisation, _membership = get_organisation_for_user(request, organisation_pk, manage=True)
    return get_object_or_404(
        Invitation.objects.open().select_related("organisation"),
        pk=pk,
        organisation=organisation,
    )


def get_invitation_for_token(request, token):
    """The invitation a link in an email stands for. The token is signed, so nobody can
    guess another; a token that was altered, or names no invitation, is 404. Expired and
    accepted invitations come back: the page says what happened."""
    from mapping.invitations import invitation_id_for_token

    pk = invitation_id_for_token(token)
    if pk is None:
        raise Http404
    return get_object_or_404(
        Invitation.objects.select_related("organisation", "invited_by"), pk=pk
    )


def get_organisation_for_officer(request, pk, *, queryset=None):
    """Any organisation, for a council officer to review; 403 for anyone else signed in."""
    user = request.user
    if not user.is_authenticated:
        raise Http404
    if not user.is_officer:
        raise PermissionDenied
    queryset = queryset if queryset is not None else Organisation.objects.all()
    return get_object_or_404(queryset, pk=pk)
