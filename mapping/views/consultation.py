"""Resident consultation: officer pages and the public form (issue 6)."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from accounts.decorators import officer_required
from bigsociety.exports import export_response, requested_format
from bigsociety.history import recent_changes
from bigsociety.paging import Sorter, paginate
from bigsociety.ratelimit import rate_limited
from mapping import consultation_form as form_state
from mapping.access import get_consultation_for_officer, get_public_consultation
from mapping.actions import (
    AlreadyResponded,
    ConsultationNotOpen,
    QuestionsChanged,
    consultation_response_submit,
)
from mapping.consultation_results import EXPORT_HEADERS, export_rows, tabulate_results
from mapping.demand import MIN_RESPONSES
from mapping.filters import ConsultationFilter
from mapping.forms import (
    COMFORT_LABELS,
    DONT_KNOW,
    PREFER_NOT_TO_SAY,
    AboutYouForm,
    ComfortForm,
    ConsultationForm,
    PostcodeForm,
    SendForm,
    TimeForm,
    WardForm,
)
from mapping.models import AgeBand, Consultation, Ward

# Officers --------------------------------------------------------------------------------


def _posted(request):
    """The submitted data, or None for a GET (an empty POST is still a submission)."""
    return request.POST if request.method == "POST" else None


LIST_COLUMNS = {
    "title": "title",
    "opens": "opens_on",
    "closes": "closes_on",
    "responses": "response_count",
}


@officer_required
@require_safe
def consultation_list(request):
    filterset = ConsultationFilter(
        request.GET, queryset=Consultation.objects.with_response_count()
    )
    sorter = Sorter(request, LIST_COLUMNS, default="-opens")
    page_obj = paginate(request, sorter.apply(filterset.qs))
    return render(
        request,
        "mapping/consultation/list.html",
        {"filter": filterset, "form": filterset.form, "sorter": sorter, "page_obj": page_obj},
    )


@officer_required
@require_http_methods(["GET", "POST"])
def consultation_create(request):
    form = ConsultationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                consultation = form.save(commit=False)
                consultation.created_by = request.user
                consultation.save()
                form.save_m2m()
        except IntegrityError:
            # Another officer took the same web address a moment ago.
            form.add_error("slug", _("Another consultation uses this web address. Try again."))
        else:
            messages.success(
                request, _("Consultation created: %(title)s") % {"title": consultation}
            )
            return redirect("mapping:consultation_results", pk=consultation.pk)
    return render(request, "mapping/consultation/edit.html", {"form": form, "creating": True})


@officer_required
@require_http_methods(["GET", "POST"])
def consultation_edit(request, pk):
    consultation = get_consultation_for_officer(request, pk)
    if request.method == "POST":
        # Lock the row: a resident's response (which locks it too) cannot slip in between
        # checking for responses and changing the services or dates.
        with transaction.atomic():
            consultation = get_consultation_for_officer(
                request, pk, queryset=Consultation.objects.select_for_update()
            )
            form = ConsultationForm(request.POST, instance=consultation)
            if form.is_valid():
                try:
                    with transaction.atomic():
                        form.save()
                except IntegrityError:
                    form.add_error(
                        "slug", _("Another consultation uses this web address. Try again.")
                    )
                else:
                    messages.success(request, _("Your changes were saved"))
                    return redirect("mapping:consultation_results", pk=consultation.pk)
    else:
        form = ConsultationForm(instance=consultation)
    return render(
        request,
        "mapping/consultation/edit.html",
        {"form": form, "consultation": consultation, "creating": False},
    )


@officer_required
@require_safe
def consultation_results(request, pk):
    consultation = get_consultation_for_officer(
        request, pk, queryset=Consultation.objects.with_response_count()
    )
    results = tabulate_results(consultation)
    fmt = requested_format(request)
    if fmt:
        return export_response(
            fmt=fmt,
            filename=_("%(consultation)s results") % {"consultation": consultation.slug},
            headers=EXPORT_HEADERS,
            rows=export_rows(results),
            sheet_title=_("Results"),
        )
    # Comments stay on this page for officers: never published, and shown without their
    # ward or time, since a comment can say enough to identify its author.
    comments = Paginator(
        consultation.responses.with_comment().order_by("-pk").values_list("comment", flat=True),
        settings.PAGE_SIZE,
    ).get_page(request.GET.get("comments"))
    return render(
        request,
        "mapping/consultation/results.html",
        {
            "consultation": consultation,
            "results": results,
            "comments": comments,
            "min_responses": MIN_RESPONSES,
            "changes": recent_changes(consultation),
        },
    )


# The public form ---------------------------------------------------------------------------


@require_safe
def consultation_public_list(request):
    today = timezone.localdate()
    consultations = Consultation.objects.published().order_by("closes_on", "title")
    groups = {state: [] for state in Consultation.State.values}
    for consultation in consultations:
        groups[consultation.state_on(today)].append(consultation)
    groups[Consultation.State.CLOSED].reverse()  # the most recently closed first
    return render(
        request,
        "mapping/consultation/public_list.html",
        {
            "open": groups[Consultation.State.OPEN],
            "scheduled": groups[Consultation.State.SCHEDULED],
            "closed": groups[Consultation.State.CLOSED],
        },
    )


def _not_answerable(request, consultation, token):
    """The page to show instead of the form, or None when the resident may answer."""
    if consultation.state == Consultation.State.SCHEDULED:
        return render(
            request, "mapping/consultation/not_open.html", {"consultation": consultation}
        )
    if consultation.state == Consultation.State.CLOSED:
        return render(request, "mapping/consultation/closed.html", {"consultation": consultation})
    if (
        token
        and consultation.responses.filter(
            browser_hash=form_state.browser_hash(token, consultation)
        ).exists()
    ):
        return render(
            request, "mapping/consultation/already_answered.html", {"consultation": consultation}
        )
    return None


def _with_browser_token(response, token, is_new):
    if is_new:
        form_state.remember_browser(response, token)
    return response


def _browser_token(request):
    token = form_state.browser_token(request)
    if token:
        return token, False
    return form_state.new_browser_token(), True


@never_cache
@require_safe
def consultation_start(request, slug):
    consultation = get_public_consultation(request, slug)
    token, is_new = _browser_token(request)
    blocked = _not_answerable(request, consultation, None if is_new else token)
    if blocked:
        return blocked
    questionnaire = form_state.Questionnaire(consultation)
    progress = form_state.Progress(request, consultation)
    context = {
        "consultation": consultation,
        "questionnaire": questionnaire,
        "first_step": questionnaire.next_incomplete(progress),
        "started": bool(progress.data),
        "min_responses": MIN_RESPONSES,
    }
    response = render(request, "mapping/consultation/start.html", context)
    return _with_browser_token(response, token, is_new)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def consultation_respond(request, slug, step):
    consultation = get_public_consultation(request, slug)
    token, is_new = _browser_token(request)
    blocked = _not_answerable(request, consultation, None if is_new else token)
    if blocked:
        return blocked
    questionnaire = form_state.Questionnaire(consultation)
    if step not in questionnaire.steps:
        raise Http404
    progress = form_state.Progress(request, consultation)
    if not questionnaire.reachable(step, progress):
        if request.method == "POST":
            # For example, a service was added to the consultation while they answered.
            messages.info(
                request,
                _("Some questions have not been answered yet. Answer them, then continue."),
            )
        return redirect(
            "mapping:consultation_respond",
            slug=slug,
            step=questionnaire.next_incomplete(progress),
        )
    kind = "services" if step.startswith("services-") else step
    step_view = STEP_VIEWS[kind]
    response = step_view(request, consultation, questionnaire, progress, step, token)
    return _with_browser_token(response, token, is_new)


def _step_url(consultation, step):
    return reverse(
        "mapping:consultation_respond", kwargs={"slug": consultation.slug, "step": step}
    )


def _render_step(request, template, questionnaire, step, context):
    consultation = questionnaire.consultation
    returning = request.GET.get("return") == "check"
    previous = "check" if returning else questionnaire.previous(step)
    back_url = (
        _step_url(consultation, previous)
        if previous
        else reverse("mapping:consultation_start", kwargs={"slug": consultation.slug})
    )
    return render(
        request,
        template,
        {
            "consultation": consultation,
            "questionnaire": questionnaire,
            "step": step,
            "back_url": back_url,
            **context,
        },
    )


def _saved(request, questionnaire, progress, step, form):
    """Where to go after a page is answered: the next page, or back to the check page."""
    if form.caught:
        progress.mark_caught()
    consultation = questionnaire.consultation
    following = questionnaire.following(step)
    if request.GET.get("return") == "check" or following == "check":
        following = questionnaire.next_incomplete(progress)
    return redirect(_step_url(consultation, following))


def _postcode_step(request, consultation, questionnaire, progress, step, token):
    if not questionnaire.postcode_lookup:
        return redirect(_step_url(consultation, "ward"))
    form = PostcodeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        ward = Ward.objects.for_postcode(form.cleaned_data["postcode"]).first()
        if ward is None:
            messages.info(
                request,
                _(
                    "We could not find %(postcode)s in our area. Choose the ward you live in "
                    "from the list."
                )
                % {"postcode": form.cleaned_data["postcode"]},
            )
            return redirect(_step_url(consultation, "ward") + _return_query(request))
        progress.update(ward=ward.pk)
        return _saved(request, questionnaire, progress, step, form)
    return _render_step(
        request,
        "mapping/consultation/step_postcode.html",
        questionnaire,
        step,
        {"form": form},
    )


def _return_query(request):
    return "?return=check" if request.GET.get("return") == "check" else ""


def _ward_step(request, consultation, questionnaire, progress, step, token):
    form = WardForm(
        _posted(request),
        wards=Ward.objects.order_by("name"),
        initial={"ward": progress.get("ward")},
    )
    if request.method == "POST" and form.is_valid():
        progress.update(ward=form.cleaned_data["ward"].pk)
        return _saved(request, questionnaire, progress, step, form)
    return _render_step(
        request,
        "mapping/consultation/step_ward.html",
        questionnaire,
        step,
        {"form": form},
    )


def _services_step(request, consultation, questionnaire, progress, step, token):
    category, services = questionnaire.page(step)
    form = ComfortForm(
        _posted(request),
        services=services,
        initial=ComfortForm.initial_for(services, progress.comfort),
    )
    if request.method == "POST" and form.is_valid():
        progress.answer(form.answers())
        return _saved(request, questionnaire, progress, step, form)
    number = int(step.removeprefix("services-"))
    return _render_step(
        request,
        "mapping/consultation/step_services.html",
        questionnaire,
        step,
        {"form": form, "category": category, "number": number, "pages": len(questionnaire.pages)},
    )


def _time_step(request, consultation, questionnaire, progress, step, token):
    gives_time = progress.get("gives_time")
    initial = {"hours_per_month": progress.get("hours_per_month")}
    if gives_time is not None:
        initial["gives_time"] = "yes" if gives_time else "no"
    form = TimeForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        progress.update(
            gives_time=form.cleaned_data["gives_time"],
            hours_per_month=form.cleaned_data["hours_per_month"],
        )
        return _saved(request, questionnaire, progress, step, form)
    return _render_step(
        request,
        "mapping/consultation/step_time.html",
        questionnaire,
        step,
        {"form": form},
    )


def _about_step(request, consultation, questionnaire, progress, step, token):
    age_band = progress.get("age_band")
    initial = {
        "age_band": PREFER_NOT_TO_SAY if age_band == "" else age_band,
        "comment": progress.get("comment", ""),
    }
    form = AboutYouForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        progress.update(
            age_band=form.cleaned_data["age_band"],
            comment=form.cleaned_data["comment"],
            about_done=True,
        )
        return _saved(request, questionnaire, progress, step, form)
    return _render_step(
        request,
        "mapping/consultation/step_about.html",
        questionnaire,
        step,
        {"form": form},
    )


def _check_step(request, consultation, questionnaire, progress, step, token):
    form = SendForm(_posted(request))
    if request.method == "POST":
        return _send(request, consultation, questionnaire, progress, form, token)
    ward = Ward.objects.filter(pk=progress.get("ward")).first()
    if ward is None:
        return redirect(_step_url(consultation, questionnaire.where_step))
    answers = progress.comfort
    pages = [
        (
            category,
            f"services-{n}",
            [(service, _comfort_label(answers.get(str(service.pk)))) for service in services],
        )
        for n, (category, services) in enumerate(questionnaire.pages, start=1)
    ]
    age_band = progress.get("age_band")
    return _render_step(
        request,
        "mapping/consultation/step_check.html",
        questionnaire,
        step,
        {
            "form": form,
            "ward": ward,
            "pages": pages,
            "gives_time": progress.get("gives_time"),
            "hours_per_month": progress.get("hours_per_month"),
            "age_band": AgeBand(age_band).label if age_band else "",
            "comment": progress.get("comment", ""),
            "min_responses": MIN_RESPONSES,
        },
    )


def _comfort_label(value):
    return COMFORT_LABELS[DONT_KNOW if value is None else str(value)]


def _send(request, consultation, questionnaire, progress, form, token):
    """Send the answers: checked again here, whatever the earlier pages said."""
    if rate_limited(
        request,
        f"consultation-response:{consultation.pk}",
        limit=settings.CONSULTATION_RESPONSES_PER_HOUR,
        window=3600,
    ):
        return render(
            request,
            "mapping/consultation/too_many.html",
            {"consultation": consultation},
            status=429,
        )
    form.is_valid()
    if form.caught or progress.caught:
        # A robot: say thank you as usual, and keep nothing.
        progress.clear()
        return redirect("mapping:consultation_done", slug=consultation.slug)
    ward = Ward.objects.filter(pk=progress.get("ward")).first()
    if ward is None:
        return redirect(_step_url(consultation, questionnaire.where_step))
    try:
        consultation_response_submit(
            consultation=consultation,
            browser_hash=form_state.browser_hash(token, consultation),
            ward=ward,
            comfort={int(pk): value for pk, value in progress.comfort.items()},
            gives_time=bool(progress.get("gives_time")),
            hours_per_month=progress.get("hours_per_month"),
            age_band=progress.get("age_band", ""),
            comment=progress.get("comment", ""),
        )
    except ConsultationNotOpen:
        # It closed, or went back to a draft (404), while the resident was answering.
        fresh = get_public_consultation(request, consultation.slug)
        return _not_answerable(request, fresh, None) or redirect(
            "mapping:consultation_start", slug=consultation.slug
        )
    except AlreadyResponded:
        progress.clear()
        return render(
            request, "mapping/consultation/already_answered.html", {"consultation": consultation}
        )
    except QuestionsChanged:
        fresh = form_state.Questionnaire(consultation)
        progress.forget_services_except(fresh.service_ids)
        messages.info(
            request,
            _("The questions changed while you were answering. Check your answers again."),
        )
        return redirect(_step_url(consultation, fresh.next_incomplete(progress)))
    progress.clear()
    return redirect("mapping:consultation_done", slug=consultation.slug)


STEP_VIEWS = {
    "postcode": _postcode_step,
    "ward": _ward_step,
    "services": _services_step,
    "time": _time_step,
    "about-you": _about_step,
    "check": _check_step,
}


@never_cache
@require_safe
def consultation_done(request, slug):
    consultation = get_public_consultation(request, slug)
    return render(
        request,
        "mapping/consultation/done.html",
        {"consultation": consultation, "min_responses": MIN_RESPONSES},
    )


@require_safe
def consultation_public_results(request, slug):
    consultation = get_public_consultation(request, slug)
    if not consultation.has_public_results:
        raise Http404
    return render(
        request,
        "mapping/consultation/public_results.html",
        {
            "consultation": consultation,
            "results": tabulate_results(consultation),
            "min_responses": MIN_RESPONSES,
        },
    )
