"""Where personal data lives, and everything held about one person.

``HOLDINGS`` is the registry: each table holding personal data, its personal fields
(links to a person's account among them), why it is held and for how long. The privacy
notice shows it, ``export_person`` reads it and ``accounts.actions.person_erase`` erases
from it. A test fails when a model gains a field that looks personal (an email, phone,
name, address, postcode or internet address) and is neither here nor in
``NOT_PERSONAL`` with the reason it is not.

A person is also linked to records by foreign keys to their account (who created an
expression of interest, who reviewed a return, who made a change). The registry names
those the privacy notice should explain; every link is found by looking at the models, so
a new one is exported even before it is listed here; erasure keeps the links and
anonymises the account they point to.
"""

import re
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# What an erased person's account is called from then on, everywhere it appears.
ERASED_NAME = "Erased user"


def erased_email(user_pk):
    """A unique placeholder address (.invalid is reserved: it can never receive mail)."""
    return f"erased-{user_pk}@erased.invalid"


@dataclass(frozen=True)
class Holding:
    """One table's personal data."""

    model: str  # "app_label.ModelName"
    fields: tuple[str, ...]
    what: str
    why: str
    kept: str


HOLDINGS = [
    Holding(
        "accounts.User",
        ("email", "full_name", "email_confirmed_at", "privacy_agreed_at"),
        _(
            "Your account: your name, email address, when you confirmed it and when you "
            "agreed to this privacy notice."
        ),
        _("To sign you in, to contact you about your group, and to show who did what."),
        _("While your account is open. Accounts never confirmed are deleted after %(days)s days."),
    ),
    Holding(
        "mapping.Organisation",
        ("contact_name", "contact_email", "contact_phone"),
        _("A community group's contact person: name, email address and phone number."),
        _(
            "So the council can reach the group. Shown in the public directory only if "
            "the group chooses."
        ),
        _("While the group is registered, or until the group changes its contact."),
    ),
    Holding(
        "mapping.Invitation",
        ("email",),
        _("Invitations to help manage a group: the email address invited."),
        _("To send the invitation and let the person join the group."),
        _("Invitations not accepted are deleted after %(invitation_days)s days."),
    ),
    # Who did what in the handover of services (issue 7) and the imports (issue 8): links to
    # the person's account. Erasure keeps the records and the links; the account they point
    # to then shows "Erased user".
    *(
        Holding(
            model,
            (field,),
            _(
                "Who, in a community group, wrote an expression of interest, answered an "
                "invitation to be a partner, sent a monitoring return, nominated an Asset of "
                "Community Value or said the group intends to bid."
            ),
            _(
                "The handover of services must be fair and on the record: the council needs "
                "to know who spoke for the group."
            ),
            _(
                "As long as the record is kept. If your data is erased, the record shows "
                "'Erased user'."
            ),
        )
        for model, field in (
            ("services.ExpressionOfInterest", "created_by"),
            ("services.EoiPartner", "responded_by"),
            ("services.MonitoringReturn", "submitted_by"),
            ("services.AcvNomination", "submitted_by"),
            ("services.IntentionToBid", "recorded_by"),
        )
    ),
    *(
        Holding(
            model,
            (field,),
            _(
                "Who, at the council, checked a group, decided, reviewed or recorded each step "
                "of a handover, or imported a file."
            ),
            _("So that every decision and every change of the council's data can be traced."),
            _(
                "As long as the record is kept. If your data is erased, the record shows "
                "'Erased user'."
            ),
        )
        for model, field in (
            ("mapping.Organisation", "verified_by"),
            ("mapping.ImportRun", "started_by"),
            ("services.ExpressionOfInterest", "decided_by"),
            ("services.EoiTransition", "by"),
            ("services.HandoverAgreement", "created_by"),
            ("services.MonitoringReturn", "reviewed_by"),
            ("services.AcvNomination", "decided_by"),
            ("services.SaleNotice", "recorded_by"),
        )
    ),
    Holding(
        "mapping.ImportChunk",
        ("data",),
        _("Files uploaded to be imported, which can hold community groups' contact details."),
        _("To import them into the site, outside the web page that received them."),
        _("Until the import has run: the file is deleted then."),
    ),
    *(
        Holding(
            f"axes.{model}",
            ("username", "ip_address", "user_agent"),
            _("Sign-in attempts: the email address typed, internet address and browser."),
            _("To stop people guessing passwords."),
            _("%(log_days)s days."),
        )
        for model in ("AccessAttempt", "AccessLog", "AccessFailureLog")
    ),
]

NOT_PERSONAL = {
    "accounts.User": {
        "password": _("a one-way hash: nobody can read the password from it"),
    },
    "auth.Group": {"name": _("the name of a role, such as Council officers")},
    "auth.Permission": {"name": _("the name of a permission")},
    "otp_totp.TOTPDevice": {"name": _("a label for the app, such as Authenticator app")},
    "otp_static.StaticDevice": {"name": _("a label for a set of backup codes")},
    "mapping.Ward": {"name": _("an electoral ward's name")},
    "mapping.Postcode": {
        "postcode": _("a postcode in the council's lookup, not anyone's address"),
    },
    "mapping.Skill": {"name": _("a kind of skill")},
    "mapping.SupportNeed": {"name": _("a kind of support")},
    "mapping.Organisation": {
        "name": _("a group's name"),
        "address": _(
            "the group's address or meeting place; the privacy notice asks groups "
            "without premises not to give a home address"
        ),
        "postcode": _("the postcode of the group's address"),
    },
    "services.ServiceCategory": {"name": _("a kind of public service")},
    "services.Service": {"name": _("a public service's name")},
    "services.Asset": {
        "name": _("a building's or a piece of land's name"),
        "address": _("a building's or a piece of land's address"),
        "postcode": _("the postcode of a building or piece of land"),
    },
    "services.Indicator": {"name": _("the name of a measure in a handover agreement")},
}

# A field looks personal when a word of its name is one of these, or it holds an email
# or internet address whatever its name.
PERSONAL_WORDS = {
    "email",
    "mail",
    "phone",
    "telephone",
    "mobile",
    "name",
    "surname",
    "address",
    "postcode",
    "username",
    "ip",
    "agent",
    "dob",
    "birth",
}
PERSONAL_FIELD_TYPES = (models.EmailField, models.GenericIPAddressField)


def is_historical(model):
    """simple_history's copy of another model."""
    return getattr(model, "instance_type", None) is not None and model.__name__.startswith(
        "Historical"
    )


def looks_personal(field):
    words = set(re.split(r"_+", field.name.lower()))
    return bool(words & PERSONAL_WORDS) or isinstance(field, PERSONAL_FIELD_TYPES)


def unclassified_fields():
    """``app_label.Model.field`` for every personal-looking field not in the registry."""
    registered = {(h.model, f) for h in HOLDINGS for f in h.fields}
    explained = {(model, f) for model, fields in NOT_PERSONAL.items() for f in fields}
    missing = []
    for model in apps.get_models():
        if is_historical(model):
            continue  # a copy of a model checked here; erasure covers it
        label = model._meta.label
        for field in model._meta.concrete_fields:
            if not looks_personal(field):
                continue
            if (label, field.name) not in registered | explained:
                missing.append(f"{label}.{field.name}")
    return missing


def holdings_for_notice():
    """The registry for the privacy notice, one row per kind of data (sign-in logs once)."""
    values = {
        "days": settings.UNCONFIRMED_ACCOUNT_DAYS,
        "invitation_days": settings.STALE_INVITATION_DAYS,
        "log_days": settings.SIGN_IN_LOG_DAYS,
    }
    rows, seen = [], set()
    for holding in HOLDINGS:
        if holding.what in seen:
            continue
        seen.add(holding.what)
        rows.append({"what": holding.what, "why": holding.why, "kept": holding.kept % values})
    return rows


# Export ------------------------------------------------------------------------------------


def links_to_users():
    """(model, field) for every foreign key to the user model, history tables apart."""
    user_model = get_user_model()
    return [
        (model, field)
        for model in apps.get_models()
        if not is_historical(model) and model is not user_model
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is user_model
    ]


def history_models():
    """simple_history's tables of records (not its copies of many-to-many links)."""
    return [
        model
        for model in apps.get_models()
        if is_historical(model) and any(f.name == "history_user" for f in model._meta.fields)
    ]


def _when(value):
    return value.isoformat() if value else None


def _user_record(user):
    return {
        "email": user.email,
        "full_name": user.full_name,
        "date_joined": _when(user.date_joined),
        "email_confirmed_at": _when(user.email_confirmed_at),
        "privacy_agreed_at": _when(user.privacy_agreed_at),
        "last_login": _when(user.last_login),
        "is_active": user.is_active,
        "is_council_officer": user.is_officer,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "groups": sorted(group.name for group in user.groups.all()),
    }


def export_person(email):
    """Everything held about the person with this email address, as plain data for JSON.

    Works whether or not they have an account: an invitation or a group's contact
    details can name someone who never registered.
    """
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp import devices_for_user

    from mapping.models import ImportRun, Invitation, Membership, Organisation
    from services.models import (
        AcvNomination,
        EoiPartner,
        ExpressionOfInterest,
        IntentionToBid,
        MonitoringReturn,
    )

    user_model = get_user_model()
    email = user_model.objects.normalize_email(email)
    user = user_model.objects.filter(email=email).first()
    data = {
        "email": email,
        "exported_at": timezone.now().isoformat(),
        "account": _user_record(user) if user else None,
    }

    if user:
        data["memberships"] = [
            {
                "organisation": m.organisation.name,
                "organisation_id": m.organisation_id,
                "role": m.role,
                "joined": _when(m.created_at),
            }
            for m in Membership.objects.filter(user=user).select_related("organisation")
        ]
        data["two_factor_devices"] = [
            {"name": d.name, "confirmed": d.confirmed, "last_used": _when(d.last_used_at)}
            for d in devices_for_user(user, confirmed=None)
        ]
        data["account_history"] = [
            {
                "when": _when(h.history_date),
                "change": h.get_history_type_display(),
                "email": h.email,
                "full_name": h.full_name,
                "is_active": h.is_active,
                "is_staff": h.is_staff,
                "is_superuser": h.is_superuser,
                "by": str(h.history_user) if h.history_user_id else None,
            }
            for h in user.history.select_related("history_user").order_by("history_date")
        ]
        data["expressions_of_interest_you_wrote"] = [
            {
                "id": eoi.pk,
                "organisation": eoi.lead_organisation.name,
                "for": str(eoi.subject),
                "status": eoi.status,
                "proposal": eoi.proposal,
                "capacity_evidence": eoi.capacity_evidence,
                "support_notes": eoi.support_notes,
                "created_at": _when(eoi.created_at),
            }
            for eoi in ExpressionOfInterest.objects.filter(created_by=user).select_related(
                "lead_organisation", "service", "asset"
            )
        ]
        data["monitoring_returns_you_sent"] = [
            {
                "id": r.pk,
                "agreement": str(r.agreement),
                "period_start": _when(r.period_start),
                "period_end": _when(r.period_end),
                "volunteer_hours": r.volunteer_hours,
                "complaints": r.complaints,
                "narrative": r.narrative,
                "submitted_at": _when(r.submitted_at),
            }
            for r in MonitoringReturn.objects.filter(submitted_by=user).select_related(
                "agreement__organisation", "agreement__service", "agreement__asset"
            )
        ]
        data["nominations_you_sent"] = [
            {
                "id": n.pk,
                "asset": n.asset.name,
                "organisation": n.organisation.name,
                "reason": n.reason,
                "status": n.status,
                "submitted_at": _when(n.submitted_at),
            }
            for n in AcvNomination.objects.filter(submitted_by=user).select_related(
                "asset", "organisation"
            )
        ]
        data["intentions_to_bid_you_recorded"] = [
            {
                "id": i.pk,
                "asset": i.sale_notice.asset.name,
                "organisation": i.organisation.name,
                "notice_of_sale": _when(i.sale_notice.notified_on),
                "recorded_at": _when(i.recorded_at),
            }
            for i in IntentionToBid.objects.filter(recorded_by=user).select_related(
                "sale_notice__asset", "organisation"
            )
        ]
        data["partner_invitations_you_answered"] = [
            {
                "id": p.pk,
                "expression_of_interest": p.expression_of_interest_id,
                "organisation": p.organisation.name,
                "answer": p.status,
                "answered_at": _when(p.responded_at),
            }
            for p in EoiPartner.objects.filter(responded_by=user).select_related("organisation")
        ]
        data["imports_you_started"] = [
            {
                "id": run.pk,
                "kind": run.kind,
                "file": run.filename,
                "dry_run": run.dry_run,
                "status": run.status,
                "started": _when(run.created_at),
            }
            for run in ImportRun.objects.filter(started_by=user).order_by("created_at")
        ]
        data["records_linked_to_you"] = [
            {"record": model._meta.label, "id": obj.pk, "as": field.name, "shows": str(obj)}
            for model, field in links_to_users()
            for obj in model._default_manager.filter(**{field.name: user})
        ]
        data["changes_you_made"] = [
            {
                "record": model.instance_type._meta.label,
                "id": getattr(h, model.instance_type._meta.pk.attname),
                "change": h.get_history_type_display(),
                "when": _when(h.history_date),
                "reason": h.history_change_reason or "",
            }
            for model in history_models()
            for h in model.objects.filter(history_user=user).order_by("history_date")
        ]

    data["organisations_you_are_the_contact_for"] = [
        {
            "organisation": o.name,
            "organisation_id": o.pk,
            "contact_name": o.contact_name,
            "contact_email": o.contact_email,
            "contact_phone": o.contact_phone,
            "shown_publicly": o.publish_contact,
        }
        for o in Organisation.objects.filter(contact_email__iexact=email)
    ]
    data["invitations_to_you"] = [
        {
            "organisation": i.organisation.name,
            "role": i.role,
            "sent": _when(i.created_at),
            "accepted": _when(i.accepted_at),
        }
        for i in Invitation.objects.filter(email__iexact=email).select_related("organisation")
    ]
    data["sign_in_attempts"] = [
        {
            "kind": kind,
            "when": _when(row.attempt_time),
            "ip_address": row.ip_address,
            "browser": row.user_agent,
        }
        for kind, model in (
            ("counted towards a lockout", AccessAttempt),
            ("signed in", AccessLog),
            ("failed", AccessFailureLog),
        )
        for row in model.objects.filter(username__iexact=email).order_by("attempt_time")
    ]
    return data
