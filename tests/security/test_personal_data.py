"""Personal data: the registry stays complete, a person's data can be exported and
erased everywhere (history included), and data past its keeping time is purged."""

import datetime
import json

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.actions import LastOwner, expired_data_purge, person_erase
from accounts.models import OFFICERS_GROUP, User
from bigsociety.personal_data import (
    ERASED_NAME,
    HOLDINGS,
    NOT_PERSONAL,
    export_person,
    links_to_users,
    unclassified_fields,
)
from mapping.models import (
    Invitation,
    Membership,
    MembershipRole,
    Organisation,
    VerificationStatus,
)
from tests import factories as f
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


# The registry ---------------------------------------------------------------------------


def test_every_personal_looking_field_is_in_the_registry():
    assert unclassified_fields() == [], (
        "Add these fields to HOLDINGS in bigsociety/personal_data.py (with why they are "
        "held and for how long, and make export_person and person_erase cover them), or "
        "to NOT_PERSONAL with the reason they are not personal."
    )


def test_the_check_notices_a_new_personal_field(monkeypatch):
    from bigsociety import personal_data

    trimmed = [h for h in HOLDINGS if h.model != "mapping.Invitation"]
    monkeypatch.setattr(personal_data, "HOLDINGS", trimmed)
    assert personal_data.unclassified_fields() == ["mapping.Invitation.email"]


def test_the_registry_names_only_fields_that_exist():
    from django.apps import apps

    for holding in HOLDINGS:
        model = apps.get_model(holding.model)
        for name in holding.fields:
            model._meta.get_field(name)
    for label, fields in NOT_PERSONAL.items():
        model = apps.get_model(label)
        for name in fields:
            model._meta.get_field(name)


def test_the_privacy_notice_lists_what_is_held_why_and_for_how_long(anon_client, settings):
    settings.UNCONFIRMED_ACCOUNT_DAYS = 9
    page = anon_client.get(reverse("privacy")).text
    for heading in ("What we hold", "Why we hold it", "How long we keep it", "Your rights"):
        assert heading in page
    assert "Accounts never confirmed are deleted after 9 days" in page
    assert "Information Commissioner" in page
    assert page.count("<h1") == 1


# A person with something of everything ------------------------------------------------------


@pytest.fixture
def alice(member_a, group_a, officer):
    """Alice agreed to the privacy notice, owns group A with Bob, is its contact, was
    invited to group B, wrote an expression of interest, and tried to sign in."""
    User.objects.filter(pk=member_a.pk).update(privacy_agreed_at=timezone.now())
    group_a.contact_name = "Alice Member"
    group_a.contact_email = "Alice@Group-A.test"
    group_a.contact_phone = "020 7946 0000"
    group_a.publish_contact = True
    group_a.save()
    bob = f.UserFactory(email="bob@group-a.test", full_name="Bob Second")
    Membership.objects.create(user=bob, organisation=group_a, role=MembershipRole.OWNER)
    f.InvitationFactory(email="alice@group-a.test", organisation=f.OrganisationFactory())
    f.ExpressionOfInterestFactory(
        lead_organisation=group_a, created_by=member_a, proposal="Saturday library"
    )
    TOTPDevice.objects.create(user=member_a, name="phone", confirmed=True)
    AccessLog.objects.create(
        username=member_a.email, ip_address="203.0.113.5", user_agent="Firefox"
    )
    user_type = ContentType.objects.get_for_model(User)
    LogEntry.objects.create(
        user=officer,
        content_type=user_type,
        object_id=str(member_a.pk),
        object_repr="Alice Member",
        action_flag=CHANGE,
        change_message="[]",
    )
    return member_a


def everything_stored():
    """Every text column of every table, history included, as one string."""
    from django.apps import apps

    text = []
    for model in apps.get_models():
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if field.get_internal_type() in ("CharField", "EmailField", "TextField")
        ]
        if fields:
            for row in model._default_manager.values_list(*fields):
                text.extend(str(value) for value in row)
    return "\n".join(text).lower()


# Export --------------------------------------------------------------------------------------


def test_the_export_holds_everything_about_the_person(alice, group_a):
    data = export_person("ALICE@group-a.test")
    assert data["account"]["full_name"] == "Alice Member"
    assert [m["organisation"] for m in data["memberships"]] == [group_a.name]
    assert data["organisations_you_are_the_contact_for"][0]["contact_phone"] == "020 7946 0000"
    assert len(data["invitations_to_you"]) == 1
    assert data["expressions_of_interest_you_wrote"][0]["proposal"] == "Saturday library"
    assert data["sign_in_attempts"][0]["ip_address"] == "203.0.113.5"
    assert data["two_factor_devices"][0]["name"] == "phone"
    assert data["account_history"][0]["change"] == "Created"
    linked = {(row["record"], row["as"]) for row in data["records_linked_to_you"]}
    assert ("services.ExpressionOfInterest", "created_by") in linked
    assert ("mapping.Membership", "user") in linked
    # It is all JSON.
    json.dumps(data, default=str)


def test_the_export_says_when_they_agreed_to_the_privacy_notice(member_a):
    agreed = timezone.now() - datetime.timedelta(days=2)
    member_a.privacy_agreed_at = agreed
    member_a.save()
    account = export_person(member_a.email)["account"]
    assert account["privacy_agreed_at"] == agreed.isoformat()
    account_holding = next(h for h in HOLDINGS if h.model == "accounts.User")
    assert "privacy_agreed_at" in account_holding.fields


def test_the_export_lists_the_changes_they_made(officer):
    service = f.ServiceFactory()
    service.name = "Changed by the officer"
    service._history_user = officer
    service.save()
    changes = export_person(officer.email)["changes_you_made"]
    assert [(c["record"], c["id"], c["change"]) for c in changes] == [
        ("services.Service", service.pk, "Changed")
    ]


def test_every_link_to_an_account_is_exported():
    labels = {(model._meta.label, field.name) for model, field in links_to_users()}
    assert ("services.MonitoringReturn", "submitted_by") in labels
    assert not any(label.startswith("Historical") for label, _ in labels)


def test_a_person_without_an_account_can_be_exported(group_a):
    group_a.contact_email = "volunteer@example.test"
    group_a.save()
    data = export_person("volunteer@example.test")
    assert data["account"] is None
    assert data["organisations_you_are_the_contact_for"][0]["organisation"] == group_a.name


def test_the_command_writes_json(alice, tmp_path):
    out = tmp_path / "alice.json"
    call_command("export_person", "alice@group-a.test", output=str(out))
    assert json.loads(out.read_text())["account"]["email"] == "alice@group-a.test"


@pytest.fixture
def handover_volunteer(member_a, group_a, group_b, officer):
    """Alice, of group A, took part in the handover (issue 7); an officer imported a file
    (issue 8)."""
    from mapping.models import ImportKind, ImportRun
    from services.models import EoiStatus, IntentionToBid, NominationStatus, PartnerStatus

    pub = f.AssetFactory(name="The Kestrel Arms")
    f.AcvNominationFactory(asset=pub, organisation=group_a, submitted_by=member_a)
    listed = f.AcvNominationFactory(
        organisation=group_a,
        status=NominationStatus.LISTED,
        listed_on=timezone.localdate(),
    )
    notice = f.SaleNoticeFactory(asset=listed.asset, recorded_by=officer)
    IntentionToBid.objects.create(sale_notice=notice, organisation=group_a, recorded_by=member_a)
    f.EoiPartnerFactory(
        expression_of_interest=f.ExpressionOfInterestFactory(lead_organisation=group_b),
        organisation=group_a,
        status=PartnerStatus.ACCEPTED,
        responded_by=member_a,
        responded_at=timezone.now(),
    )
    returned = f.MonitoringReturnFactory(
        agreement=f.HandoverAgreementFactory(
            expression_of_interest=f.ExpressionOfInterestFactory(
                lead_organisation=group_a, status=EoiStatus.ACCEPTED, created_by=member_a
            ),
        ),
        submitted_by=member_a,
        submitted_at=timezone.now(),
        narrative="Busy Saturdays",
    )
    ImportRun.objects.create(
        kind=ImportKind.ORGANISATIONS, filename="groups.csv", started_by=officer
    )
    return returned


def test_the_export_holds_what_they_did_in_the_handover_and_the_imports(
    handover_volunteer, member_a, officer
):
    data = export_person(member_a.email)
    assert [n["asset"] for n in data["nominations_you_sent"]] == ["The Kestrel Arms"]
    assert [i["organisation"] for i in data["intentions_to_bid_you_recorded"]] == [
        "Group A Friends of the Park"
    ]
    assert [p["answer"] for p in data["partner_invitations_you_answered"]] == ["accepted"]
    assert [r["narrative"] for r in data["monitoring_returns_you_sent"]] == ["Busy Saturdays"]
    assert len(data["expressions_of_interest_you_wrote"]) == 1
    assert data["imports_you_started"] == []
    imports = export_person(officer.email)["imports_you_started"]
    assert [(run["kind"], run["file"]) for run in imports] == [("organisations", "groups.csv")]
    json.dumps(data, default=str)


def test_erasure_keeps_the_handover_records_showing_an_erased_user(
    handover_volunteer, member_a, officer
):
    from mapping.models import ImportRun
    from services.models import AcvNomination, IntentionToBid

    person_erase(email=member_a.email, leave_without_owner=True)
    person_erase(email=officer.email)
    stored = everything_stored()
    for trace in ("alice member", "alice@group-a.test", "olu officer", "officer@example.test"):
        assert trace not in stored
    handover_volunteer.refresh_from_db()
    for record in (
        handover_volunteer,
        AcvNomination.objects.get(asset__name="The Kestrel Arms"),
        IntentionToBid.objects.get(),
    ):
        by = getattr(record, "submitted_by", None) or record.recorded_by
        assert str(by) == ERASED_NAME
    assert str(ImportRun.objects.get().started_by) == ERASED_NAME


def test_the_privacy_notice_says_who_did_what_is_kept(anon_client):
    page = anon_client.get(reverse("privacy")).text
    assert "wrote an expression of interest" in page
    assert "imported a file" in page
    assert "Files uploaded to be imported" in page


# Erasure -------------------------------------------------------------------------------------


def test_erasure_leaves_nothing_of_them_anywhere_history_included(alice, group_a):
    assert "alice member" in everything_stored()
    erasure = person_erase(email="alice@group-a.test")
    stored = everything_stored()
    for trace in ("alice member", "alice@group-a.test", "020 7946 0000"):
        assert trace not in stored
    assert erasure.account and erasure.history_rows and erasure.sign_in_records == 1


def test_erasure_closes_the_account_and_keeps_what_they_took_part_in(alice, group_a):
    alice.save()  # a history row holding when they confirmed and agreed
    person_erase(email="alice@group-a.test")
    alice.refresh_from_db()
    assert alice.full_name == ERASED_NAME
    assert alice.email.endswith("@erased.invalid")
    assert not alice.is_active and not alice.has_usable_password()
    assert alice.email_confirmed_at is None and alice.privacy_agreed_at is None
    assert alice.history.count() > 1
    assert not alice.history.filter(
        Q(email_confirmed_at__isnull=False) | Q(privacy_agreed_at__isnull=False)
    ).exists()
    assert not Membership.objects.filter(user=alice).exists()
    assert not TOTPDevice.objects.filter(user=alice).exists()
    eoi = group_a.expressions_of_interest.get()
    assert eoi.created_by == alice
    assert str(eoi.created_by) == ERASED_NAME
    group_a.refresh_from_db()
    assert (group_a.contact_name, group_a.contact_email, group_a.publish_contact) == (
        "",
        "",
        False,
    )
    # Bob still owns the group.
    assert group_a.memberships.get().user.email == "bob@group-a.test"


def test_erasure_takes_every_role_away(officer):
    officer.is_staff = True
    officer.save()
    person_erase(email=officer.email)
    officer.refresh_from_db()
    assert not officer.groups.exists()
    assert not officer.is_staff
    assert not User.objects.officers().filter(pk=officer.pk).exists()


def test_erasure_ends_their_sessions(member_a_client, member_a):
    assert member_a_client.get(reverse("home")).context["user"].is_authenticated
    person_erase(email=member_a.email, leave_without_owner=True)
    assert not member_a_client.get(reverse("home")).context["user"].is_authenticated
    # Nobody can sign in with the old address and password.
    response = Client().post(
        reverse("accounts:sign_in"), {"username": "alice@group-a.test", "password": PASSWORD}
    )
    assert response.status_code == 200


def test_erasure_refuses_to_leave_a_group_without_an_owner(member_a, group_a):
    with pytest.raises(LastOwner) as refused:
        person_erase(email=member_a.email)
    assert refused.value.organisations == [group_a]
    member_a.refresh_from_db()
    assert member_a.full_name == "Alice Member"
    assert Membership.objects.filter(user=member_a).exists()


def test_erasure_can_be_told_to_leave_a_group_without_an_owner(member_a, group_a):
    erasure = person_erase(email=member_a.email, leave_without_owner=True)
    assert erasure.left_without_owner == [group_a]
    assert not group_a.memberships.exists()


def test_the_erase_command_says_what_it_did_and_refuses_the_last_owner(alice, member_b):
    with pytest.raises(CommandError, match="only owner of"):
        call_command("erase_person", member_b.email)
    member_b.refresh_from_db()
    assert member_b.full_name == "Bob Member"
    from io import StringIO

    out = StringIO()
    call_command("erase_person", "alice@group-a.test", stdout=out)
    assert "Erased alice@group-a.test" in out.getvalue()
    out = StringIO()
    call_command("erase_person", "nobody@example.test", stdout=out)
    assert "Nothing is held about nobody@example.test" in out.getvalue()


def test_erasure_is_all_or_nothing(alice, monkeypatch):
    from accounts import actions

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(actions, "_erase_from_admin_log", broken)
    with pytest.raises(RuntimeError):
        person_erase(email="alice@group-a.test")
    alice.refresh_from_db()
    assert alice.full_name == "Alice Member"
    assert Membership.objects.filter(user=alice).exists()
    assert Organisation.objects.filter(contact_email__iexact="alice@group-a.test").exists()


# Erasing from the admin ----------------------------------------------------------------------


def erase_url(user):
    return reverse("admin:accounts_user_erase", args=[user.pk])


def test_the_admin_asks_before_erasing_and_names_groups_left_without_owner(
    admin_client, member_a, group_a
):
    page = admin_client.get(erase_url(member_a))
    assert page.status_code == 200
    assert "cannot be undone" in page.text
    assert group_a.name in page.text
    response = admin_client.post(erase_url(member_a))
    assert response.status_code == 200
    assert "Nothing was erased" in response.text
    member_a.refresh_from_db()
    assert member_a.is_active
    response = admin_client.post(erase_url(member_a), {"leave_without_owner": "yes"})
    assert response.status_code == 302
    member_a.refresh_from_db()
    assert member_a.full_name == ERASED_NAME
    assert ERASED_NAME in admin_client.get(response.url).text


def test_the_user_admin_shows_when_they_agreed_to_the_privacy_notice_read_only(
    admin_client, member_a
):
    User.objects.filter(pk=member_a.pk).update(
        privacy_agreed_at=datetime.datetime(2026, 11, 21, 9, 30, tzinfo=datetime.UTC)
    )
    page = admin_client.get(reverse("admin:accounts_user_change", args=[member_a.pk])).text
    assert "Agreed to the privacy notice at" in page
    assert '<div class="readonly">21 Nov 2026, 9:30 a.m.</div>' in page
    assert 'name="privacy_agreed_at' not in page


def test_the_admin_downloads_a_persons_data(admin_client, alice):
    response = admin_client.get(reverse("admin:accounts_user_export", args=[alice.pk]))
    assert response["Content-Disposition"] == f'attachment; filename="person-{alice.pk}.json"'
    assert json.loads(response.content)["account"]["full_name"] == "Alice Member"


def test_only_superusers_erase_or_export(member_a):
    from tests.conftest import staff_client_for

    staff = f.UserFactory(is_staff=True)
    staff.user_permissions.add(*Permission.objects.all())
    client = staff_client_for(staff)
    assert client.post(erase_url(member_a), {"leave_without_owner": "yes"}).status_code == 403
    export = reverse("admin:accounts_user_export", args=[member_a.pk])
    assert client.get(export).status_code == 403
    member_a.refresh_from_db()
    assert member_a.is_active


def test_nobody_erases_themselves_from_the_admin(admin_client, admin_user):
    response = admin_client.post(erase_url(admin_user))
    assert response.status_code == 302
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_erasing_from_the_admin_needs_a_recent_password(admin_client, alice):
    session = admin_client.session
    session["_authenticated_at"] = 0
    session.save()
    response = admin_client.post(erase_url(alice))
    assert response.url.startswith(reverse("accounts:confirm_password"))
    alice.refresh_from_db()
    assert alice.is_active


# Purging data past its keeping time ---------------------------------------------------------


def purge(**overrides):
    options = {
        "now": timezone.now(),
        "unconfirmed_days": 7,
        "invitation_days": 14,
        "sign_in_log_days": 90,
    } | overrides
    return expired_data_purge(**options)


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def test_it_deletes_accounts_never_confirmed_after_7_days_and_their_lone_groups():
    old = f.UserFactory(email_confirmed_at=None, date_joined=days_ago(8), email="old@x.test")
    recent = f.UserFactory(email_confirmed_at=None, date_joined=days_ago(6))
    confirmed = f.UserFactory(date_joined=days_ago(30))
    lone = f.OrganisationFactory(verification_status=VerificationStatus.PENDING)
    Membership.objects.create(user=old, organisation=lone, role=MembershipRole.OWNER)
    shared = f.OrganisationFactory(verification_status=VerificationStatus.PENDING)
    Membership.objects.create(user=old, organisation=shared)
    Membership.objects.create(user=confirmed, organisation=shared)
    result = purge()
    assert (result.accounts, result.organisations) == (1, 1)
    assert set(User.objects.all()) == {recent, confirmed}
    assert set(Organisation.objects.all()) == {shared}
    assert "old@x.test" not in everything_stored()
    assert not Organisation.history.filter(id=lone.pk).exists()


def test_it_keeps_unconfirmed_staff_officers_and_people_who_signed_in():
    officers = Group.objects.get_or_create(name=OFFICERS_GROUP)[0]
    kept = [
        f.UserFactory(email_confirmed_at=None, date_joined=days_ago(30), is_staff=True),
        f.UserFactory(email_confirmed_at=None, date_joined=days_ago(30), last_login=days_ago(1)),
    ]
    officer = f.UserFactory(email_confirmed_at=None, date_joined=days_ago(30))
    officer.groups.add(officers)
    assert purge().accounts == 0
    assert User.objects.count() == len(kept) + 1


def test_it_keeps_a_group_that_other_records_depend_on():
    old = f.UserFactory(email_confirmed_at=None, date_joined=days_ago(8))
    group = f.OrganisationFactory(verification_status=VerificationStatus.PENDING)
    Membership.objects.create(user=old, organisation=group)
    f.ExpressionOfInterestFactory(lead_organisation=group)
    result = purge()
    assert result.organisations_kept == [group]
    assert Organisation.objects.filter(pk=group.pk).exists()
    assert not User.objects.filter(pk=old.pk).exists()


def test_it_deletes_invitations_not_accepted_after_14_days_with_their_history():
    stale = f.InvitationFactory(email="stale@x.test")
    Invitation.objects.filter(pk=stale.pk).update(created_at=days_ago(15))
    fresh = f.InvitationFactory()
    accepted = f.InvitationFactory(accepted_at=days_ago(20))
    Invitation.objects.filter(pk=accepted.pk).update(created_at=days_ago(30))
    assert purge().invitations == 1
    assert set(Invitation.objects.all()) == {fresh, accepted}
    assert not Invitation.history.filter(email="stale@x.test").exists()


def test_it_deletes_sign_in_records_after_90_days():
    for days in (89, 91):
        row = AccessLog.objects.create(username="a@x.test", ip_address="192.0.2.1")
        AccessLog.objects.filter(pk=row.pk).update(attempt_time=days_ago(days))
    attempt = AccessAttempt.objects.create(
        username="a@x.test", ip_address="192.0.2.1", failures_since_start=1
    )
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=days_ago(100))
    assert purge().sign_in_records == 2
    assert AccessLog.objects.count() == 1


def test_a_dry_run_counts_exactly_and_deletes_nothing():
    f.UserFactory(email_confirmed_at=None, date_joined=days_ago(8))
    result = purge(dry_run=True)
    assert result.accounts == 1
    assert User.objects.count() == 1


def test_the_purge_command_uses_the_settings(settings):
    from io import StringIO

    settings.UNCONFIRMED_ACCOUNT_DAYS = 3
    f.UserFactory(email_confirmed_at=None, date_joined=days_ago(4))
    out = StringIO()
    call_command("purge_expired_data", stdout=out)
    assert "Deleted 1 unconfirmed account(s)" in out.getvalue()
    assert not User.objects.exists()
