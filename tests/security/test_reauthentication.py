"""Sensitive actions (changing someone's roles, erasing a person) ask for the password
again when it was given more than 10 minutes ago."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, Permission
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.decorators import SESSION_AUTHENTICATED_AT_KEY, recent_authentication_required
from accounts.models import OFFICERS_GROUP
from mapping.models import Invitation, Membership, MembershipRole
from tests.conftest import PASSWORD, make_user, staff_client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CONFIRM = reverse("accounts:confirm_password")


def password_given_minutes_ago(client, minutes):
    session = client.session
    session[SESSION_AUTHENTICATED_AT_KEY] = int(timezone.now().timestamp() - minutes * 60)
    session.save()


def user_change_url(user):
    return reverse("admin:accounts_user_change", args=[user.pk])


def test_signing_in_counts_as_giving_the_password(admin_client, member_a):
    assert admin_client.get(user_change_url(member_a)).status_code == 200


def test_after_10_minutes_the_user_admin_asks_for_the_password(admin_client, member_a):
    password_given_minutes_ago(admin_client, 11)
    url = user_change_url(member_a)
    response = admin_client.get(url)
    assert response.status_code == 302
    assert response.url == f"{CONFIRM}?next={url.replace('/', '%2F')}"
    page = admin_client.get(response.url)
    assert "Confirm your password" in page.text


def test_a_role_change_posted_late_changes_nothing(admin_client, member_a):
    password_given_minutes_ago(admin_client, 11)
    officers = Group.objects.get(name=OFFICERS_GROUP)
    response = admin_client.post(
        user_change_url(member_a),
        {
            "email": member_a.email,
            "full_name": member_a.full_name,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [officers.pk],
        },
    )
    assert response.status_code == 302
    assert response.url.startswith(CONFIRM)
    member_a.refresh_from_db()
    assert not member_a.is_superuser
    assert not member_a.groups.exists()


def test_the_right_password_goes_back_to_the_action(admin_client, admin_user, member_a):
    password_given_minutes_ago(admin_client, 11)
    url = user_change_url(member_a)
    response = admin_client.post(CONFIRM, {"password": PASSWORD, "next": url})
    assert response.status_code == 302
    assert response.url == url
    assert admin_client.get(url).status_code == 200


def test_a_wrong_password_is_explained_and_counts_towards_the_lockout(admin_client, admin_user):
    password_given_minutes_ago(admin_client, 11)
    response = admin_client.post(CONFIRM, {"password": "not it", "next": "/admin/"})
    assert response.status_code == 200
    assert "The password is not right" in response.text
    assert AccessAttempt.objects.filter(username=admin_user.email).exists()
    response = admin_client.post(CONFIRM, {"password": "", "next": "/admin/"})
    assert "Enter your password" in response.text


def test_the_confirm_page_never_sends_anyone_off_the_site(officer_client):
    response = officer_client.post(
        CONFIRM, {"password": PASSWORD, "next": "https://evil.example/steal"}
    )
    assert response.url == reverse("home")


def test_anonymous_people_sign_in_first():
    response = Client().get(CONFIRM)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign_in"))


def test_membership_role_changes_in_the_admin_ask_too(admin_client, member_a, group_a):
    membership = Membership.objects.get(user=member_a)
    password_given_minutes_ago(admin_client, 11)
    url = reverse("admin:mapping_membership_change", args=[membership.pk])
    response = admin_client.post(
        url,
        {"user": member_a.pk, "organisation": group_a.pk, "role": MembershipRole.EDITOR},
    )
    assert response.url.startswith(CONFIRM)
    membership.refresh_from_db()
    assert membership.role == MembershipRole.OWNER


def test_the_decorator_lets_a_fresh_password_through_and_sets_a_custom_age():
    @recent_authentication_required(max_age=60)
    def sensitive(request):
        return HttpResponse("done")

    request = RequestFactory().post("/remove-member/")
    request.user = UserFactory()
    request.session = {SESSION_AUTHENTICATED_AT_KEY: int(timezone.now().timestamp()) - 30}
    assert sensitive(request).content == b"done"
    request.session[SESSION_AUTHENTICATED_AT_KEY] -= 60
    response = sensitive(request)
    assert response.status_code == 302
    assert response.url == f"{CONFIRM}?next=%2Fremove-member%2F"


# A group's owners changing roles and removing members (issue 4) ------------------------------


@pytest.fixture
def helper(group_a):
    """An editor of group A, whom its owner (Alice, ``member_a``) manages."""
    user = UserFactory(email="eddie@group-a.test", full_name="Eddie Editor")
    return Membership.objects.create(user=user, organisation=group_a, role=MembershipRole.EDITOR)


def role_url(membership):
    return reverse("mapping:member_role", args=[membership.organisation_id, membership.pk])


def remove_url(membership):
    return reverse("mapping:member_remove", args=[membership.organisation_id, membership.pk])


def test_a_stale_owner_confirms_the_password_before_changing_a_role(member_a_client, helper):
    password_given_minutes_ago(member_a_client, 11)
    url = role_url(helper)
    response = member_a_client.get(url)
    assert response.status_code == 302
    assert response.url == f"{CONFIRM}?next={url.replace('/', '%2F')}"
    response = member_a_client.post(url, {"role": MembershipRole.OWNER})
    assert response.url.startswith(CONFIRM)
    helper.refresh_from_db()
    assert helper.role == MembershipRole.EDITOR
    # The right password comes back to the page, and the change goes through.
    back = member_a_client.post(CONFIRM, {"password": PASSWORD, "next": url})
    assert back.url == url
    assert "What can they do?" in member_a_client.get(url).text
    assert member_a_client.post(url, {"role": MembershipRole.OWNER}).status_code == 302
    helper.refresh_from_db()
    assert helper.role == MembershipRole.OWNER


def test_a_stale_owner_confirms_the_password_before_removing_a_member(member_a_client, helper):
    password_given_minutes_ago(member_a_client, 11)
    url = remove_url(helper)
    assert member_a_client.get(url).url.startswith(CONFIRM)
    assert member_a_client.post(url).url.startswith(CONFIRM)
    assert Membership.objects.filter(pk=helper.pk).exists()
    member_a_client.post(CONFIRM, {"password": PASSWORD, "next": url})
    assert member_a_client.get(url).status_code == 200
    assert member_a_client.post(url).status_code == 302
    assert not Membership.objects.filter(pk=helper.pk).exists()


def test_a_fresh_password_goes_straight_through(member_a_client, helper):
    password_given_minutes_ago(member_a_client, 9)
    assert member_a_client.post(role_url(helper), {"role": "owner"}).status_code == 302
    assert member_a_client.post(remove_url(helper)).status_code == 302
    assert not Membership.objects.filter(pk=helper.pk).exists()


@pytest.mark.parametrize("page", [role_url, remove_url])
def test_who_may_not_manage_members_is_refused_before_any_password_is_asked(
    page, helper, member_b_client, officer_client
):
    editor = Client()
    editor.force_login(helper.user)
    for client in (member_b_client, officer_client, editor):
        password_given_minutes_ago(client, 11)
    assert member_b_client.get(page(helper)).status_code == 404
    assert officer_client.get(page(helper)).status_code == 403
    assert editor.post(page(helper), {"role": "owner"}).status_code == 403
    assert Client().get(page(helper)).url.startswith(reverse("accounts:sign_in"))
    assert officer_client.put(page(helper)).status_code == 405


def test_removing_yourself_is_leaving_with_no_password_asked(member_a_client, member_a, group_a):
    password_given_minutes_ago(member_a_client, 11)
    own = Membership.objects.get(user=member_a, organisation=group_a)
    response = member_a_client.get(remove_url(own))
    assert response.url == reverse("mapping:group_leave", args=[group_a.pk])


# Memberships in the admin: giving, changing and taking away a group's roles -----------------


@pytest.fixture
def staff_admin(db):
    """A staff member (not a superuser) who may manage organisations and memberships."""
    user = make_user("sam@council.test", "Sam Staff", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="mapping",
            codename__in=[
                "view_organisation",
                "change_organisation",
                "view_membership",
                "add_membership",
                "change_membership",
                "delete_membership",
                "view_invitation",
                "add_invitation",
                "change_invitation",
            ],
        )
    )
    return user


@pytest.fixture
def staff_admin_client(staff_admin):
    return staff_client_for(staff_admin)


def membership_form(membership, role):
    return {"user": membership.user_id, "organisation": membership.organisation_id, "role": role}


def test_a_stale_staff_admin_confirms_the_password_before_changing_a_role(
    staff_admin_client, helper
):
    password_given_minutes_ago(staff_admin_client, 11)
    url = reverse("admin:mapping_membership_change", args=[helper.pk])
    assert staff_admin_client.get(url).url == f"{CONFIRM}?next={url.replace('/', '%2F')}"
    response = staff_admin_client.post(url, membership_form(helper, MembershipRole.OWNER))
    assert response.url.startswith(CONFIRM)
    helper.refresh_from_db()
    assert helper.role == MembershipRole.EDITOR
    back = staff_admin_client.post(CONFIRM, {"password": PASSWORD, "next": url})
    assert back.url == url
    response = staff_admin_client.post(url, membership_form(helper, MembershipRole.OWNER))
    assert response.url == reverse("admin:mapping_membership_changelist")
    helper.refresh_from_db()
    assert helper.role == MembershipRole.OWNER


def test_a_stale_staff_admin_confirms_the_password_before_adding_a_member(
    staff_admin_client, group_a
):
    newcomer = UserFactory()
    form = {"user": newcomer.pk, "organisation": group_a.pk, "role": MembershipRole.OWNER}
    password_given_minutes_ago(staff_admin_client, 11)
    url = reverse("admin:mapping_membership_add")
    assert staff_admin_client.post(url, form).url.startswith(CONFIRM)
    assert not Membership.objects.filter(user=newcomer).exists()
    password_given_minutes_ago(staff_admin_client, 9)
    assert staff_admin_client.post(url, form).status_code == 302
    assert Membership.objects.get(user=newcomer).role == MembershipRole.OWNER


def test_an_invitation_made_in_the_admin_asks_too(staff_admin_client, staff_admin, group_a):
    # Accepting it gives the role, so making or changing one is giving a role.
    form = {
        "organisation": group_a.pk,
        "email": "new@x.test",
        "role": MembershipRole.OWNER,
        "invited_by": staff_admin.pk,
    }
    password_given_minutes_ago(staff_admin_client, 11)
    url = reverse("admin:mapping_invitation_add")
    assert staff_admin_client.post(url, form).url.startswith(CONFIRM)
    assert not Invitation.objects.exists()
    password_given_minutes_ago(staff_admin_client, 9)
    assert staff_admin_client.post(url, form).status_code == 302
    invitation = Invitation.objects.get(email="new@x.test")
    password_given_minutes_ago(staff_admin_client, 11)
    change = reverse("admin:mapping_invitation_change", args=[invitation.pk])
    form["role"] = MembershipRole.EDITOR
    assert staff_admin_client.post(change, form).url.startswith(CONFIRM)
    invitation.refresh_from_db()
    assert invitation.role == MembershipRole.OWNER
    list_url = reverse("admin:mapping_invitation_changelist")
    assert staff_admin_client.get(list_url).status_code == 200  # reading the list is free


def test_a_stale_staff_admin_confirms_the_password_before_removing_a_member(
    staff_admin_client, helper
):
    password_given_minutes_ago(staff_admin_client, 11)
    url = reverse("admin:mapping_membership_delete", args=[helper.pk])
    assert staff_admin_client.post(url, {"post": "yes"}).url.startswith(CONFIRM)
    assert Membership.objects.filter(pk=helper.pk).exists()
    password_given_minutes_ago(staff_admin_client, 9)
    assert staff_admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not Membership.objects.filter(pk=helper.pk).exists()


def test_deleting_memberships_from_the_list_asks_too(staff_admin_client, helper):
    password_given_minutes_ago(staff_admin_client, 11)
    url = reverse("admin:mapping_membership_changelist")
    assert staff_admin_client.get(url).status_code == 200  # reading the list is free
    action = {"action": "delete_selected", "_selected_action": [helper.pk], "post": "yes"}
    assert staff_admin_client.post(url, action).url.startswith(CONFIRM)
    assert Membership.objects.filter(pk=helper.pk).exists()
    password_given_minutes_ago(staff_admin_client, 9)
    assert staff_admin_client.post(url, action).status_code == 302
    assert not Membership.objects.filter(pk=helper.pk).exists()


def test_reverting_a_membership_to_a_past_version_asks_too(admin_client, helper):
    url = reverse(
        "admin:mapping_membership_simple_history",
        args=[helper.pk, helper.history.latest().history_id],
    )
    password_given_minutes_ago(admin_client, 11)
    response = admin_client.post(url, membership_form(helper, MembershipRole.OWNER))
    assert response.url.startswith(CONFIRM)
    helper.refresh_from_db()
    assert helper.role == MembershipRole.EDITOR


def test_reverting_a_person_to_a_past_version_asks_too(admin_client, member_a):
    url = reverse(
        "admin:accounts_user_simple_history",
        args=[member_a.pk, member_a.history.latest().history_id],
    )
    password_given_minutes_ago(admin_client, 11)
    assert admin_client.get(url).url.startswith(CONFIRM)
    form = {
        "email": member_a.email,
        "full_name": member_a.full_name,
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
    }
    assert admin_client.post(url, form).url.startswith(CONFIRM)
    member_a.refresh_from_db()
    assert not member_a.is_superuser


def test_the_organisation_admin_only_shows_its_members(staff_admin_client, group_a, helper):
    url = reverse("admin:mapping_organisation_change", args=[group_a.pk])
    response = staff_admin_client.get(url)
    assert response.status_code == 200
    members = next(
        formset
        for formset in response.context["inline_admin_formsets"]
        if formset.opts.model is Membership
    )
    assert not members.has_add_permission
    assert not members.has_change_permission
    assert not members.has_delete_permission
    assert 'name="memberships-0-role"' not in response.text
    assert 'name="memberships-0-DELETE"' not in response.text
    assert "Eddie Editor" in response.text
    # Each row links to the Membership admin, which asks for the password.
    change = reverse("admin:mapping_membership_change", args=[helper.pk])
    assert f'href="{change}"' in response.text
