"""Sensitive actions (changing someone's roles, erasing a person) ask for the password
again when it was given more than 10 minutes ago."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.decorators import SESSION_AUTHENTICATED_AT_KEY, recent_authentication_required
from accounts.models import OFFICERS_GROUP
from mapping.models import Membership, MembershipRole
from tests.conftest import PASSWORD
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
