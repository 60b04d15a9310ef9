"""Expressions of interest, Assets of Community Value, agreements, returns (issue 7).

Group pages (a group's handover page, its expressions of interest, partner invitations,
nominations, intentions to bid and monitoring returns) and officer pages (the pipeline
board, decisions, agreements, reviews of returns, Assets of Community Value).
"""

import copy

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.decorators import officer_required
from bigsociety.exports import export_response, requested_format
from bigsociety.paging import Sorter, paginate
from bigsociety.templatetags.bigsociety import longdate
from mapping.access import get_organisation_for_user
from mapping.models import CapacityOffer
from services.access import (
    Involvement,
    get_agreement_for_user,
    get_asset_for_officer,
    get_eoi_for_user,
    get_nomination_for_user,
    get_open_sale_notice,
    get_partner_for_user,
    get_return_for_user,
)
from services.actions import (
    EoiChanged,
    HandoverRefused,
    agreement_create,
    eoi_create,
    eoi_partner_invite,
    eoi_partner_remove,
    eoi_partner_respond,
    eoi_submission_problems,
    eoi_transition,
    eoi_update,
    intention_to_bid_record,
    nomination_create,
    nomination_decide,
    return_rate,
    return_submit,
    sale_notice_record,
)
from services.acv import Eligibility, bidding_eligibility
from services.filters import PipelineFilter
from services.forms import (
    AgreementForm,
    DecisionForm,
    EoiForm,
    IntentionToBidForm,
    NominationDecisionForm,
    NominationForm,
    PartnerInviteForm,
    PartnerResponseForm,
    RatingForm,
    ReturnForm,
    SaleNoticeForm,
    WithdrawForm,
)
from services.models import (
    Actor,
    AcvNomination,
    EoiPartner,
    EoiStatus,
    EoiTransition,
    ExpressionOfInterest,
    HandoverAgreement,
    IndicatorValue,
    IntentionToBid,
    MonitoringReturn,
    NominationStatus,
    PartnerStatus,
    SaleNotice,
)


def _posted(request):
    """The submitted data, or None for a GET (an empty POST is still a submission)."""
    return request.POST if request.method == "POST" else None


# A group's handover page ------------------------------------------------------------------


@login_required
@require_safe
def group_handover(request, pk):
    """Everything a group has in the handover: its expressions of interest, invitations to
    be a partner, nominations, agreements and the returns it can send now, and listed
    assets it can still say it intends to bid for."""
    organisation, membership = get_organisation_for_user(request, pk)
    today = timezone.localdate()
    eois = (
        ExpressionOfInterest.objects.led_by(organisation)
        .select_related("service", "asset")
        .order_by("-updated_at", "-pk")
    )
    invitations = (
        EoiPartner.objects.filter(
            organisation=organisation,
            status__in=[PartnerStatus.INVITED, PartnerStatus.ACCEPTED],
        )
        .select_related(
            "expression_of_interest__lead_organisation",
            "expression_of_interest__service",
            "expression_of_interest__asset",
        )
        .order_by("-invited_at", "-pk")
    )
    nominations = (
        AcvNomination.objects.filter(organisation=organisation)
        .select_related("asset")
        .order_by("-submitted_at", "-pk")
    )
    agreements = (
        HandoverAgreement.objects.filter(organisation=organisation)
        .select_related("service", "asset")
        .order_by("-starts_on", "-pk")
    )
    returns = (
        MonitoringReturn.objects.of_organisation(organisation)
        .open_on(today)
        .select_related("agreement__service", "agreement__asset")
        .order_by("due_on", "pk")
    )
    notices = (
        SaleNotice.objects.taking_intentions_on(today)
        .select_related("asset__ward")
        .annotate(
            already=Exists(
                IntentionToBid.objects.filter(
                    sale_notice=OuterRef("pk"), organisation=organisation
                )
            )
        )
        .order_by("notified_on", "pk")
    )
    return render(
        request,
        "services/handover/group_handover.html",
        {
            "organisation": organisation,
            "membership": membership,
            "eois": eois,
            "invitations": invitations,
            "nominations": nominations,
            "agreements": agreements,
            "returns": returns,
            "notices": notices,
        },
    )


# Expressions of interest: the lead group ------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def eoi_new(request, pk):
    organisation, _membership = get_organisation_for_user(request, pk, write=True)
    form = EoiForm(_posted(request), organisation=organisation)
    if request.method == "GET" and request.GET.get("service", "").isdigit():
        form.initial["subject"] = f"service:{request.GET['service']}"
    if request.method == "POST" and form.is_valid():
        eoi = eoi_create(organisation=organisation, form=form, by=request.user)
        messages.success(
            request,
            _(
                "Your draft has been saved. Council officers can read drafts, but the "
                "council considers it only once you submit it."
            ),
        )
        return redirect("services:eoi_detail", pk=eoi.pk)
    return render(
        request,
        "services/handover/eoi_form.html",
        {"form": form, "organisation": organisation, "creating": True},
    )


def _eoi_detail_queryset():
    return ExpressionOfInterest.objects.select_related(
        "lead_organisation", "service__category", "asset__ward", "decided_by", "agreement"
    ).prefetch_related(
        Prefetch(
            "offers",
            queryset=CapacityOffer.objects.select_related("service").order_by("service__name"),
            to_attr="offer_list",
        ),
        Prefetch("support_requested", to_attr="support_list"),
        Prefetch(
            "partners",
            queryset=EoiPartner.objects.select_related("organisation"),
            to_attr="partner_list",
        ),
        Prefetch(
            "transitions",
            queryset=EoiTransition.objects.select_related("by"),
            to_attr="transition_list",
        ),
    )


@login_required
@require_safe
def eoi_detail(request, pk):
    eoi, involvement = get_eoi_for_user(request, pk, queryset=_eoi_detail_queryset())
    today = timezone.localdate()
    my_invitations = []  # a partner's own invitation: its answer, and its way back
    if involvement == Involvement.PARTNER:
        mine = set(request.user.memberships.values_list("organisation_id", flat=True))
        my_invitations = [p for p in eoi.partner_list if p.organisation_id in mine]
    agreement = getattr(eoi, "agreement", None) if eoi.status == EoiStatus.ACCEPTED else None
    return render(
        request,
        "services/handover/eoi_detail.html",
        {
            "eoi": eoi,
            "involvement": involvement,
            "is_lead": involvement == Involvement.LEAD,
            "is_officer": request.user.is_officer,
            "group_moves": eoi.moves_for(Actor.GROUP),
            "officer_moves": eoi.moves_for(Actor.OFFICER),
            "overdue": eoi.is_overdue_on(today),
            "my_invitations": my_invitations,
            "agreement": agreement,
        },
    )


def _draft_only(request, eoi):
    """A redirect to the expression of interest's page when it is no longer a draft."""
    if eoi.is_draft:
        return None
    messages.info(
        request,
        _("It has been submitted, so it can no longer be changed."),
    )
    return redirect("services:eoi_detail", pk=eoi.pk)


@login_required
@require_http_methods(["GET", "POST"])
def eoi_edit(request, pk):
    eoi, _involvement = get_eoi_for_user(
        request,
        pk,
        write=True,
        queryset=ExpressionOfInterest.objects.select_related("lead_organisation"),
    )
    if refused := _draft_only(request, eoi):
        return refused
    organisation = eoi.lead_organisation
    form = EoiForm(_posted(request), instance=copy.copy(eoi), organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            eoi_update(form=form, expected_version=form.cleaned_data["version"] or 0)
        except EoiChanged as changed:
            data = request.POST.copy()
            data["version"] = changed.current.version
            form = EoiForm(data, instance=copy.copy(changed.current), organisation=organisation)
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Someone else in your group saved this draft while you were changing "
                    "it. Nothing you entered has been saved yet. Check the draft as it is "
                    "now, then save again to replace it with your answers."
                ),
            )
        except HandoverRefused as refused:
            messages.info(request, refused.message)
            return redirect("services:eoi_detail", pk=eoi.pk)
        else:
            messages.success(request, _("Your draft has been saved."))
            return redirect("services:eoi_detail", pk=eoi.pk)
    return render(
        request,
        "services/handover/eoi_form.html",
        {"form": form, "organisation": organisation, "eoi": eoi, "creating": False},
    )


@login_required
@require_http_methods(["GET", "POST"])
def eoi_partners(request, pk):
    eoi, _involvement = get_eoi_for_user(
        request,
        pk,
        write=True,
        queryset=ExpressionOfInterest.objects.select_related(
            "lead_organisation", "service", "asset"
        ),
    )
    if refused := _draft_only(request, eoi):
        return refused
    form = PartnerInviteForm(_posted(request), eoi=eoi)
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        try:
            eoi_partner_invite(eoi=eoi, organisation=organisation, by=request.user)
        except HandoverRefused as refused:
            form.add_error("organisation", refused.message)
        else:
            messages.success(
                request,
                _("%(group)s has been invited. It is listed as a partner once it accepts.")
                % {"group": organisation},
            )
            return redirect("services:eoi_partners", pk=eoi.pk)
    partners = eoi.partners.select_related("organisation").order_by("organisation__name")
    return render(
        request,
        "services/handover/eoi_partners.html",
        {"eoi": eoi, "form": form, "partners": partners},
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_remove(request, pk, partner_pk):
    eoi, _involvement = get_eoi_for_user(
        request,
        pk,
        write=True,
        queryset=ExpressionOfInterest.objects.select_related("lead_organisation"),
    )
    partner = get_object_or_404(
        EoiPartner.objects.select_related("organisation"),
        expression_of_interest=eoi,
        pk=partner_pk,
    )
    if refused := _draft_only(request, eoi):
        return refused
    if request.method == "POST":
        try:
            eoi_partner_remove(partner=partner, by=request.user)
        except HandoverRefused as refused:
            messages.info(request, refused.message)
            return redirect("services:eoi_detail", pk=eoi.pk)
        messages.success(
            request, _("%(group)s is no longer a partner.") % {"group": partner.organisation}
        )
        return redirect("services:eoi_partners", pk=eoi.pk)
    return render(
        request, "services/handover/partner_remove.html", {"eoi": eoi, "partner": partner}
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_respond(request, pk, partner_pk):
    eoi, partner = get_partner_for_user(request, pk, partner_pk)
    if refused := _draft_only(request, eoi):
        return refused
    form = PartnerResponseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["answer"] == "accept"
        try:
            eoi_partner_respond(partner=partner, accept=accept, by=request.user)
        except HandoverRefused as refused:
            messages.info(request, refused.message)
            return redirect("services:eoi_detail", pk=eoi.pk)
        if accept:
            messages.success(
                request,
                _("Your group is now a partner. %(lead)s has been told.")
                % {"lead": eoi.lead_organisation},
            )
            return redirect("services:eoi_detail", pk=eoi.pk)
        messages.success(
            request,
            _("You have declined. %(lead)s has been told.") % {"lead": eoi.lead_organisation},
        )
        return redirect("services:group_handover", pk=partner.organisation_id)
    return render(
        request,
        "services/handover/partner_respond.html",
        {"eoi": eoi, "partner": partner, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def eoi_submit(request, pk):
    """Check your answers, then submit the draft to the council."""
    eoi, _involvement = get_eoi_for_user(request, pk, write=True, queryset=_eoi_detail_queryset())
    if refused := _draft_only(request, eoi):
        return refused
    problems = eoi_submission_problems(eoi)
    if request.method == "POST" and not problems:
        try:
            eoi = eoi_transition(
                eoi=eoi, to_status=EoiStatus.SUBMITTED, actor=Actor.GROUP, by=request.user
            )
        except HandoverRefused as refused:
            problems = [refused.message]
        else:
            messages.success(
                request,
                _(
                    "Your expression of interest has been sent to the council. It will "
                    "decide by %(day)s."
                )
                % {"day": longdate(eoi.decision_due_on)},
            )
            return redirect("services:eoi_detail", pk=eoi.pk)
    return render(
        request,
        "services/handover/eoi_submit.html",
        {"eoi": eoi, "problems": problems, "response_days": settings.EOI_RESPONSE_DAYS},
    )


@login_required
@require_http_methods(["GET", "POST"])
def eoi_withdraw(request, pk):
    eoi, _involvement = get_eoi_for_user(
        request,
        pk,
        write=True,
        queryset=ExpressionOfInterest.objects.select_related("lead_organisation", "service"),
    )
    if EoiStatus.WITHDRAWN not in eoi.moves_for(Actor.GROUP):
        messages.info(
            request,
            _("It is %(now)s, so it can no longer be withdrawn.")
            % {"now": eoi.get_status_display().lower()},
        )
        return redirect("services:eoi_detail", pk=eoi.pk)
    form = WithdrawForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            eoi_transition(
                eoi=eoi,
                to_status=EoiStatus.WITHDRAWN,
                actor=Actor.GROUP,
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except HandoverRefused as refused:
            messages.info(request, refused.message)
        else:
            messages.success(request, _("Your expression of interest has been withdrawn."))
        return redirect("services:eoi_detail", pk=eoi.pk)
    return render(request, "services/handover/eoi_withdraw.html", {"eoi": eoi, "form": form})


# Officers: the pipeline board and decisions ---------------------------------------------------

STATUS_RANK = Case(
    *[When(status=status, then=Value(i)) for i, status in enumerate(EoiStatus.values)],
    output_field=IntegerField(),
)
PIPELINE_SORTS = {
    "subject": ["subject_name"],
    "group": ["lead_organisation__name"],
    "route": ["route"],
    "status": ["status_rank"],
    "submitted": ["submitted_at"],
    "due": ["due_rank"],
}


def pipeline_headers():
    return [
        _("For"),
        _("Service or place"),
        _("Lead group"),
        _("Way of getting involved"),
        _("Status"),
        _("Submitted"),
        _("Decision due"),
        _("Decision overdue"),
        _("Decided"),
    ]


def _pipeline_row(eoi, today):
    return [
        _("Service") if eoi.service_id else _("Building or land"),
        eoi.subject_name,
        eoi.lead_organisation.name,
        eoi.get_route_display(),
        eoi.get_status_display(),
        eoi.submitted_at,
        eoi.decision_due_on,
        eoi.is_overdue_on(today),
        eoi.decided_at,
    ]


@officer_required
@require_safe
def pipeline(request):
    today = timezone.localdate()
    eois = ExpressionOfInterest.objects.select_related(
        "lead_organisation", "service", "asset"
    ).annotate(
        subject_name=Coalesce("service__name", "asset__name"),
        status_rank=STATUS_RANK,
        # Drafts have no due date: they sort after everything that has one.
        due_rank=Coalesce("decision_due_on", Value(today.replace(year=9999))),
    )
    filterset = PipelineFilter(request.GET, queryset=eois)
    sorter = Sorter(request, PIPELINE_SORTS, default="due")
    rows = sorter.apply(filterset.qs)
    fmt = requested_format(request)
    if fmt:
        return export_response(
            fmt=fmt,
            filename=_("handover pipeline"),
            headers=pipeline_headers(),
            rows=(_pipeline_row(eoi, today) for eoi in rows.iterator(chunk_size=500)),
        )
    counts = dict(
        ExpressionOfInterest.objects.values_list("status").annotate(n=Count("pk")).order_by()
    )
    board = [(status, label, counts.get(status, 0)) for status, label in EoiStatus.choices]
    return render(
        request,
        "services/handover/pipeline.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "sorter": sorter,
            "page_obj": paginate(request, rows),
            "board": board,
            "overdue_count": ExpressionOfInterest.objects.overdue_on(today).count(),
            "today": today,
        },
    )


@officer_required
@require_http_methods(["GET", "POST"])
def eoi_decide(request, pk):
    eoi, _involvement = get_eoi_for_user(
        request,
        pk,
        queryset=ExpressionOfInterest.objects.select_related(
            "lead_organisation", "service", "asset"
        ),
    )
    moves = eoi.moves_for(Actor.OFFICER)
    if not moves:
        messages.info(
            request,
            _("It is %(now)s: there is nothing for the council to decide.")
            % {"now": eoi.get_status_display().lower()},
        )
        return redirect("services:eoi_detail", pk=eoi.pk)
    form = DecisionForm(_posted(request), moves=moves)
    if request.method == "POST" and form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            eoi_transition(
                eoi=eoi,
                to_status=decision,
                actor=Actor.OFFICER,
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except HandoverRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                {
                    EoiStatus.UNDER_REVIEW: _("The review has started. The group has been told."),
                    EoiStatus.ACCEPTED: _(
                        "It has been accepted and the group has been told. Next, make the "
                        "handover agreement."
                    ),
                    EoiStatus.REJECTED: _("It has been rejected and the group has been told why."),
                }[decision],
            )
            return redirect("services:eoi_detail", pk=eoi.pk)
    return render(
        request,
        "services/handover/eoi_decide.html",
        {"eoi": eoi, "form": form, "today": timezone.localdate()},
    )


# Agreements and monitoring returns -------------------------------------------------------------


@officer_required
@require_http_methods(["GET", "POST"])
def agreement_new(request, pk):
    eoi, _involvement = get_eoi_for_user(
        request,
        pk,
        queryset=ExpressionOfInterest.objects.select_related(
            "lead_organisation", "service", "asset", "agreement"
        ),
    )
    existing = getattr(eoi, "agreement", None)
    if existing is not None:
        messages.info(request, _("This expression of interest already has an agreement."))
        return redirect("services:agreement_detail", pk=existing.pk)
    if eoi.status != EoiStatus.ACCEPTED:
        messages.info(
            request, _("Only an accepted expression of interest can become an agreement.")
        )
        return redirect("services:eoi_detail", pk=eoi.pk)
    form = AgreementForm(_posted(request), eoi=eoi)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = agreement_create(eoi=eoi, form=form, by=request.user)
        except HandoverRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _(
                    "The agreement has been made and %(group)s has been told. Its monitoring "
                    "returns are scheduled below."
                )
                % {"group": eoi.lead_organisation},
            )
            return redirect("services:agreement_detail", pk=agreement.pk)
    return render(request, "services/handover/agreement_form.html", {"eoi": eoi, "form": form})


@login_required
@require_safe
def agreement_detail(request, pk):
    agreement = get_agreement_for_user(
        request,
        pk,
        queryset=HandoverAgreement.objects.select_related(
            "organisation", "service", "asset__ward", "expression_of_interest", "created_by"
        ).prefetch_related(
            Prefetch("wards", to_attr="ward_list"),
            Prefetch("indicators", to_attr="indicator_list"),
            Prefetch(
                "returns",
                queryset=MonitoringReturn.objects.order_by("period_start"),
                to_attr="return_list",
            ),
        ),
    )
    is_member = request.user.memberships.filter(organisation=agreement.organisation_id).exists()
    return render(
        request,
        "services/handover/agreement_detail.html",
        {"agreement": agreement, "is_member": is_member},
    )


def _return_queryset():
    return MonitoringReturn.objects.select_related(
        "agreement__organisation",
        "agreement__service",
        "agreement__asset",
        "submitted_by",
        "reviewed_by",
    ).prefetch_related(
        Prefetch("agreement__indicators", to_attr="indicator_list"),
        Prefetch(
            "values",
            queryset=IndicatorValue.objects.select_related("indicator"),
            to_attr="value_list",
        ),
    )


def _indicator_rows(monitoring_return):
    """(indicator, value or None) for each of the agreement's indicators, from a return
    fetched with _return_queryset()."""
    values = {v.indicator_id: v.value for v in monitoring_return.value_list}
    return [(i, values.get(i.pk)) for i in monitoring_return.agreement.indicator_list]


@login_required
@require_safe
def return_detail(request, pk):
    monitoring_return = get_return_for_user(request, pk, queryset=_return_queryset())
    rows = _indicator_rows(monitoring_return)
    is_member = request.user.memberships.filter(
        organisation=monitoring_return.agreement.organisation_id
    ).exists()
    return render(
        request,
        "services/handover/return_detail.html",
        {"monitoring_return": monitoring_return, "rows": rows, "is_member": is_member},
    )


@login_required
@require_http_methods(["GET", "POST"])
def return_send(request, pk):
    monitoring_return = get_return_for_user(request, pk, write=True, queryset=_return_queryset())
    if monitoring_return.rating:
        messages.info(
            request, _("The council has reviewed this return, so it can no longer be changed.")
        )
        return redirect("services:return_detail", pk=monitoring_return.pk)
    if monitoring_return.period_end > timezone.localdate():
        messages.info(
            request,
            _("This period has not ended yet. You can send the return from %(day)s.")
            % {"day": longdate(monitoring_return.period_end)},
        )
        return redirect("services:return_detail", pk=monitoring_return.pk)
    indicators = monitoring_return.agreement.indicator_list
    initial = {}
    if monitoring_return.is_submitted:
        initial = {
            "volunteer_hours": monitoring_return.volunteer_hours,
            "complaints": monitoring_return.complaints,
            "narrative": monitoring_return.narrative,
        } | {f"indicator_{v.indicator_id}": v.value for v in monitoring_return.value_list}
    form = ReturnForm(_posted(request), initial=initial, indicators=indicators)
    if request.method == "POST" and form.is_valid():
        try:
            return_submit(
                monitoring_return=monitoring_return,
                values=form.values(),
                volunteer_hours=form.cleaned_data["volunteer_hours"],
                complaints=form.cleaned_data["complaints"],
                narrative=form.cleaned_data["narrative"],
                by=request.user,
            )
        except HandoverRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("Your return has been sent. You can correct it until the council reviews it.")
                if not monitoring_return.is_submitted
                else _("Your corrections have been saved."),
            )
            return redirect("services:return_detail", pk=monitoring_return.pk)
    return render(
        request,
        "services/handover/return_send.html",
        {"monitoring_return": monitoring_return, "form": form},
    )


@officer_required
@require_http_methods(["GET", "POST"])
def return_review(request, pk):
    monitoring_return = get_return_for_user(request, pk, queryset=_return_queryset())
    if not monitoring_return.is_submitted:
        messages.info(request, _("The group has not sent in this return yet."))
        return redirect("services:return_detail", pk=monitoring_return.pk)
    initial = {"rating": monitoring_return.rating, "comment": monitoring_return.rating_comment}
    form = RatingForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            return_rate(
                monitoring_return=monitoring_return,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        except HandoverRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Your review has been saved and the group has been told."))
            return redirect("services:agreement_detail", pk=monitoring_return.agreement_id)
    rows = _indicator_rows(monitoring_return)
    return render(
        request,
        "services/handover/return_review.html",
        {"monitoring_return": monitoring_return, "form": form, "rows": rows},
    )


# Assets of Community Value ----------------------------------------------------------------------


def _not_verified(request, organisation, what):
    messages.info(
        request,
        _("The council has not verified your group yet. Once it has, you can %(what)s.")
        % {"what": what},
    )
    return redirect("services:group_handover", pk=organisation.pk)


@login_required
@require_http_methods(["GET", "POST"])
def nominate(request, pk):
    organisation, _membership = get_organisation_for_user(request, pk, write=True)
    if not organisation.is_verified:
        return _not_verified(request, organisation, _("nominate an asset"))
    form = NominationForm(_posted(request), organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            nomination = nomination_create(
                organisation=organisation,
                asset=form.cleaned_data["asset"],
                new_asset=form.new_asset(),
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except HandoverRefused as refused:
            form.add_error("asset", refused.message)
        else:
            messages.success(
                request,
                _("Your nomination has been sent. The council will decide by %(day)s.")
                % {"day": longdate(nomination.decision_due_on)},
            )
            return redirect("services:nomination_detail", pk=nomination.pk)
    return render(
        request,
        "services/handover/nominate.html",
        {"form": form, "organisation": organisation},
    )


def _nomination_queryset():
    return AcvNomination.objects.select_related(
        "asset__ward", "organisation", "decided_by", "submitted_by"
    )


@login_required
@require_safe
def nomination_detail(request, pk):
    nomination = get_nomination_for_user(request, pk, queryset=_nomination_queryset())
    notices = nomination.asset.sale_notices.prefetch_related(
        Prefetch(
            "intentions",
            queryset=IntentionToBid.objects.select_related("organisation"),
            to_attr="intention_list",
        )
    )
    return render(
        request,
        "services/handover/nomination_detail.html",
        {
            "nomination": nomination,
            "notices": notices if nomination.status == NominationStatus.LISTED else [],
            "today": timezone.localdate(),
        },
    )


@officer_required
@require_http_methods(["GET", "POST"])
def nomination_decide_view(request, pk):
    nomination = get_nomination_for_user(request, pk, decide=True, queryset=_nomination_queryset())
    if not nomination.is_waiting:
        messages.info(request, _("This nomination has already been decided."))
        return redirect("services:nomination_detail", pk=nomination.pk)
    form = NominationDecisionForm(_posted(request), nomination=nomination)
    if request.method == "POST" and form.is_valid():
        listed = form.cleaned_data["decision"] == NominationStatus.LISTED
        try:
            nomination_decide(
                nomination=nomination,
                listed=listed,
                listed_on=form.cleaned_data["listed_on"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except HandoverRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("%(asset)s has been listed. The group has been told.")
                % {"asset": nomination.asset}
                if listed
                else _("%(asset)s will not be listed. The group has been told why.")
                % {"asset": nomination.asset},
            )
            return redirect("services:acv_officer")
    return render(
        request,
        "services/handover/nomination_decide.html",
        {"nomination": nomination, "form": form},
    )


@officer_required
@require_safe
def acv_officer(request):
    """Nominations waiting for a decision, and the assets listed now with the dates that
    follow any notice of sale."""
    today = timezone.localdate()
    waiting = (
        AcvNomination.objects.waiting()
        .select_related("asset__ward", "organisation")
        .order_by("submitted_at", "pk")
    )
    listed = (
        AcvNomination.objects.listed_on_day(today)
        .select_related("asset__ward", "organisation")
        .prefetch_related(
            Prefetch(
                "asset__sale_notices",
                queryset=SaleNotice.objects.annotate(intention_count=Count("intentions")),
                to_attr="notice_list",
            )
        )
        .order_by("asset__name", "pk")
    )
    return render(
        request,
        "services/handover/acv_officer.html",
        {"waiting": waiting, "page_obj": paginate(request, listed), "today": today},
    )


@officer_required
@require_http_methods(["GET", "POST"])
def sale_notice_new(request, pk):
    asset = get_asset_for_officer(request, pk)
    form = SaleNoticeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            notice = sale_notice_record(
                asset=asset, notified_on=form.cleaned_data["notified_on"], by=request.user
            )
        except HandoverRefused as refused:
            form.add_error("notified_on", refused.message)
        else:
            window = notice.moratorium
            messages.success(
                request,
                _(
                    "The notice has been recorded. Groups can say they intend to bid until "
                    "%(interim)s. The group that nominated it has been told."
                )
                % {"interim": longdate(window.interim_last_day)},
            )
            return redirect("services:acv_officer")
    return render(
        request, "services/handover/sale_notice_form.html", {"asset": asset, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def intention_to_bid(request, pk, notice_pk):
    organisation, _membership = get_organisation_for_user(request, pk, write=True)
    notice = get_open_sale_notice(request, notice_pk)
    if not organisation.is_verified:
        return _not_verified(request, organisation, _("say you intend to bid"))
    window = notice.moratorium
    form = IntentionToBidForm(_posted(request), organisation=organisation)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            intention_to_bid_record(
                notice=notice,
                organisation=organisation,
                declared=form.cleaned_data.get("declared", False),
                by=request.user,
            )
        except HandoverRefused as refused:
            refusal = refused.message
        else:
            messages.success(
                request,
                _(
                    "The council has your intention to bid for %(asset)s and will pass it to "
                    "the owner. The owner cannot sell it, except to a community group, until "
                    "after %(full)s."
                )
                % {"asset": notice.asset, "full": longdate(window.full_last_day)},
            )
            return redirect("services:group_handover", pk=organisation.pk)
    today = timezone.localdate()
    return render(
        request,
        "services/handover/intention_to_bid.html",
        {
            "organisation": organisation,
            "notice": notice,
            "window": window,
            "form": form,
            "refusal": refusal,
            "open_now": window.accepts_intentions_on(today),
            "today": today,
            "eligible_by_form": bidding_eligibility(organisation) == Eligibility.ELIGIBLE,
            "already": notice.intentions.filter(organisation=organisation).exists(),
        },
    )
