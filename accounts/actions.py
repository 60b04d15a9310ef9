"""Writes about people that need more than one statement: sign-up (issue 4), erasure on
request and the purge of data past its keeping time (issue 9). Each runs in one
transaction: all of it happens, or none."""

import datetime
from dataclasses import dataclass, field

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Count, ProtectedError, Q
from django.utils.translation import gettext_noop

from accounts.models import User
from bigsociety.personal_data import ERASED_NAME, erased_email
from mapping.models import Invitation, Membership, MembershipRole, Organisation, VerificationStatus


def account_create(*, email, full_name, password, privacy_agreed_at):
    """A new, unconfirmed account; or the existing account with that address, unchanged.

    ``privacy_agreed_at`` is when the person agreed to the privacy notice on the sign-up
    form.

    Never changes an existing account: otherwise anyone could set the password of an
    account they do not own and wait for its owner to confirm it. Two sign-ups racing
    with one address end with one account (the unique constraint decides).
    """
    existing = User.objects.filter(email=email).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return User.objects.create_user(
                email=email,
                password=password,
                full_name=full_name,
                privacy_agreed_at=privacy_agreed_at,
            )
    except IntegrityError:
        return User.objects.get(email=email)


# Erasure on request (issue 9) ----------------------------------------------------------

# Kept in English in the history and translated where it is shown (bigsociety/history.py).
ERASURE_REASON = gettext_noop("Erased on request")


class LastOwner(Exception):
    """Erasing the person would leave groups without an owner; nothing was changed."""

    def __init__(self, organisations):
        super().__init__(", ".join(o.name for o in organisations))
        self.organisations = organisations


@dataclass
class Erasure:
    """What an erasure changed, for the person who ran it."""

    email: str
    account: bool = False
    memberships: int = 0
    left_without_owner: list = field(default_factory=list)
    contacts_cleared: list = field(default_factory=list)
    invitations: int = 0
    history_rows: int = 0
    sign_in_records: int = 0
    admin_log_entries: int = 0
    devices: int = 0

    @property
    def found_anything(self):
        return bool(
            self.account
            or self.contacts_cleared
            or self.invitations
            or self.history_rows
            or self.sign_in_records
        )


def organisations_only_owned_by(user):
    """Groups in which ``user`` is the one owner: erasing them would leave none."""
    owned = Membership.objects.filter(user=user, role=MembershipRole.OWNER).values("organisation")
    return list(
        Organisation.objects.filter(pk__in=owned)
        .annotate(owners=Count("memberships", filter=Q(memberships__role=MembershipRole.OWNER)))
        .filter(owners=1)
        .order_by("name")
    )


@transaction.atomic
def person_erase(*, email: str, leave_without_owner: bool = False) -> Erasure:
    """Anonymise everything held about the person with this email address, history
    included.

    Their account stays, renamed "Erased user" with an address that cannot receive
    mail, closed and stripped of every role, so that records they took part in (a
    decision, a return) keep saying that someone did it without saying who. Their
    group memberships and authenticator apps are removed; a group's contact details
    naming them are cleared; invitations to them lose their address; sign-in records
    are deleted; and every history row holding their name, address or the times they
    confirmed and agreed is rewritten.

    Refuses with ``LastOwner`` (changing nothing) when they are the only owner of a
    group, unless ``leave_without_owner``: someone should first make another member an
    owner, or an officer should decide the group's future.
    """
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp import devices_for_user

    email = User.objects.normalize_email(email)
    result = Erasure(email=email)
    user = User.objects.select_for_update().filter(email=email).first()

    if user is not None:
        sole = organisations_only_owned_by(user)
        if sole and not leave_without_owner:
            raise LastOwner(sole)
        result.left_without_owner = sole
        result.account = True
        old_name = user.full_name
        placeholder = erased_email(user.pk)

        memberships = list(Membership.objects.filter(user=user).select_related("organisation"))
        # The admin log names each membership, as in "Alice Member - Park Friends (Owner)".
        named_in_log = {str(membership) for membership in memberships}
        for membership in memberships:
            membership._change_reason = ERASURE_REASON
            membership.delete()
        result.memberships = len(memberships)
        devices = list(devices_for_user(user, confirmed=None))
        for device in devices:
            device.delete()
        result.devices = len(devices)

        user.email = placeholder
        user.full_name = ERASED_NAME
        user.set_unusable_password()  # also ends every session they have open
        user.is_active = user.is_staff = user.is_superuser = False
        user.email_confirmed_at = user.privacy_agreed_at = None
        user._change_reason = ERASURE_REASON
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        result.history_rows += user.history.update(
            email=placeholder,
            full_name=ERASED_NAME,
            email_confirmed_at=None,
            privacy_agreed_at=None,
        )
        result.admin_log_entries = _erase_from_admin_log(user, named_in_log | {email}, old_name)
        invitation_placeholder = placeholder
    else:
        invitation_placeholder = "erased@erased.invalid"

    # A group's contact details naming them.
    contact = Q(contact_email__iexact=email)
    cleared = {"contact_name": "", "contact_email": "", "contact_phone": ""}
    for organisation in Organisation.objects.select_for_update().filter(contact):
        for name, value in cleared.items():
            setattr(organisation, name, value)
        organisation.publish_contact = False
        organisation.version += 1
        organisation._change_reason = ERASURE_REASON
        organisation.save()
        result.contacts_cleared.append(organisation)
    result.history_rows += Organisation.history.filter(contact).update(**cleared)

    # Invitations sent to them.
    for invitation in Invitation.objects.filter(email__iexact=email):
        invitation.email = invitation_placeholder
        invitation._change_reason = ERASURE_REASON
        invitation.save()
        result.invitations += 1
    result.history_rows += Invitation.history.filter(email__iexact=email).update(
        email=invitation_placeholder
    )

    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        deleted, _by_model = model.objects.filter(username__iexact=email).delete()
        result.sign_in_records += deleted
    return result


def _erase_from_admin_log(user, texts, name):
    """Replace the person's name and address in the admin's log of changes.

    The lines about their account lose their name; any line naming them in ``texts``
    (their address, their memberships) has the text replaced.
    """
    changed = 0
    about_them = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    )
    for entry in about_them:
        entry.object_repr = ERASED_NAME
        if name:
            entry.change_message = entry.change_message.replace(name, ERASED_NAME)
        entry.save(update_fields=["object_repr", "change_message"])
        changed += 1
    for text in texts - {""}:
        naming = LogEntry.objects.filter(
            Q(object_repr__contains=text) | Q(change_message__contains=text)
        )
        for entry in naming:
            entry.object_repr = entry.object_repr.replace(text, ERASED_NAME)
            entry.change_message = entry.change_message.replace(text, ERASED_NAME)
            entry.save(update_fields=["object_repr", "change_message"])
            changed += 1
    return changed


# Purging data past its keeping time ----------------------------------------------------------


@dataclass
class Purge:
    accounts: int = 0
    organisations: int = 0
    organisations_kept: list = field(default_factory=list)
    invitations: int = 0
    sign_in_records: int = 0


def unconfirmed_accounts(*, before):
    """Accounts whose owner never confirmed their email address, made before ``before``,
    never used, and holding no role."""
    return User.objects.filter(
        email_confirmed_at__isnull=True,
        date_joined__lt=before,
        last_login__isnull=True,
        is_staff=False,
        is_superuser=False,
        groups__isnull=True,
    )


def stale_invitations(*, before):
    return Invitation.objects.filter(accepted_at__isnull=True, created_at__lt=before)


@transaction.atomic
def expired_data_purge(
    *,
    now: datetime.datetime,
    unconfirmed_days: int,
    invitation_days: int,
    sign_in_log_days: int,
    dry_run: bool = False,
) -> Purge:
    """Delete what the privacy notice says is deleted, history included.

    - accounts never confirmed, ``unconfirmed_days`` after they were made, with the
      groups they alone registered that are still waiting for review (a group that
      other records depend on is kept and listed for an officer);
    - invitations not accepted ``invitation_days`` after they were sent;
    - sign-in records older than ``sign_in_log_days``.
    """
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    result = Purge()
    accounts = list(unconfirmed_accounts(before=now - datetime.timedelta(days=unconfirmed_days)))
    account_ids = [user.pk for user in accounts]
    result.accounts = len(accounts)

    # The groups they registered that nobody else manages and no officer has looked at.
    registered = Organisation.objects.filter(
        verification_status=VerificationStatus.PENDING, memberships__user__in=account_ids
    ).distinct()
    for organisation in registered:
        if organisation.memberships.exclude(user__in=account_ids).exists():
            continue
        pk = organisation.pk
        try:
            with transaction.atomic():
                organisation.delete()
        except ProtectedError:
            result.organisations_kept.append(organisation)
            continue
        result.organisations += 1
        # Deleting wrote a last history row; remove every copy of the group's details,
        # and of the invitations deleted with it.
        Organisation.history.filter(id=pk).delete()
        Invitation.history.filter(organisation_id=pk).delete()

    User.objects.filter(pk__in=account_ids).delete()
    User.history.filter(id__in=account_ids).delete()

    invitations = stale_invitations(before=now - datetime.timedelta(days=invitation_days))
    invitation_ids = list(invitations.values_list("pk", flat=True))
    result.invitations = len(invitation_ids)
    Invitation.objects.filter(pk__in=invitation_ids).delete()
    Invitation.history.filter(id__in=invitation_ids).delete()

    log_before = now - datetime.timedelta(days=sign_in_log_days)
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        deleted, _by_model = model.objects.filter(attempt_time__lt=log_before).delete()
        result.sign_in_records += deleted

    if dry_run:
        # Everything above ran, so the counts are exact; none of it is kept.
        transaction.set_rollback(True)
    return result
