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

from django.core.files.uploadedfile import SimpleUploadedFile
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


def organisation_data(w, **changes):
    """A group's details as its register and profile forms take them."""
    return {
        "name": f"Matrix Group {next(_unique)}",
        "legal_form": "unincorporated",
        "charity_number": "",
        "company_number": "",
        "description": "We help our neighbours.",
        "area": "wards",
        "wards_served": [w.ward.pk],
        "volunteers": "12",
        "paid_staff": "0",
        "income_band": "under_10k",
        "address": "",
        "postcode": "SE6 4RU",
        "website": "",
        "contact_name": "Matrix Contact",
        "contact_email": "contact@matrix.example",
        "contact_phone": "",
    } | changes


def profile_data(w):
    w.group_a.refresh_from_db()
    return organisation_data(w, name=w.group_a.name, version=str(w.group_a.version))


def offer_data(w, **changes):
    from tests.groups.conftest import offer_data

    return offer_data(**changes)


def offer_edit_data(w):
    w.offer_a.refresh_from_db()
    return offer_data(w, volunteer_hours_per_month="30", version=str(w.offer_a.version))


def eoi_data(w):
    w.eoi.refresh_from_db()
    return {
        "version": str(w.eoi.version),
        "subject": f"service:{w.eoi.service_id}",
        "route": "co_production",
        "proposal": f"Open on Saturdays {next(_unique)}",
        "capacity_evidence": "Twelve volunteers.",
    }


def day_fields(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def agreement_data(w):
    return {
        "description": "The group opens the hall on Saturdays.",
        "wards": [w.ward.pk],
        "delivery_model": "co_produced",
        **day_fields("starts_on", timezone.localdate()),
        "ends_on_day": "",
        "ends_on_month": "",
        "ends_on_year": "",
        "council_funding": "0",
        "return_frequency": "quarterly",
        "indicator_1_name": "Saturday visits",
    }


def return_data(w):
    return {
        f"indicator_{w.indicator.pk}": "120",
        "volunteer_hours": "40",
        "complaints": "0",
        "narrative": f"Busy Saturdays {next(_unique)}",
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
    # Sign-up and email confirmation (issue 4): anyone signed in already has an account.
    Row(
        "accounts:sign_up",
        get=signed_in(302, anonymous=200),
        post=everyone(302),
        data=lambda w: {
            "full_name": "Tina Treasurer",
            "email": f"tina{next(_unique)}@example.test",
            "password": "orange bicycle lamp river",
            "agree_privacy": "on",
        },
    ),
    # The personas' addresses are confirmed: only someone not signed in is asked to check.
    Row("accounts:check_email", get=signed_in(302, anonymous=200)),
    Row("accounts:resend_confirmation", get=everyone(405), post=everyone(302)),
    # Following the link confirms the address it was sent to, whoever follows it.
    Row(
        "accounts:confirm_email",
        args=lambda w: [w.confirmation_token],
        get=everyone(200),
    ),
    # Community groups (issue 4). Alice (member_a) owns group A with Hana, a second owner.
    Row(
        "mapping:my_groups",
        # Someone in one group goes straight to its page.
        get=signed_in(302) | {"officer": 200, "admin": 200},
        post=signed_in(405),
    ),
    Row(
        "mapping:organisation_register",
        get=signed_in(200),
        post=signed_in(302),
        data=organisation_data,
    ),
    # Only the invited address (Bob's) may accept; anyone holding the link sees whom it is
    # from.
    Row(
        "mapping:invitation_accept",
        args=lambda w: [w.invitation_token],
        get=everyone(403) | {"anonymous": 200, "resident": 200, "member_b": 200},
        post=everyone(403) | {"anonymous": LOGIN, "resident": LOGIN, "member_b": 302},
    ),
    # Officers have their own page about a group, and are sent there.
    Row(
        "mapping:group_dashboard",
        args=lambda w: [w.group_a.pk],
        get=members_of_a(ok=200, officer=302),
        post=signed_in(405),
    ),
    Row(
        "mapping:group_profile_edit",
        args=lambda w: [w.group_a.pk],
        get=members_of_a(ok=200),
        post=members_of_a(ok=302),
        data=profile_data,
    ),
    Row(
        "mapping:group_members",
        args=lambda w: [w.group_a.pk],
        get=members_of_a(ok=200, officer=200),
        post=signed_in(405),
    ),
    Row(
        "mapping:member_invite",
        args=lambda w: [w.group_a.pk],
        get=members_of_a(ok=200),
        post=members_of_a(ok=302),
        data=lambda w: {"email": f"helper{next(_unique)}@example.test", "role": "editor"},
    ),
    Row(
        "mapping:member_role",
        args=lambda w: [w.group_a.pk, w.helper_membership.pk],
        get=members_of_a(ok=200),
        post=members_of_a(ok=302),
        data=lambda w: {"role": "editor"},
    ),
    Row(
        "mapping:member_remove",
        args=lambda w: [w.group_a.pk, w.helper_membership.pk],
        get=members_of_a(ok=200),
        post=members_of_a(ok=302),
    ),
    Row(
        "mapping:invitation_cancel",
        args=lambda w: [w.group_a.pk, w.invitation.pk],
        get=members_of_a(ok=200),
        post=members_of_a(ok=302),
    ),
    # Alice may leave: Hana owns the group too. An officer has nothing to leave.
    Row(
        "mapping:group_leave",
        args=lambda w: [w.group_a.pk],
        get=members_of_a(ok=200, officer=302),
        post=members_of_a(ok=302, officer=302),
    ),
    Row(
        "mapping:offer_list",
        args=lambda w: [w.group_a.pk],
        get=members_of_a(ok=200, officer=200),
        post=signed_in(405),
    ),
    Row(
        "mapping:offer_choose_service",
        args=lambda w: [w.group_a.pk],
        get=members_of_a(ok=200),
        post=signed_in(405),
    ),
    Row(
        "mapping:offer_create",
        args=lambda w: [w.group_a.pk, w.other_service.pk],
        get=members_of_a(ok=200),
        post=members_of_a(ok=302),
        data=offer_data,
    ),
    Row(
        "mapping:offer_edit",
        args=lambda w: [w.group_a.pk, w.offer_a.pk],
        get=members_of_a(ok=200),
        post=members_of_a(ok=302),
        data=offer_edit_data,
    ),
    Row(
        "mapping:offer_withdraw",
        args=lambda w: [w.group_a.pk, w.offer_a.pk],
        get=members_of_a(ok=200),
        post=members_of_a(ok=302),
    ),
    # Officer review of groups (issue 4)
    Row("mapping:review_queue", get=officers_only(), post=officers_only(405)),
    Row(
        "mapping:review_organisation",
        args=lambda w: [w.pending.pk],
        get=officers_only(),
        post=officers_only(302),
        data=lambda w: {"decision": "verify", "reason": "", "version": str(w.pending.version)},
    ),
    # Imports (issue 8)
    Row("mapping:import_list", get=officers_only(), post=officers_only(405)),
    Row(
        "mapping:import_upload",
        args=lambda w: ["organisations"],
        get=officers_only(),
        post=officers_only(302),
        data=lambda w: {
            "file": SimpleUploadedFile("groups.csv", b"Name,Identifiers\nMatrix Club,\n"),
            "format": "csv",
            "encoding": "utf-8",
        },
    ),
    Row(
        "mapping:import_run",
        args=lambda w: [w.import_run.pk],
        get=officers_only(),
        post=officers_only(405),
    ),
    # Handover (issue 7): a group's page, its expression of interest (a draft by group A
    # with group B as a partner: B sees it, cannot change it), agreements and returns.
    Row(
        "services:group_handover",
        args=lambda w: [w.group_a.pk],
        get=members_of_a(ok=200, officer=200),
        post=signed_in(405),
    ),
    Row(
        "services:eoi_new",
        args=lambda w: [w.group_a.pk],
        get=members_of_a(ok=200),
        post=members_of_a(ok=302),
        data=lambda w: {
            "subject": f"asset:{w.council_hall.pk}",
            "route": "asset_transfer",
            "proposal": "Run the hall as a community centre.",
            "capacity_evidence": "Twenty volunteers.",
        },
    ),
    Row(
        "services:eoi_detail",
        args=lambda w: [w.eoi.pk],
        get=signed_in(200),
        post=signed_in(405),
    ),
    Row(
        "services:eoi_edit",
        args=lambda w: [w.eoi.pk],
        get=members_of_a(ok=200) | {"member_b": 403},
        post=members_of_a(ok=302) | {"member_b": 403},
        data=eoi_data,
    ),
    Row(
        "services:eoi_partners",
        args=lambda w: [w.eoi.pk],
        get=members_of_a(ok=200) | {"member_b": 403},
        post=members_of_a(ok=302) | {"member_b": 403},
        data=lambda w: {"organisation": w.group_c.pk},
    ),
    Row(
        "services:partner_remove",
        args=lambda w: [w.eoi.pk, w.partner_b.pk],
        get=members_of_a(ok=200) | {"member_b": 403},
        post=members_of_a(ok=302) | {"member_b": 403},
    ),
    # Only the partner group answers its invitation; the lead group may not answer for it.
    Row(
        "services:partner_respond",
        args=lambda w: [w.eoi.pk, w.partner_b.pk],
        get=signed_in(403) | {"member_b": 200},
        post=signed_in(403) | {"member_b": 302},
        data=lambda w: {"answer": "accept"},
    ),
    Row(
        "services:eoi_submit",
        args=lambda w: [w.eoi.pk],
        get=members_of_a(ok=200) | {"member_b": 403},
        post=members_of_a(ok=302) | {"member_b": 403},
    ),
    Row(
        "services:eoi_withdraw",
        args=lambda w: [w.eoi.pk],
        get=members_of_a(ok=200) | {"member_b": 403},
        post=members_of_a(ok=302) | {"member_b": 403},
        data=lambda w: {"reason": "We have too few volunteers."},
    ),
    Row(
        "services:eoi_decide",
        args=lambda w: [w.submitted_eoi.pk],
        get=officers_only(),
        post=officers_only(302),
        data=lambda w: {"decision": "under_review", "reason": ""},
    ),
    Row(
        "services:agreement_new",
        args=lambda w: [w.accepted_eoi.pk],
        get=officers_only(),
        post=officers_only(302),
        data=agreement_data,
    ),
    Row(
        "services:agreement_detail",
        args=lambda w: [w.agreement.pk],
        get=members_of_a(ok=200, officer=200),
        post=signed_in(405),
    ),
    Row(
        "services:return_detail",
        args=lambda w: [w.monitoring_return.pk],
        get=members_of_a(ok=200, officer=200),
        post=signed_in(405),
    ),
    # Sent in, not yet reviewed: the group may still correct it.
    Row(
        "services:return_send",
        args=lambda w: [w.monitoring_return.pk],
        get=members_of_a(ok=200),
        post=members_of_a(ok=302),
        data=return_data,
    ),
    Row(
        "services:return_review",
        args=lambda w: [w.monitoring_return.pk],
        get=officers_only(),
        post=officers_only(302),
        data=lambda w: {"rating": "green", "comment": "On track."},
    ),
    # Assets of Community Value (issue 7)
    Row(
        "services:nominate",
        args=lambda w: [w.group_a.pk],
        get=members_of_a(ok=200),
        post=members_of_a(ok=302),
        data=lambda w: {
            "asset": str(w.council_hall.pk),
            "reason": "The only hall on the estate.",
            "declared": "on",
        },
    ),
    Row(
        "services:intention_to_bid",
        args=lambda w: [w.group_a.pk, w.sale_notice.pk],
        get=members_of_a(ok=200),
        post=members_of_a(ok=302),
        data=lambda w: {"declared": "on"},
    ),
    Row(
        "services:nomination_detail",
        args=lambda w: [w.nomination.pk],
        get=members_of_a(ok=200, officer=200),
        post=signed_in(405),
    ),
    Row(
        "services:nomination_decide",
        args=lambda w: [w.nomination.pk],
        get=officers_only(),
        post=officers_only(302),
        data=lambda w: {
            "decision": "listed",
            **day_fields("listed_on", timezone.localdate()),
            "reason": "It furthers the social wellbeing of the community.",
        },
    ),
    Row("services:pipeline", get=officers_only(), post=officers_only(405)),
    Row("services:acv_officer", get=officers_only(), post=officers_only(405)),
    Row(
        "services:sale_notice_new",
        args=lambda w: [w.unsold_asset.pk],
        get=officers_only(),
        post=officers_only(302),
        data=lambda w: day_fields("notified_on", timezone.localdate()),
    ),
    # Public accountability (issue 7) and Open Referral UK (issue 8): open to everyone.
    Row("services:accountability", get=everyone(200)),
    Row(
        "services:accountability_detail",
        args=lambda w: [w.agreement.pk],
        get=everyone(200),
    ),
    Row("services:acv_register", get=everyone(200)),
    Row("services:oruk_api_details", get=everyone(200)),
    Row("services:oruk_organizations", get=everyone(200)),
    Row("services:oruk_services", get=everyone(200)),
    Row(
        "services:oruk_service",
        args=lambda w: [w.oruk_service_id],
        get=everyone(200),
    ),
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
    offer_a = f.CapacityOfferFactory(organisation=group_a, service=service, wards=[ward])
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
    world = SimpleNamespace(
        ward=ward,
        service=service,
        offer_a=offer_a,
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
    _build_groups(world)
    _build_handover(world)
    _build_imports(world)
    return world


def _build_groups(w):
    """Issue 4: a second owner of group A, an invitation to Bob, an account waiting for
    its address to be confirmed, a group waiting for review, a service without an offer."""
    from accounts.tokens import confirmation_token
    from mapping.invitations import invitation_token
    from mapping.models import Invitation, Membership, MembershipRole, VerificationStatus
    from tests import factories as f

    helper = f.UserFactory(email="hana@group-a.test", full_name="Hana Helper")
    w.helper_membership = Membership.objects.create(
        user=helper, organisation=w.group_a, role=MembershipRole.OWNER
    )
    w.invitation = Invitation.objects.create(
        organisation=w.group_a,
        email=w.member_b.email,
        role=MembershipRole.EDITOR,
        invited_by=w.member_a,
    )
    w.invitation_token = invitation_token(w.invitation)
    newcomer = f.UserFactory(email="newcomer@example.test", email_confirmed_at=None)
    w.confirmation_token = confirmation_token(newcomer)
    w.pending = f.OrganisationFactory(
        name="Matrix Pending Group", verification_status=VerificationStatus.PENDING
    )
    w.other_service = f.ServiceFactory(name="Matrix Lunch Club", wards=[w.ward])


def _build_handover(w):
    """Issue 7: group A's draft with group B as a partner, a submitted and an accepted
    expression of interest, an agreement with a return sent in and not yet reviewed, a
    nomination waiting for a decision, a listed asset under a notice of sale, another
    listed asset with none, and a council building nobody has asked for."""
    from mapping.models import VerificationStatus
    from services.models import (
        EoiStatus,
        IndicatorValue,
        NominationStatus,
        PartnerStatus,
    )
    from tests import factories as f

    today = timezone.localdate()
    eoi = f.ExpressionOfInterestFactory
    w.group_c = f.OrganisationFactory(
        name="Matrix Group C", verification_status=VerificationStatus.VERIFIED
    )
    w.eoi = eoi(
        lead_organisation=w.group_a,
        service=w.service,
        capacity_evidence="Twelve volunteers who run the reading group.",
        created_by=w.member_a,
    )
    w.partner_b = f.EoiPartnerFactory(
        expression_of_interest=w.eoi, organisation=w.group_b, status=PartnerStatus.ACCEPTED
    )
    w.submitted_eoi = eoi(
        lead_organisation=w.group_a,
        service=f.ServiceFactory(name="Matrix Youth Club", wards=[w.ward]),
        status=EoiStatus.SUBMITTED,
        submitted_at=timezone.now(),
        decision_due_on=today + datetime.timedelta(days=60),
    )
    w.accepted_eoi = eoi(
        lead_organisation=w.group_a,
        service=f.ServiceFactory(name="Matrix Play Scheme", wards=[w.ward]),
        status=EoiStatus.ACCEPTED,
        decision_reason="A strong offer.",
    )
    w.agreement = f.HandoverAgreementFactory(
        expression_of_interest=eoi(
            lead_organisation=w.group_a,
            service=f.ServiceFactory(name="Matrix Library Saturdays", wards=[w.ward]),
            status=EoiStatus.ACCEPTED,
        ),
        starts_on=today - datetime.timedelta(days=120),
    )
    w.agreement.wards.set([w.ward])
    w.indicator = f.IndicatorFactory(agreement=w.agreement, name="Saturday visits")
    w.monitoring_return = f.MonitoringReturnFactory(
        agreement=w.agreement,
        period_end=today - datetime.timedelta(days=31),
        volunteer_hours=30,
        narrative="A good start.",
        submitted_at=timezone.now(),
        submitted_by=w.member_a,
    )
    IndicatorValue.objects.create(
        monitoring_return=w.monitoring_return, indicator=w.indicator, value=100
    )
    w.nomination = f.AcvNominationFactory(
        asset=f.AssetFactory(name="The Matrix Arms", ward=w.ward, owned_by_council=False),
        organisation=w.group_a,
        submitted_by=w.member_a,
    )
    listed = {
        "organisation": w.group_a,
        "status": NominationStatus.LISTED,
        "listed_on": today - datetime.timedelta(days=100),
        "decided_at": timezone.now(),
        "decision_reason": "It furthers the social wellbeing of the community.",
    }
    on_sale = f.AcvNominationFactory(
        asset=f.AssetFactory(name="Matrix Bowls Club", ward=w.ward), **listed
    ).asset
    w.sale_notice = f.SaleNoticeFactory(
        asset=on_sale, notified_on=today - datetime.timedelta(days=7)
    )
    w.unsold_asset = f.AcvNominationFactory(
        asset=f.AssetFactory(name="Matrix Corner Shop", ward=w.ward), **listed
    ).asset
    w.council_hall = f.AssetFactory(
        name="Matrix Old Town Hall", ward=w.ward, owned_by_council=True
    )


def _build_imports(w):
    """Issue 8: a finished import run; the id of a published service in the ORUK API."""
    from mapping.models import ImportKind, ImportRun, ImportStatus
    from services import oruk

    w.import_run = ImportRun.objects.create(
        kind=ImportKind.ORGANISATIONS,
        filename="groups.csv",
        started_by=w.officer,
        status=ImportStatus.FAILED,
        errors=[{"row": 2, "field": "name", "message": "The organisation has no name."}],
        problem_count=1,
    )
    w.oruk_service_id = oruk.record_id("service", w.service.pk)


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
