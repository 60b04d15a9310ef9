"""Community groups: registration, dashboard, profile, members, capacity offers (issue 4).

Every page is for the group's members (officers have their own pages, and are sent
there); every object is looked up through an access helper in ``mapping.access``.
Changing roles and removing members are sensitive actions: each has a view of its own,
and asks for the password again when it was given more than a few minutes ago.
"""

import copy

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from accounts.decorators import recent_authentication_required
from bigsociety.paging import Sorter, paginate
from bigsociety.ratelimit import rate_limited, too_many_requests
from mapping import actions
from mapping.access import (
    get_invitation_for_token,
    get_invitation_for_user,
    get_member_for_user,
    get_offer_for_user,
    get_organisation_for_user,
)
from mapping.emails import send_invitation
from mapping.filters import GroupOfferFilter, ServiceBrowseFilter
from mapping.gaps import readiness_rank
from mapping.group_forms import (
    CapacityOfferForm,
    InvitationForm,
    MemberRoleForm,
    OrganisationForm,
)
from mapping.models import (
    CapacityOffer,
    Invitation,
    Membership,
    MembershipRole,
    Organisation,
    Skill,
    SupportNeed,
    Ward,
)
from services.access import get_service_for_user
from services.models import Service, ServiceCategory

EMAIL_FAILED = gettext_lazy(
    "We could not send the email just now. The invitation is saved: cancel it and send a "
    "new one later, or tell the person yourself."
)


def _posted(request):
    return request.POST if request.method == "POST" else None


def _number_taken(form, field):
    number = form.cleaned_data.get(field) or form.data.get(field, "")
    form.add_error(
        field,
        _(
            "A group with this number (%(number)s) has just been registered. If you are part "
            "of it, ask one of its members to invite you, or contact the council"
        )
        % {"number": number},
    )


def _count_of(queryset):
    """How many rows of ``queryset`` belong to each organisation, as a subquery (joins
    of members, offers and invitations together would multiply each other's rows)."""
    return Coalesce(
        Subquery(
            queryset.filter(organisation_id=OuterRef("pk"))
            .order_by()
            .values("organisation_id")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def _wards_prefetch(lookup, to_attr=None):
    return Prefetch(lookup, queryset=Ward.objects.only("pk", "name"), to_attr=to_attr)


# Your groups and registering a group ---------------------------------------------------


@login_required
@require_safe
def my_groups(request):
    memberships = list(
        Membership.objects.filter(user=request.user)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    if len(memberships) == 1:
        return redirect("mapping:group_dashboard", pk=memberships[0].organisation_id)
    return render(request, "mapping/groups/my_groups.html", {"memberships": memberships})


@login_required
@require_http_methods(["GET", "POST"])
def group_register(request):
    if not request.user.email_confirmed_at:
        # Only a confirmed address can register a group: the council must be able to
        # reach whoever speaks for it.
        status = 403 if request.method == "POST" else 200
        return render(request, "mapping/groups/confirm_first.html", status=status)
    form = OrganisationForm(
        _posted(request),
        initial={"contact_name": request.user.full_name, "contact_email": request.user.email},
    )
    if request.method == "POST" and form.is_valid():
        try:
            organisation = actions.organisation_register(form=form, user=request.user)
        except actions.NumberTaken as taken:
            _number_taken(form, taken.field)
        else:
            messages.success(
                request,
                _(
                    "%(name)s is registered. The council will check its details; until then "
                    "you can add offers, but they do not count yet."
                )
                % {"name": organisation.name},
            )
            return redirect("mapping:group_dashboard", pk=organisation.pk)
    return render(request, "mapping/groups/register.html", {"form": form})


# The dashboard and the profile -----------------------------------------------------------

DASHBOARD_OFFERS = 10


def _offer_queryset():
    return CapacityOffer.objects.select_related("service__category").prefetch_related(
        _wards_prefetch("wards", to_attr="ward_list"),
        Prefetch("support_needed", queryset=SupportNeed.objects.all(), to_attr="needs"),
    )


@login_required
@require_safe
def group_dashboard(request, pk):
    organisation, membership = get_organisation_for_user(
        request,
        pk,
        queryset=Organisation.objects.select_related("verified_by")
        .annotate(
            member_count=_count_of(Membership.objects.all()),
            active_offer_count=_count_of(CapacityOffer.objects.active()),
            offer_count=_count_of(CapacityOffer.objects.all()),
            open_invitation_count=_count_of(Invitation.objects.open()),
        )
        .prefetch_related(_wards_prefetch("wards_served", to_attr="ward_list")),
    )
    if membership is None:
        # An officer: their own page about the group shows everything, read only.
        return redirect("mapping:organisation_detail", pk=organisation.pk)
    offers = list(
        _offer_queryset()
        .filter(organisation=organisation)
        .active()
        .order_by("service__name", "pk")[:DASHBOARD_OFFERS]
    )
    return render(
        request,
        "mapping/groups/dashboard.html",
        {"organisation": organisation, "membership": membership, "offers": offers},
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_profile_edit(request, pk):
    organisation, membership = get_organisation_for_user(
        request,
        pk,
        write=True,
        queryset=Organisation.objects.prefetch_related(_wards_prefetch("wards_served")),
    )
    differences = None
    if request.method == "POST":
        # The form works on a copy: the page keeps naming the group as it is saved.
        form = OrganisationForm(request.POST, instance=copy.copy(organisation))
        if form.is_valid():
            try:
                saved, back_for_review = actions.organisation_update(
                    form=form, expected_version=form.cleaned_data["version"]
                )
            except actions.OrganisationChanged as changed:
                current = changed.current
                differences = form.differences_from(current)
                # Keep what the member typed, now based on the saved version: saving again
                # after reading the differences is a deliberate choice.
                data = request.POST.copy()
                data["version"] = current.version
                form = OrganisationForm(data, instance=copy.copy(current))
                form.is_valid()
                form.add_error(
                    None,
                    _(
                        "Someone else saved changes to the group's details while you were "
                        "editing them. Nothing you entered has been saved yet. Check what is "
                        "saved now, then save again to replace it with your answers."
                    ),
                )
                organisation = current
            except actions.NumberTaken as taken:
                _number_taken(form, taken.field)
            else:
                if back_for_review:
                    messages.success(
                        request,
                        _(
                            "The group's details have been saved and sent to the council "
                            "to check again"
                        ),
                    )
                else:
                    messages.success(request, _("The group's details have been saved"))
                return redirect("mapping:group_dashboard", pk=saved.pk)
    else:
        form = OrganisationForm(instance=organisation)
    return render(
        request,
        "mapping/groups/profile_edit.html",
        {
            "organisation": organisation,
            "membership": membership,
            "form": form,
            "differences": differences,
        },
    )


# Members and invitations -----------------------------------------------------------------

MEMBER_SORTS = {
    "name": ["user__full_name", "user__email"],
    "role": ["-role", "user__full_name"],  # owners first
    "joined": "created_at",
}


@login_required
@require_safe
def group_members(request, pk):
    organisation, membership = get_organisation_for_user(request, pk)
    sorter = Sorter(request, MEMBER_SORTS, default="role")
    members = sorter.apply(
        Membership.objects.filter(organisation=organisation).select_related("user")
    )
    invitations = (
        Invitation.objects.open()
        .filter(organisation=organisation)
        .select_related("invited_by")
        .order_by("-created_at", "pk")
    )
    return render(
        request,
        "mapping/groups/members.html",
        {
            "organisation": organisation,
            "membership": membership,
            "sorter": sorter,
            "page_obj": paginate(request, members),
            "invitations": list(invitations),
        },
    )


def _too_many_invitations(request, email):
    by_sender = rate_limited(
        request,
        "invitations-sent",
        key=str(request.user.pk),
        limit=settings.INVITATIONS_PER_HOUR,
        window=3600,
    )
    to_address = rate_limited(
        request,
        "invitations-received",
        key=email,
        limit=settings.INVITATIONS_PER_ADDRESS_PER_DAY,
        window=86400,
    )
    return by_sender or to_address


@login_required
@require_http_methods(["GET", "POST"])
def member_invite(request, pk):
    organisation, membership = get_organisation_for_user(request, pk, manage=True)
    form = InvitationForm(_posted(request), organisation=organisation)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if _too_many_invitations(request, email):
            return too_many_requests(request, "invitations")
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            role=form.cleaned_data["role"],
            invited_by=request.user,
        )
        if send_invitation(invitation):
            messages.success(
                request, _("We have emailed an invitation to %(email)s") % {"email": email}
            )
        else:
            messages.warning(request, EMAIL_FAILED)
        return redirect("mapping:group_members", pk=organisation.pk)
    return render(
        request,
        "mapping/groups/member_invite.html",
        {"organisation": organisation, "membership": membership, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_cancel(request, pk, invitation_pk):
    invitation = get_invitation_for_user(request, pk, invitation_pk)
    organisation = invitation.organisation
    if request.method == "POST":
        invitation.delete()
        messages.success(
            request,
            _("The invitation to %(email)s has been cancelled") % {"email": invitation.email},
        )
        return redirect("mapping:group_members", pk=organisation.pk)
    return render(
        request,
        "mapping/groups/invitation_cancel.html",
        {"organisation": organisation, "invitation": invitation},
    )


LAST_OWNER = gettext_lazy(
    "%(name)s is the group's only owner. Make someone else an owner first: a group must "
    "always have an owner to manage its members."
)


# Changing a role and removing a member ask for the password again when it was given
# long ago (``recent_authentication_required``). The access check comes first, so that
# nobody is asked for a password only to be refused: the views check, then hand over to
# the decorated part that acts.


@login_required
@require_http_methods(["GET", "POST"])
def member_role(request, pk, member_pk):
    member, _membership = get_member_for_user(request, pk, member_pk)
    return _member_role(request, member)


@recent_authentication_required
def _member_role(request, member):
    organisation = member.organisation
    form = MemberRoleForm(_posted(request), initial={"role": member.role})
    if request.method == "POST" and form.is_valid():
        try:
            member = actions.member_role_change(member=member, role=form.cleaned_data["role"])
        except actions.LastOwner:
            form.add_error("role", LAST_OWNER % {"name": member.user.full_name})
        else:
            messages.success(
                request,
                _("%(name)s is now an %(role)s")
                % {"name": member.user.full_name, "role": member.get_role_display().lower()},
            )
            return redirect("mapping:group_members", pk=organisation.pk)
    return render(
        request,
        "mapping/groups/member_role.html",
        {"organisation": organisation, "member": member, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request, pk, member_pk):
    member, membership = get_member_for_user(request, pk, member_pk)
    if member.pk == membership.pk:
        return redirect("mapping:group_leave", pk=member.organisation_id)
    return _member_remove(request, member)


@recent_authentication_required
def _member_remove(request, member):
    organisation = member.organisation
    if request.method == "POST":
        try:
            actions.member_remove(member=member)
        except actions.LastOwner:
            messages.error(request, LAST_OWNER % {"name": member.user.full_name})
        else:
            messages.success(
                request,
                _("%(name)s no longer helps manage %(group)s")
                % {"name": member.user.full_name, "group": organisation.name},
            )
        return redirect("mapping:group_members", pk=organisation.pk)
    return render(
        request,
        "mapping/groups/member_remove.html",
        {"organisation": organisation, "member": member},
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_leave(request, pk):
    organisation, membership = get_organisation_for_user(
        request,
        pk,
        queryset=Organisation.objects.annotate(
            owner_count=Count("memberships", filter=Q(memberships__role=MembershipRole.OWNER))
        ),
    )
    if membership is None:  # an officer who is not a member has nothing to leave
        return redirect("mapping:organisation_detail", pk=organisation.pk)
    last_owner = membership.is_owner and organisation.owner_count <= 1
    if request.method == "POST" and not last_owner:
        try:
            actions.member_remove(member=membership)
        except actions.LastOwner:
            last_owner = True
        else:
            messages.success(
                request,
                _("You no longer help manage %(group)s") % {"group": organisation.name},
            )
            return redirect("mapping:my_groups")
    return render(
        request,
        "mapping/groups/leave.html",
        {"organisation": organisation, "membership": membership, "last_owner": last_owner},
        status=409 if request.method == "POST" and last_owner else 200,
    )


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """The page a link in an invitation email opens. Anyone holding the link sees whom it
    is from; only the invited address can accept it."""
    invitation = get_invitation_for_token(request, token)
    user = request.user
    context = {"invitation": invitation, "organisation": invitation.organisation}
    if not invitation.is_open:
        context["is_member"] = user.is_authenticated and (
            Membership.objects.filter(user=user, organisation=invitation.organisation).exists()
        )
        return render(request, "mapping/groups/invitation_closed.html", context, status=410)
    if not user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.path)
        context["sign_in_url"] = reverse("accounts:sign_in") + f"?next={request.path}"
        context["sign_up_url"] = reverse("accounts:sign_up") + f"?next={request.path}"
        return render(request, "mapping/groups/invitation.html", context)
    if user.email != invitation.email:
        return render(request, "mapping/groups/invitation_wrong_account.html", context, status=403)
    if request.method == "POST":
        try:
            actions.invitation_accept(invitation=invitation, user=user)
        except actions.InvitationNotOpen:
            return render(request, "mapping/groups/invitation_closed.html", context, status=410)
        messages.success(
            request,
            _("You now help manage %(group)s") % {"group": invitation.organisation.name},
        )
        return redirect("mapping:group_dashboard", pk=invitation.organisation_id)
    return render(request, "mapping/groups/invitation.html", context)


# Capacity offers ---------------------------------------------------------------------------

OFFER_SORTS = {
    "service": ["service__name"],
    "ready": ["rank", "service__name"],
    "hours": ["volunteer_hours_per_month", "service__name"],
    "changed": ["updated_at", "service__name"],
}


@login_required
@require_safe
def offer_list(request, pk):
    organisation, membership = get_organisation_for_user(request, pk)
    filterset = GroupOfferFilter(
        request.GET,
        queryset=_offer_queryset()
        .filter(organisation=organisation)
        .annotate(rank=readiness_rank()),
    )
    sorter = Sorter(request, OFFER_SORTS, default="service")
    return render(
        request,
        "mapping/groups/offer_list.html",
        {
            "organisation": organisation,
            "membership": membership,
            "filter": filterset,
            "form": filterset.form,
            "sorter": sorter,
            "page_obj": paginate(request, sorter.apply(filterset.qs)),
        },
    )


@login_required
@require_safe
def offer_choose_service(request, pk):
    """Step 1 of adding an offer: find the service, by kind of service or by name."""
    organisation, membership = get_organisation_for_user(request, pk, write=True)
    existing = CapacityOffer.objects.filter(organisation=organisation, service=OuterRef("pk"))
    filterset = ServiceBrowseFilter(
        request.GET,
        queryset=Service.objects.published()
        .select_related("category")
        .annotate(offer_id=Subquery(existing.values("pk")[:1]))
        .order_by("name", "pk"),
    )
    browsing = (
        filterset.is_bound
        and filterset.is_valid()
        and any(filterset.form.cleaned_data.get(name) for name in ("category", "q"))
    )
    context = {
        "organisation": organisation,
        "membership": membership,
        "filter": filterset,
        "form": filterset.form,
        "browsing": browsing,
    }
    if browsing:
        context["category"] = filterset.form.cleaned_data.get("category")
        context["page_obj"] = paginate(request, filterset.qs)
    else:
        context["categories"] = list(
            ServiceCategory.objects.annotate(
                service_count=Count("services", filter=Q(services__published=True)),
                offered=Exists(
                    CapacityOffer.objects.filter(
                        organisation=organisation,
                        service__category=OuterRef("pk"),
                        withdrawn_at__isnull=True,
                    )
                ),
            )
            .filter(service_count__gt=0)
            .order_by("name")
        )
    return render(request, "mapping/groups/offer_choose_service.html", context)


def _service_for_offer(request, pk):
    return get_service_for_user(
        request,
        pk,
        queryset=Service.objects.select_related("category").prefetch_related(
            _wards_prefetch("wards", to_attr="ward_list")
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer_create(request, pk, service_pk):
    """Step 2 of adding an offer: what the group could do for the service, and where."""
    organisation, _membership = get_organisation_for_user(request, pk, write=True)
    service = _service_for_offer(request, service_pk)
    existing = CapacityOffer.objects.filter(organisation=organisation, service=service).first()
    if existing is not None:
        # One offer per service: change the one there is (a withdrawn one can be renewed).
        return redirect("mapping:offer_edit", pk=organisation.pk, offer_pk=existing.pk)
    form = CapacityOfferForm(_posted(request), service=service)
    if request.method == "POST" and form.is_valid():
        try:
            actions.capacity_offer_create(form=form, organisation=organisation, service=service)
        except actions.OfferExists as exists:
            messages.info(
                request,
                _("Someone in your group has just added an offer for this service: here it is."),
            )
            return redirect("mapping:offer_edit", pk=organisation.pk, offer_pk=exists.offer.pk)
        messages.success(
            request, _("Your offer for %(service)s has been added") % {"service": service.name}
        )
        return redirect("mapping:group_dashboard", pk=organisation.pk)
    return render(
        request,
        "mapping/groups/offer_form.html",
        {"organisation": organisation, "service": service, "form": form, "offer": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer_edit(request, pk, offer_pk):
    offer, _membership = get_offer_for_user(
        request,
        pk,
        offer_pk,
        write=True,
        queryset=CapacityOffer.objects.select_related(
            "organisation", "service__category"
        ).prefetch_related(
            _wards_prefetch("service__wards", to_attr="ward_list"),
            _wards_prefetch("wards"),
            Prefetch("skills", queryset=Skill.objects.all()),
            Prefetch("support_needed", queryset=SupportNeed.objects.all()),
        ),
    )
    organisation, service = offer.organisation, offer.service
    differences = None
    if request.method == "POST":
        form = CapacityOfferForm(request.POST, instance=copy.copy(offer), service=service)
        if form.is_valid():
            try:
                actions.capacity_offer_update(
                    form=form, expected_version=form.cleaned_data["version"]
                )
            except actions.OfferChanged as changed:
                current = changed.current
                differences = form.differences_from(current)
                data = request.POST.copy()
                data["version"] = current.version
                form = CapacityOfferForm(data, instance=copy.copy(current), service=service)
                form.is_valid()
                form.add_error(
                    None,
                    _(
                        "Someone else changed this offer while you were editing it. Nothing "
                        "you entered has been saved yet. Check what is saved now, then save "
                        "again to replace it with your answers."
                    ),
                )
                offer = current
            else:
                messages.success(
                    request,
                    _("Your offer for %(service)s has been saved") % {"service": service.name},
                )
                return redirect("mapping:group_dashboard", pk=organisation.pk)
    else:
        form = CapacityOfferForm(instance=offer, service=service)
    return render(
        request,
        "mapping/groups/offer_form.html",
        {
            "organisation": organisation,
            "service": service,
            "form": form,
            "offer": offer,
            "differences": differences,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer_withdraw(request, pk, offer_pk):
    offer, _membership = get_offer_for_user(
        request,
        pk,
        offer_pk,
        write=True,
        queryset=CapacityOffer.objects.select_related("organisation", "service"),
    )
    organisation = offer.organisation
    if request.method == "POST":
        if actions.capacity_offer_withdraw(offer=offer):
            messages.success(
                request,
                _("Your offer for %(service)s has been withdrawn")
                % {"service": offer.service.name},
            )
        else:
            messages.info(request, _("That offer had already been withdrawn."))
        return redirect("mapping:group_dashboard", pk=organisation.pk)
    return render(
        request,
        "mapping/groups/offer_withdraw.html",
        {"organisation": organisation, "offer": offer},
    )
