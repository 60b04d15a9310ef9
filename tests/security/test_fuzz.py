"""Fuzzing with hypothesis: whatever is typed into any form, posted to any page or put in
any page's query string, the answer is a page (never a 500), wrong input is refused with
a message, and right input is saved and reads back the same."""

import datetime
import inspect
import sys
from decimal import Decimal

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import get_resolver, reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import accounts.forms
import bigsociety.forms
import mapping.filters
import mapping.forms
import mapping.group_forms
import services.filters
import services.forms
from mapping.models import (
    AgeBand,
    CapacityOffer,
    Consultation,
    ConsultationResponse,
    Governance,
    IncomeBand,
    LegalForm,
    OfferRole,
    Organisation,
    Ward,
    Willingness,
)
from services.models import (
    DeliveryModel,
    EoiStatus,
    ExpressionOfInterest,
    MonitoringReturn,
    ProvidingBody,
    ReviewStatus,
    RiskTier,
    Service,
)
from tests.security.matrix import PERSONAS, REFUSED, ROWS
from tests.security.test_access_matrix import clients, undone, world  # noqa: F401

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# What a tired officer, a volunteer on a phone or someone probing the site might send.
ODD = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "1.5",
        "99999999999999999999999",
        "1e309",
        "NaN",
        "None",
        "on",
        "yes",
        "csv",
        "xlsx",
        "-name",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "\x00",
        "nul\x00inside",
        "ＳＥ６ ４ＲＵ",
        "\u202eevil",
        "../../etc/passwd",
        "%",
        "E05999001",
        "SE6 4RU",
        "2026-02-30",
        "£25,000",
        "- £1,500.50",
        "x" * 5000,
    ]
)
VALUE = st.one_of(ODD, st.text(max_size=40), st.integers(-(10**15), 10**15).map(str))
VALUES = st.one_of(VALUE, st.lists(VALUE, max_size=3))


# Every form -------------------------------------------------------------------------------


def project_forms():
    """Every form class written for the site (not the bases in bigsociety.forms), in any
    module the site has loaded: loading the URLs loads every view and its forms."""
    get_resolver().url_patterns  # noqa: B018
    found = {}
    for module_name, module in list(sys.modules.items()):
        if module_name.split(".")[0] in ("accounts", "mapping", "services", "bigsociety"):
            for name, cls in inspect.getmembers(module, inspect.isclass):
                if (
                    issubclass(cls, forms.BaseForm)
                    and cls.__module__ == module_name
                    and module is not bigsociety.forms
                ):
                    found[f"{module_name}.{name}"] = cls
    return found


def _request(user):
    request = RequestFactory().post("/")
    request.user = user
    request.session = {}
    return request


def _with_wards(w):
    """The matrix service as the offer pages load it, with the wards it covers."""
    service = Service.objects.get(pk=w.service.pk)
    service.ward_list = list(service.wards.all())
    return service


def _uploading(form_class):
    """Build an import form with what was posted for its file fields sent as the files'
    content instead, as a browser uploads them."""

    def build(data, w):
        data = data.copy()
        files = MultiValueDict()
        for name, field in form_class.base_fields.items():
            if not isinstance(field, forms.FileField):
                continue
            for n, text in enumerate(data.pop(name, [])):
                upload = SimpleUploadedFile(f"upload{n}.csv", str(text).encode())
                files.appendlist(name, upload)
        return form_class(data, files)

    return build


# How to make each form, given its data and the test world.
BUILDERS = {
    "accounts.forms.SignInForm": lambda data, w: accounts.forms.SignInForm(
        _request(w.officer), data
    ),
    "accounts.forms.PasswordResetForm": lambda data, w: accounts.forms.PasswordResetForm(data),
    "accounts.forms.SetPasswordForm": lambda data, w: accounts.forms.SetPasswordForm(
        w.officer, data
    ),
    "accounts.forms.ConfirmPasswordForm": lambda data, w: accounts.forms.ConfirmPasswordForm(
        data, request=_request(w.officer)
    ),
    "accounts.forms.TwoFactorCodeForm": lambda data, w: accounts.forms.TwoFactorCodeForm(
        data, devices=[]
    ),
    "mapping.forms.ConsultationForm": lambda data, w: mapping.forms.ConsultationForm(data),
    "mapping.forms.PostcodeForm": lambda data, w: mapping.forms.PostcodeForm(data),
    "mapping.forms.WardForm": lambda data, w: mapping.forms.WardForm(
        data, wards=Ward.objects.all()
    ),
    "mapping.forms.ComfortForm": lambda data, w: mapping.forms.ComfortForm(
        data, services=[w.service]
    ),
    "mapping.forms.TimeForm": lambda data, w: mapping.forms.TimeForm(data),
    "mapping.forms.AboutYouForm": lambda data, w: mapping.forms.AboutYouForm(data),
    "mapping.forms.SendForm": lambda data, w: mapping.forms.SendForm(data),
    "mapping.filters.SupportNeedsForm": lambda data, w: mapping.filters.SupportNeedsForm(data),
    "services.forms.ServiceForm": lambda data, w: services.forms.ServiceForm(
        data, instance=w.service
    ),
    # Sign-up and community groups (issue 4)
    "accounts.forms.SignUpForm": lambda data, w: accounts.forms.SignUpForm(data),
    "mapping.group_forms.OrganisationForm": lambda data, w: mapping.group_forms.OrganisationForm(
        data, instance=Organisation.objects.get(pk=w.group_a.pk)
    ),
    "mapping.group_forms.InvitationForm": lambda data, w: mapping.group_forms.InvitationForm(
        data, organisation=w.group_a
    ),
    "mapping.group_forms.MemberRoleForm": lambda data, w: mapping.group_forms.MemberRoleForm(data),
    "mapping.group_forms.CapacityOfferForm": lambda data, w: mapping.group_forms.CapacityOfferForm(
        data, instance=CapacityOffer.objects.get(pk=w.offer_a.pk), service=_with_wards(w)
    ),
    "mapping.group_forms.ReviewForm": lambda data, w: mapping.group_forms.ReviewForm(data),
    # Imports (issue 8): whatever is posted as a file's content is uploaded as the file.
    "mapping.forms.ImportForm": _uploading(mapping.forms.ImportForm),
    "mapping.forms.WardImportForm": _uploading(mapping.forms.WardImportForm),
    "mapping.forms.DeprivationImportForm": _uploading(mapping.forms.DeprivationImportForm),
    "mapping.forms.OrganisationImportForm": _uploading(mapping.forms.OrganisationImportForm),
    "mapping.forms.ServiceImportForm": _uploading(mapping.forms.ServiceImportForm),
    "mapping.forms.PostcodeImportForm": _uploading(mapping.forms.PostcodeImportForm),
    # The handover (issue 7)
    "services.forms.EoiForm": lambda data, w: services.forms.EoiForm(
        data, instance=ExpressionOfInterest.objects.get(pk=w.eoi.pk), organisation=w.group_a
    ),
    "services.forms.PartnerInviteForm": lambda data, w: services.forms.PartnerInviteForm(
        data, eoi=w.eoi
    ),
    "services.forms.PartnerResponseForm": lambda data, w: services.forms.PartnerResponseForm(data),
    "services.forms.WithdrawForm": lambda data, w: services.forms.WithdrawForm(data),
    "services.forms.DecisionForm": lambda data, w: services.forms.DecisionForm(
        data, moves=[EoiStatus.UNDER_REVIEW, EoiStatus.ACCEPTED, EoiStatus.REJECTED]
    ),
    "services.forms.AgreementForm": lambda data, w: services.forms.AgreementForm(
        data, eoi=w.accepted_eoi
    ),
    "services.forms.ReturnForm": lambda data, w: services.forms.ReturnForm(
        data, indicators=[w.indicator]
    ),
    "services.forms.RatingForm": lambda data, w: services.forms.RatingForm(data),
    "services.forms.NominationForm": lambda data, w: services.forms.NominationForm(
        data, organisation=w.group_a
    ),
    "services.forms.NominationDecisionForm": lambda data, w: services.forms.NominationDecisionForm(
        data, nomination=w.nomination
    ),
    "services.forms.SaleNoticeForm": lambda data, w: services.forms.SaleNoticeForm(data),
    "services.forms.IntentionToBidForm": lambda data, w: services.forms.IntentionToBidForm(
        data, organisation=w.group_b
    ),
}


def test_every_form_is_fuzzed():
    assert sorted(set(project_forms()) - set(BUILDERS)) == [], (
        "Add a builder for each new form to BUILDERS in tests/security/test_fuzz.py"
    )


def field_keys(form):
    """The names the form reads from posted data, date parts included."""
    keys = []
    for name, field in form.fields.items():
        keys.append(form.add_prefix(name))
        if isinstance(field.widget, forms.MultiWidget):
            keys += [f"{name}_{part}" for part in ("day", "month", "year")]
    return keys


def assert_refused_with_messages(form):
    assert form.errors, "an invalid form must say why"
    for field, messages in form.errors.items():
        assert field == "__all__" or field in form.fields
        assert all(str(message).strip() for message in messages)
    # The page shows each message, in the summary and beside the field.
    summary = render_to_string("govuk/error_summary.html", {"form": form})
    for messages in form.errors.values():
        for message in messages:
            assert str(forms.utils.escape(message)) in summary or message in summary
    str(form)


@pytest.mark.parametrize("form_name", sorted(BUILDERS))
@FUZZ
@given(data=st.data())
def test_any_input_to_a_form_is_accepted_or_explained(form_name, world, data):  # noqa: F811
    form = BUILDERS[form_name]({}, world)
    keys = [*field_keys(form), "website", "unexpected"]
    posted = data.draw(st.dictionaries(st.sampled_from(keys), VALUES, max_size=len(keys)))
    form = BUILDERS[form_name](_as_querydict(posted), world)
    if not form.is_valid():
        assert_refused_with_messages(form)


def _as_querydict(values):
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for key, value in values.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    return data


# Every page's query string -----------------------------------------------------------------

QUERY_KEYS = sorted(
    {
        name
        for filterset in (
            mapping.filters.OrganisationFilter,
            mapping.filters.GapMapFilter,
            mapping.filters.ConsultationFilter,
            mapping.filters.PublicOrganisationFilter,
            mapping.filters.ImportRunFilter,
            mapping.filters.GroupOfferFilter,
            mapping.filters.ServiceBrowseFilter,
            mapping.filters.ReviewQueueFilter,
            services.filters.ServiceFilter,
            services.filters.PublicServiceFilter,
            services.filters.PipelineFilter,
            services.filters.AccountabilityFilter,
        )
        for name in filterset.base_filters
    }
    | set(mapping.filters.SupportNeedsForm.base_fields)
    | {"sort", "page", "per_page", "export", "table", "return", "comments", "next", "unexpected"}
    | {"service"}  # a new expression of interest for a service named in the address
)
GET_PAGES = [row for row in ROWS if any(row.get[p] == 200 for p in PERSONAS)]


def shows_its_errors(response):
    """A page with a form in error shows the messages (a 429 page says why instead)."""
    if response.status_code != 200:
        return True
    context = response.context or {}
    form = context.get("form") if hasattr(context, "get") else None
    if isinstance(form, forms.BaseForm) and form.is_bound and form.errors:
        return "govuk-error-message" in response.text or "govuk-error-summary" in response.text
    return True


@pytest.mark.parametrize("row", GET_PAGES, ids=lambda row: row.name)
@FUZZ
@given(query=st.dictionaries(st.sampled_from(QUERY_KEYS), VALUES, max_size=5))
def test_any_query_string_gives_the_page(row, world, clients, query):  # noqa: F811
    persona = next(p for p in PERSONAS if row.get[p] == 200)
    url = reverse(row.name, args=row.args(world))
    response = clients[persona].get(url, query)
    if response.streaming:
        b"".join(response.streaming_content)
    if response["Content-Type"] == "application/json" and response.status_code == 400:
        # The open data API (issue 8) answers a bad page number as APIs do: 400, saying
        # what is wrong, never a page of something else.
        assert "must be a whole number" in response.json()["error"], (url, query)
        return
    assert response.status_code == 200, (url, query)
    assert shows_its_errors(response), (url, query)


# Everything posted to every page -------------------------------------------------------------

POST_PAGES = [
    row
    for row in ROWS
    if any(row.post[p] not in REFUSED for p in PERSONAS) and row.name != "accounts:sign_out"
]


@pytest.mark.parametrize("row", POST_PAGES, ids=lambda row: row.name)
@FUZZ
@given(data=st.data())
def test_anything_posted_is_saved_or_explained(row, world, clients, data):  # noqa: F811
    persona = next(p for p in PERSONAS if row.post[p] not in REFUSED)
    url = reverse(row.name, args=row.args(world))
    keys = [*row.data(world), "website", "unexpected"]
    posted = data.draw(st.dictionaries(st.sampled_from(keys), VALUES, max_size=len(keys)))
    with undone():  # each example meets the same world: a member removed is there again
        response = clients[persona].post(url, posted)
    assert response.status_code < 500, (url, posted)
    assert response.status_code in (200, 302, 429), (url, posted, response.status_code)
    assert shows_its_errors(response), (url, posted)


# Right input is saved and reads back the same ----------------------------------------------------

PRINTABLE = st.characters(
    blacklist_categories=["Cc", "Cs", "Co", "Cn", "Zl", "Zp"], blacklist_characters="\x00"
)
NAME = st.text(PRINTABLE, min_size=1, max_size=200).map(str.strip).filter(bool)
TEXT = st.text(PRINTABLE, max_size=500).map(str.strip)
POUNDS = st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2)


@FUZZ
@given(
    name=NAME,
    description=TEXT,
    cost=st.one_of(st.none(), POUNDS),
    change=st.decimals(
        min_value=Decimal("-9999999.99"), max_value=Decimal("9999999.99"), places=2
    ),
    hours=st.integers(0, 1_000_000),
    lgsl=st.one_of(st.none(), st.integers(1, 99999)),
    risk=st.sampled_from(RiskTier.values),
    review=st.sampled_from(ReviewStatus.values),
    model=st.sampled_from(DeliveryModel.values),
    body=st.sampled_from(ProvidingBody.values),
    statutory=st.booleans(),
    published=st.booleans(),
)
def test_a_valid_service_is_saved_and_reads_back_the_same(
    world,  # noqa: F811
    clients,  # noqa: F811
    name,
    description,
    cost,
    change,
    hours,
    lgsl,
    risk,
    review,
    model,
    body,
    statutory,
    published,
):
    service = Service.objects.get(pk=world.service.pk)
    data = {
        "name": name,
        "category": service.category_id,
        "providing_body": body,
        "lgsl_code": "" if lgsl is None else str(lgsl),
        "description": description,
        "annual_cost": "" if cost is None else f"£{cost:,}",
        "planned_budget_change": str(change),
        "risk_tier": risk,
        "delivery_model": model,
        "review_status": review,
        "wards": [world.ward.pk],
        "volunteer_hours_needed": str(hours),
        "lead_officer": world.officer.pk,
        "version": str(service.version),
    }
    if statutory:
        data["statutory_duty"] = "on"
    if published:
        data["published"] = "on"
    response = clients["officer"].post(reverse("services:service_edit", args=[service.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    saved = Service.objects.get(pk=service.pk)
    assert (saved.name, saved.description) == (name, description)
    assert (saved.annual_cost, saved.planned_budget_change) == (cost, change)
    assert (saved.volunteer_hours_needed, saved.lgsl_code) == (hours, lgsl)
    assert (saved.risk_tier, saved.review_status, saved.delivery_model) == (risk, review, model)
    assert (saved.providing_body, saved.statutory_duty, saved.published) == (
        body,
        statutory,
        published,
    )
    assert saved.lead_officer == world.officer
    assert list(saved.wards.all()) == [world.ward]


@FUZZ
@given(
    title=NAME,
    introduction=TEXT,
    opens_in=st.integers(-30, 30),
    lasts=st.integers(0, 90),
    published=st.booleans(),
)
def test_a_valid_consultation_is_saved_and_reads_back_the_same(
    world,  # noqa: F811
    clients,  # noqa: F811
    title,
    introduction,
    opens_in,
    lasts,
    published,
):
    opens = timezone.localdate() + datetime.timedelta(days=opens_in)
    closes = opens + datetime.timedelta(days=lasts)
    data = {
        "title": title,
        "slug": "",
        "introduction": introduction,
        "services": [world.service.pk],
    }
    for name, day in (("opens_on", opens), ("closes_on", closes)):
        data |= {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}
    if published:
        data["is_published"] = "on"
    response = clients["officer"].post(reverse("mapping:consultation_create"), data)
    assert response.status_code == 302, response.context["form"].errors
    saved = Consultation.objects.latest("pk")
    assert (saved.title, saved.introduction) == (title, introduction)
    assert (saved.opens_on, saved.closes_on, saved.is_published) == (opens, closes, published)
    assert list(saved.services.all()) == [world.service]


@FUZZ
@given(
    comfort=st.sampled_from(["1", "2", "3", "4", "5", "dont_know"]),
    gives_time=st.booleans(),
    hours=st.integers(1, 160),
    age=st.sampled_from([*AgeBand.values, "prefer_not"]),
    comment=st.text(PRINTABLE, max_size=2000).map(str.strip),
)
def test_a_residents_answers_are_saved_as_given(world, comfort, gives_time, hours, age, comment):  # noqa: F811
    from django.test import Client

    client = Client()
    step = f"/have-your-say/{world.open.slug}"
    client.get(f"{step}/")
    assert client.post(f"{step}/ward/", {"ward": world.ward.pk}).status_code == 302
    field = f"comfort_{world.service.pk}"
    assert client.post(f"{step}/services-1/", {field: comfort}).status_code == 302
    time = {"gives_time": "yes" if gives_time else "no", "hours_per_month": hours}
    assert client.post(f"{step}/time/", time).status_code == 302
    about = {"age_band": age, "comment": comment}
    assert client.post(f"{step}/about-you/", about).status_code == 302
    before = ConsultationResponse.objects.count()
    assert client.post(f"{step}/check/", {}).status_code == 302
    assert ConsultationResponse.objects.count() == before + 1
    saved = ConsultationResponse.objects.latest("pk")
    assert saved.ward == world.ward
    assert (saved.gives_time, saved.hours_per_month) == (gives_time, hours if gives_time else None)
    assert saved.age_band == ("" if age == "prefer_not" else age)
    assert saved.comment == comment
    answer = saved.answers.get()
    assert answer.comfort == (None if comfort == "dont_know" else int(comfort))


@pytest.fixture(autouse=True)
def generous_limits(settings):
    # Fuzzing sends many responses and sign-ins from one address; the limits are tested
    # elsewhere.
    settings.CONSULTATION_RESPONSES_PER_HOUR = 10_000
    settings.PASSWORD_RESETS_PER_HOUR_PER_ADDRESS = 10_000


@pytest.mark.parametrize("huge", ["99999999999999999999999", "-99999999999999999999999"])
def test_an_id_too_big_for_the_database_is_refused_with_a_message(world, huge):  # noqa: F811
    """Found by the fuzzing above: Django asked the database, which failed (a 500)."""
    form = mapping.forms.ConsultationForm({"title": "T", "services": [huge]})
    assert not form.is_valid()
    assert "Select a valid choice" in " ".join(form.errors["services"])
    service_form = services.forms.ServiceForm({"wards": [huge]}, instance=world.service)
    assert not service_form.is_valid()
    assert service_form.errors["wards"]


# Right input to the community groups' and the handover's forms (issues 4 and 7) ------------

LONG_TEXT = st.text(PRINTABLE, min_size=1, max_size=2000).map(str.strip).filter(bool)


@FUZZ
@given(
    name=NAME,
    description=LONG_TEXT,
    volunteers=st.integers(0, 1_000_000),
    staff=st.integers(0, 1_000_000),
    legal_form=st.sampled_from(LegalForm.values),
    income=st.sampled_from(IncomeBand.values),
    contact=st.text(PRINTABLE, min_size=1, max_size=150).map(str.strip).filter(bool),
    published=st.booleans(),
    whole_borough=st.booleans(),
)
def test_a_groups_valid_details_are_saved_and_read_back_the_same(
    world,  # noqa: F811
    clients,  # noqa: F811
    name,
    description,
    volunteers,
    staff,
    legal_form,
    income,
    contact,
    published,
    whole_borough,
):
    group = Organisation.objects.get(pk=world.group_a.pk)
    data = {
        "version": group.version,
        "name": name,
        "legal_form": legal_form,
        "charity_number": "",
        "company_number": "",
        "description": description,
        "area": "borough" if whole_borough else "wards",
        "wards_served": [world.ward.pk],
        "volunteers": f"{volunteers:,}",
        "paid_staff": str(staff),
        "income_band": income,
        "address": "",
        "postcode": "se6 4ru",
        "website": "",
        "contact_name": contact,
        "contact_email": "contact@example.test",
        "contact_phone": "",
    }
    if published:
        data["publish_contact"] = "on"
    url = reverse("mapping:group_profile_edit", args=[group.pk])
    response = clients["member_a"].post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    saved = Organisation.objects.get(pk=group.pk)
    assert saved.name == " ".join(name.split())
    assert (saved.description, saved.contact_name) == (description, contact)
    assert (saved.volunteers, saved.paid_staff) == (volunteers, staff)
    assert (saved.legal_form, saved.income_band) == (legal_form, income)
    assert (saved.publish_contact, saved.serves_whole_borough) == (published, whole_borough)
    assert (saved.postcode, saved.contact_email) == ("SE6 4RU", "contact@example.test")
    wards = [] if whole_borough else [world.ward]
    assert list(saved.wards_served.all()) == wards


@FUZZ
@given(
    willingness=st.sampled_from(Willingness.values),
    role=st.sampled_from(OfferRole.values),
    governance=st.sampled_from(Governance.values),
    hours=st.integers(0, 100_000),
    volunteers=st.integers(0, 1_000_000),
    conditions=st.text(PRINTABLE, max_size=3000).map(str.strip),
    starts_in=st.one_of(st.none(), st.integers(-3650, 3000)),
)
def test_a_valid_offer_is_saved_and_reads_back_the_same(
    world,  # noqa: F811
    clients,  # noqa: F811
    willingness,
    role,
    governance,
    hours,
    volunteers,
    conditions,
    starts_in,
):
    offer = CapacityOffer.objects.get(pk=world.offer_a.pk)
    start = None if starts_in is None else timezone.localdate() + datetime.timedelta(starts_in)
    data = {
        "version": offer.version,
        "where": "some",
        "wards": [world.ward.pk],
        "willingness": willingness,
        "role": role,
        "preferred_governance": governance,
        "volunteer_hours_per_month": str(hours),
        "volunteers": str(volunteers),
        "conditions": conditions,
        "earliest_start_day": start.day if start else "",
        "earliest_start_month": start.month if start else "",
        "earliest_start_year": start.year if start else "",
    }
    url = reverse("mapping:offer_edit", args=[world.group_a.pk, offer.pk])
    response = clients["member_a"].post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    saved = CapacityOffer.objects.get(pk=offer.pk)
    assert (saved.willingness, saved.role, saved.preferred_governance) == (
        willingness,
        role,
        governance,
    )
    assert (saved.volunteer_hours_per_month, saved.volunteers) == (hours, volunteers)
    assert (saved.conditions, saved.earliest_start) == (conditions, start)
    assert list(saved.wards.all()) == [world.ward]


@FUZZ
@given(
    route=st.sampled_from(["right_to_challenge", "co_production", "volunteering"]),
    proposal=LONG_TEXT,
    evidence=st.text(PRINTABLE, max_size=2000).map(str.strip),
    notes=st.text(PRINTABLE, max_size=2000).map(str.strip),
)
def test_a_valid_draft_is_saved_and_reads_back_the_same(
    world,  # noqa: F811
    clients,  # noqa: F811
    route,
    proposal,
    evidence,
    notes,
):
    eoi = ExpressionOfInterest.objects.get(pk=world.eoi.pk)
    data = {
        "version": eoi.version,
        "subject": f"service:{world.service.pk}",
        "route": route,
        "proposal": proposal,
        "capacity_evidence": evidence,
        "support_notes": notes,
        "offers": [world.offer_a.pk],
    }
    response = clients["member_a"].post(reverse("services:eoi_edit", args=[eoi.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    saved = ExpressionOfInterest.objects.get(pk=eoi.pk)
    assert (saved.route, saved.proposal) == (route, proposal)
    assert (saved.capacity_evidence, saved.support_notes) == (evidence, notes)
    assert (saved.service, list(saved.offers.all())) == (world.service, [world.offer_a])


@FUZZ
@given(
    value=st.decimals(
        min_value=Decimal("-9999999999.99"), max_value=Decimal("9999999999.99"), places=2
    ),
    hours=st.integers(0, 999_999),
    complaints=st.integers(0, 99_999),
    narrative=LONG_TEXT,
)
def test_a_valid_return_is_saved_and_reads_back_the_same(
    world,  # noqa: F811
    clients,  # noqa: F811
    value,
    hours,
    complaints,
    narrative,
):
    returned = world.monitoring_return
    data = {
        f"indicator_{world.indicator.pk}": str(value),
        "volunteer_hours": str(hours),
        "complaints": str(complaints),
        "narrative": narrative,
    }
    response = clients["member_a"].post(reverse("services:return_send", args=[returned.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    saved = MonitoringReturn.objects.get(pk=returned.pk)
    assert (saved.volunteer_hours, saved.complaints, saved.narrative) == (
        hours,
        complaints,
        narrative,
    )
    assert saved.values.get().value == value
