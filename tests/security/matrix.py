"""The access matrix: every URL name, how to build its address from the test world, and
what each persona gets for GET and for POST.

Adding a page is one row in ``ROWS``. Use a shorthand where one fits:

    Row("mapping:offer_edit", args=lambda w: [w.offer_a.pk],
        get=members_of_a(ok=200), post=members_of_a(ok=302), data=lambda w: {...}),

Outcomes are HTTP statuses, or ``LOGIN`` for a redirect to the sign-in page. Any outcome
in ``REFUSED`` must leave the database as it was: the matrix test counts the rows of every
table, history included, before and after such a request. Post the data that *would*
succeed for someone allowed, so a missing check shows up as a write.

The admin is covered as a group by ``test_access_matrix.test_the_admin_*``.
"""

import datetime
import itertools
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

PERSONAS = ("anonymous", "resident", "member_a", "member_b", "officer", "admin")
LOGIN = "sign in"  # a redirect to the sign-in page
REFUSED = {LOGIN, 403, 404, 405}


def everyone(outcome):
    return dict.fromkeys(PERSONAS, outcome)


def signed_in(outcome, anonymous=LOGIN):
    """Anyone signed in gets ``outcome``; anonymous people and residents sign in."""
    return {"anonymous": anonymous, "resident": anonymous} | dict.fromkeys(
        ("member_a", "member_b", "officer", "admin"), outcome
    )


def officers_only(ok=200):
    """Officer pages: members get 403, anonymous people sign in."""
    return {
        "anonymous": LOGIN,
        "resident": LOGIN,
        "member_a": 403,
        "member_b": 403,
        "officer": ok,
        "admin": ok,
    }


def members_of_a(ok=200, officer=403):
    """A page about group A: its members only; another group's member gets 404 (they may
    not know it exists); officers may see but not change (pass ``officer=200``)."""
    return {
        "anonymous": LOGIN,
        "resident": LOGIN,
        "member_a": ok,
        "member_b": 404,
        "officer": officer,
        "admin": officer,
    }


def staff_only(ok=200):
    return {
        "anonymous": LOGIN,
        "resident": LOGIN,
        "member_a": 403,
        "member_b": 403,
        "officer": 403,
        "admin": ok,
    }


READ_ONLY = everyone(405)  # a page that only answers GET


@dataclass(frozen=True)
class Row:
    name: str
    get: dict
    post: dict = field(default_factory=lambda: READ_ONLY)
    args: Any = lambda w: []
    data: Any = lambda w: {}
    query: str = ""


_unique = itertools.count(1)


def consultation_data(w):
    n = next(_unique)
    today = timezone.localdate()
    later = today + datetime.timedelta(days=30)
    return {
        "title": f"Matrix consultation {n}",
        "slug": "",
        "introduction": "Tell us.",
        "opens_on_day": today.day,
        "opens_on_month": today.month,
        "opens_on_year": today.year,
        "closes_on_day": later.day,
        "closes_on_month": later.month,
        "closes_on_year": later.year,
        "services": [w.service.pk],
    }


def service_data(w):
    w.service.refresh_from_db()
    service = w.service
    return {
        "name": service.name,
        "category": service.category_id,
        "providing_body": service.providing_body,
        "lgsl_code": "",
        "description": f"Changed {next(_unique)}",
        "annual_cost": "100000",
        "planned_budget_change": "0",
        "risk_tier": service.risk_tier,
        "delivery_model": service.delivery_model,
        "review_status": service.review_status,
        "wards": [w.ward.pk],
        "volunteer_hours_needed": "10",
        "lead_officer": "",
        "published": "on",
        "version": str(service.version),
    }


ROWS = [
    # Site pages
    Row("home", get=everyone(200)),
    Row("healthz", get=everyone(200)),
    Row("readyz", get=everyone(200)),
    Row("privacy", get=everyone(200)),
    Row("accessibility", get=everyone(200)),
    # Accounts
    Row(
        "accounts:sign_in",
        get=signed_in(302, anonymous=200),
        post=signed_in(302, anonymous=200),
        data=lambda w: {"username": "nobody@example.test", "password": "not a password"},
    ),
    Row("accounts:sign_out", get=everyone(405), post=everyone(302)),
    Row(
        "accounts:password_reset",
        get=everyone(200),
        post=everyone(302),
        data=lambda w: {"email": "nobody@example.test"},
    ),
    Row("accounts:password_reset_done", get=everyone(200)),
    Row(
        "accounts:password_reset_confirm",
        args=lambda w: ["MQ", "not-a-token"],
        get=everyone(200),
        post=everyone(200),
        data=lambda w: {"new_password1": "a long new password", "new_password2": "x"},
    ),
    Row("accounts:password_reset_complete", get=everyone(200)),
    Row(
        "accounts:confirm_password",
        get=signed_in(200),
        post=signed_in(200),
        data=lambda w: {"password": "not the password"},
    ),
    Row(
        "accounts:two_factor",
        get=staff_only(200),
        post=staff_only(200),
        data=lambda w: {"code": "000000"},
    ),
    # The admin persona already has an app: set-up sends them to give a code instead.
    Row(
        "accounts:two_factor_setup",
        get=staff_only(302),
        post=staff_only(302),
        data=lambda w: {"code": "000000"},
    ),
    # Officer mapping (issue 5)
    Row("mapping:organisation_directory", get=officers_only(), post=officers_only(405)),
    Row(
        "mapping:organisation_detail",
        args=lambda w: [w.group_a.pk],
        get=officers_only(),
        post=officers_only(405),
    ),
    Row("mapping:gap_matrix", get=officers_only(), post=officers_only(405)),
    Row("mapping:gap_map", get=officers_only(), post=officers_only(405)),
    Row("mapping:gap_method", get=officers_only(), post=officers_only(405)),
    Row(
        "mapping:ward_detail",
        args=lambda w: [w.ward.code],
        get=officers_only(),
        post=officers_only(405),
    ),
    Row("mapping:support_needs", get=officers_only(), post=officers_only(405)),
    Row("services:service_list", get=officers_only(), post=officers_only(405)),
    Row(
        "services:service_detail",
        args=lambda w: [w.service.pk],
        get=officers_only(),
        post=officers_only(405),
    ),
    Row(
        "services:service_edit",
        args=lambda w: [w.service.pk],
        get=officers_only(),
        post=officers_only(302),
        data=service_data,
    ),
    # Consultations: officers (issue 6)
    Row("mapping:consultation_list", get=officers_only(), post=officers_only(405)),
    Row(
        "mapping:consultation_create",
        get=officers_only(),
        post=officers_only(302),
        data=consultation_data,
    ),
    Row(
        "mapping:consultation_edit",
        args=lambda w: [w.draft.pk],
        get=officers_only(),
        post=officers_only(302),
        data=consultation_data,
    ),
    Row(
        "mapping:consultation_results",
        args=lambda w: [w.open.pk],
        get=officers_only(),
        post=officers_only(405),
    ),
    # Consultations: residents (issue 6). The resident has answered the open one.
    Row("mapping:consultation_public_list", get=everyone(200)),
    Row("mapping:consultation_start", args=lambda w: [w.open.slug], get=everyone(200)),
    Row(
        "mapping:consultation_respond",
        args=lambda w: [w.open.slug, "ward"],
        get=everyone(200),
        post=everyone(302) | {"resident": 200},  # "you have already answered"
        data=lambda w: {"ward": w.ward.pk},
    ),
    Row("mapping:consultation_done", args=lambda w: [w.open.slug], get=everyone(200)),
    Row(
        "mapping:consultation_public_results",
        args=lambda w: [w.closed.slug],
        get=everyone(200),
    ),
    # Public directory and catalogue (issue 6)
    Row("mapping:public_directory", get=everyone(200)),
    Row("mapping:public_organisation", args=lambda w: [w.group_a.pk], get=everyone(200)),
    Row("services:public_catalogue", get=everyone(200)),
    Row("services:public_service", args=lambda w: [w.service.pk], get=everyone(200)),
]


def build_world(*, group_a, group_b, officer, member_a, member_b, admin_user):
    """The objects the rows' addresses and data are built from."""
    from mapping.models import VerificationStatus
    from tests import factories as f

    ward = f.WardFactory(code="E05999001", name="Matrix Ward")
    group_a.verification_status = VerificationStatus.VERIFIED
    group_a.save()
    group_a.wards_served.add(ward)
    service = f.ServiceFactory(name="Matrix Library", wards=[ward])
    f.CapacityOfferFactory(organisation=group_a, service=service, wards=[ward])
    today = timezone.localdate()
    open_consultation = f.ConsultationFactory(slug="matrix-open", services=[service])
    closed = f.ConsultationFactory(
        slug="matrix-closed",
        opens_on=today - datetime.timedelta(days=60),
        closes_on=today - datetime.timedelta(days=30),
        results_published=True,
        services=[service],
    )
    draft = f.ConsultationFactory(slug="matrix-draft", is_published=False, services=[service])
    return SimpleNamespace(
        ward=ward,
        service=service,
        open=open_consultation,
        closed=closed,
        draft=draft,
        group_a=group_a,
        group_b=group_b,
        officer=officer,
        member_a=member_a,
        member_b=member_b,
        admin_user=admin_user,
    )


def resident_client(world):
    """An anonymous resident who has answered the open consultation from this browser."""
    from django.test import Client, RequestFactory

    from mapping import consultation_form
    from mapping.models import ConsultationResponse

    client = Client()
    client.get(f"/have-your-say/{world.open.slug}/")
    cookie = consultation_form.BROWSER_COOKIE
    factory = RequestFactory()
    factory.cookies[cookie] = client.cookies[cookie].value
    token = consultation_form.browser_token(factory.get("/"))
    assert token, "the consultation's first page gives the browser its token"
    ConsultationResponse.objects.create(
        consultation=world.open,
        ward=world.ward,
        browser_hash=consultation_form.browser_hash(token, world.open),
    )
    return client
