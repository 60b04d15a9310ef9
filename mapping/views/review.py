"""Officer review of newly registered groups (issue 4).

A group is "waiting for review" from registration until an officer verifies or rejects
it; only verified groups' offers count in the gap analysis (``mapping.gaps``) and appear
in the public directory. The group's owners are emailed the decision.
"""

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.decorators import officer_required
from bigsociety.paging import Sorter, paginate
from mapping import actions
from mapping.access import get_organisation_for_officer
from mapping.emails import send_review_outcome
from mapping.filters import ReviewQueueFilter
from mapping.group_forms import VERIFY, ReviewForm
from mapping.identifiers import register_links
from mapping.models import CapacityOffer, Membership, MembershipRole, Organisation, Ward


def _with_what_they_entered(queryset):
    """What the review pages show of each group: its wards, its owners (who registered
    it), how many offers it has made."""
    return queryset.annotate(
        offer_count=Count("offers", filter=Q(offers__withdrawn_at__isnull=True), distinct=True)
    ).prefetch_related(
        Prefetch("wards_served", queryset=Ward.objects.only("pk", "name"), to_attr="ward_list"),
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(role=MembershipRole.OWNER)
            .select_related("user")
            .order_by("created_at", "pk"),
            to_attr="owner_list",
        ),
    )


QUEUE_SORTS = {
    "registered": "created_at",
    "name": "name",
    "legal_form": ["legal_form", "name"],
    "offers": ["offer_count", "name"],
}


@officer_required
@require_safe
def review_queue(request):
    filterset = ReviewQueueFilter(
        request.GET, queryset=_with_what_they_entered(Organisation.objects.all())
    )
    # Oldest first: groups should not wait longer because others registered after them.
    sorter = Sorter(request, QUEUE_SORTS, default="registered")
    return render(
        request,
        "mapping/review/queue.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "sorter": sorter,
            "page_obj": paginate(request, sorter.apply(filterset.qs)),
            "status": filterset.form.cleaned_data.get("status")
            if filterset.form.is_valid()
            else "pending",
        },
    )


@officer_required
@require_http_methods(["GET", "POST"])
def review_organisation(request, pk):
    queryset = _with_what_they_entered(Organisation.objects.select_related("verified_by"))
    organisation = get_organisation_for_officer(request, pk, queryset=queryset)
    changed = False
    if request.method == "POST":
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                decided = actions.organisation_review(
                    organisation=organisation,
                    officer=request.user,
                    verify=form.cleaned_data["decision"] == VERIFY,
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["version"],
                )
            except actions.OrganisationChanged:
                changed = True
                organisation = get_organisation_for_officer(request, pk, queryset=queryset)
                # Keep the officer's answers; deciding again on what is shown now is a
                # deliberate choice.
                data = request.POST.copy()
                data["version"] = organisation.version
                form = ReviewForm(data)
                form.is_valid()
                form.add_error(
                    None,
                    _(
                        "The group changed its details while you were reviewing it. Nothing "
                        "has been decided yet. Check the details below as they are now, then "
                        "decide again."
                    ),
                )
            else:
                sent = send_review_outcome(decided)
                if decided.is_verified:
                    text = _("%(name)s is verified: its offers now count") % {"name": decided.name}
                else:
                    text = _("%(name)s has been rejected") % {"name": decided.name}
                messages.success(request, text)
                if not sent:
                    messages.warning(
                        request,
                        _(
                            "We could not email the group's owners just now. They will see "
                            "the decision when they next sign in."
                        ),
                    )
                return redirect("mapping:review_queue")
    else:
        form = ReviewForm(initial={"version": organisation.version})
    offers = (
        CapacityOffer.objects.filter(organisation=organisation)
        .active()
        .select_related("service")
        .prefetch_related(
            Prefetch("wards", queryset=Ward.objects.only("pk", "name"), to_attr="ward_list")
        )
        .order_by("service__name", "pk")
    )
    return render(
        request,
        "mapping/review/organisation.html",
        {
            "organisation": organisation,
            "form": form,
            "changed": changed,
            "offers": list(offers),
            "register_links": register_links(organisation),
        },
        status=409 if changed else 200,
    )
