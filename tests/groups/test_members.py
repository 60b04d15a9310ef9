"""Who manages a group: the members page, invitations (sent, accepted, cancelled),
changing roles, removing members and leaving. Only owners manage members, and a group
always keeps an owner."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from mapping import actions
from mapping.invitations import invitation_token
from mapping.models import Invitation, Membership, MembershipRole
from tests.conftest import client_for
from tests.factories import InvitationFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def members_url(organisation):
    return reverse("mapping:group_members", args=[organisation.pk])


def invite_url(organisation):
    return reverse("mapping:member_invite", args=[organisation.pk])


def role_url(membership):
    return reverse("mapping:member_role", args=[membership.organisation_id, membership.pk])


def remove_url(membership):
    return reverse("mapping:member_remove", args=[membership.organisation_id, membership.pk])


def leave_url(organisation):
    return reverse("mapping:group_leave", args=[organisation.pk])


def accept_url(invitation):
    return reverse("mapping:invitation_accept", args=[invitation_token(invitation)])


def cancel_url(invitation):
    return reverse("mapping:invitation_cancel", args=[invitation.organisation_id, invitation.pk])


def membership(user, organisation):
    return Membership.objects.get(user=user, organisation=organisation)


# The members page ------------------------------------------------------------------------


def test_an_owner_sees_members_invitations_and_what_they_can_do(
    member_a_client, member_a, editor_a, group_a
):
    InvitationFactory(organisation=group_a, email="sam@example.org", invited_by=member_a)
    response = member_a_client.get(members_url(group_a))
    assert response.status_code == 200
    page = response.text
    for text in ["Alice Member", "Eddie Editor", "Owner", "Editor", "sam@example.org"]:
        assert text in page
    assert "Invite someone" in page
    assert role_url(membership(editor_a, group_a)) in page
    assert remove_url(membership(editor_a, group_a)) in page
    # Nobody is offered to remove themselves here: that is "leave the group".
    assert remove_url(membership(member_a, group_a)) not in page


def test_an_editor_sees_who_manages_the_group_but_cannot_manage_them(
    editor_a_client, member_a, group_a
):
    InvitationFactory(organisation=group_a, email="sam@example.org")
    page = editor_a_client.get(members_url(group_a)).text
    assert "Alice Member" in page
    assert "Invite someone" not in page
    assert "sam@example.org" not in page
    assert role_url(membership(member_a, group_a)) not in page


def test_expired_and_accepted_invitations_are_not_listed(member_a_client, group_a):
    old = InvitationFactory(organisation=group_a, email="old@example.org")
    Invitation.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=15)
    )
    InvitationFactory(organisation=group_a, email="done@example.org", accepted_at=timezone.now())
    page = member_a_client.get(members_url(group_a)).text
    assert "old@example.org" not in page and "done@example.org" not in page


def test_the_members_list_sorts_and_pages(member_a_client, group_a, settings):
    settings.PAGE_SIZE = 2
    for name in ("Zed", "Amy"):
        MembershipFactory(
            organisation=group_a, user=UserFactory(full_name=name), role=MembershipRole.EDITOR
        )
    page = member_a_client.get(members_url(group_a) + "?sort=name").text
    assert page.index("Alice Member") < page.index("Amy") and "Zed" not in page
    assert "Showing 1 to 2 of 3" in page


def test_another_groups_members_are_not_found(member_a_client, group_b):
    assert member_a_client.get(members_url(group_b)).status_code == 404


# Inviting --------------------------------------------------------------------------------


def test_an_owner_invites_someone_by_email(member_a_client, member_a, group_a):
    response = member_a_client.post(
        invite_url(group_a), {"email": " Sam@Example.org", "role": "editor"}
    )
    assert response.status_code == 302 and response.url == members_url(group_a)
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "sam@example.org",
        MembershipRole.EDITOR,
        member_a,
    )
    assert mail.outbox[0].to == ["sam@example.org"]
    assert "Help manage Group A Friends of the Park" in mail.outbox[0].subject
    assert "Alice Member has invited you" in mail.outbox[0].body
    assert accept_url(invitation) in mail.outbox[0].body
    assert "We have emailed an invitation to sam@example.org" in (
        member_a_client.get(response.url).text
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "", "role": "editor"}, "Enter their email address"),
        ({"email": "sam at home", "role": "editor"}, "Enter an email address in the correct"),
        ({"email": "sam@example.org", "role": ""}, "Select what they can do"),
        ({"email": "sam@example.org", "role": "admin"}, "Select what they can do"),
        ({"email": "Eddie@group-a.test", "role": "owner"}, "already helps manage this group"),
    ],
)
def test_bad_invitations_are_explained(member_a_client, editor_a, group_a, data, message):
    response = member_a_client.post(invite_url(group_a), data)
    assert response.status_code == 200
    assert message in response.text
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_someone_already_invited_is_not_invited_twice(member_a_client, group_a):
    InvitationFactory(organisation=group_a, email="sam@example.org")
    response = member_a_client.post(
        invite_url(group_a), {"email": "sam@example.org", "role": "editor"}
    )
    assert "sam@example.org was invited on" in response.text
    assert "Cancel that invitation first" in response.text
    assert Invitation.objects.count() == 1


def test_one_address_gets_a_limited_number_of_invitations(member_a_client, group_a, settings):
    settings.INVITATIONS_PER_ADDRESS_PER_DAY = 1
    member_a_client.post(invite_url(group_a), {"email": "sam@example.org", "role": "editor"})
    Invitation.objects.all().delete()  # cancelled, so a second would be allowed by the form
    response = member_a_client.post(
        invite_url(group_a), {"email": "sam@example.org", "role": "editor"}
    )
    assert response.status_code == 429
    assert "limit on how many invitations" in response.text
    assert not Invitation.objects.exists()
    assert len(mail.outbox) == 1


def test_one_person_sends_a_limited_number_of_invitations(member_a_client, group_a, settings):
    settings.INVITATIONS_PER_HOUR = 2
    codes = [
        member_a_client.post(
            invite_url(group_a), {"email": f"person{n}@example.org", "role": "editor"}
        ).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]
    assert Invitation.objects.count() == 2


def test_an_editor_may_not_invite(editor_a_client, group_a):
    assert editor_a_client.get(invite_url(group_a)).status_code == 403
    response = editor_a_client.post(
        invite_url(group_a), {"email": "x@example.org", "role": "owner"}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_nobody_invites_to_another_group(member_a_client, group_b):
    response = member_a_client.post(
        invite_url(group_b), {"email": "x@example.org", "role": "owner"}
    )
    assert response.status_code == 404
    assert not Invitation.objects.exists()


# Accepting -------------------------------------------------------------------------------


@pytest.fixture
def invitation(group_a, member_a):
    return InvitationFactory(
        organisation=group_a, email="sam@example.org", role="editor", invited_by=member_a
    )


def test_someone_not_signed_in_is_asked_to_sign_in_or_create_an_account(anon_client, invitation):
    url = accept_url(invitation)
    response = anon_client.get(url)
    assert response.status_code == 200
    assert "Alice Member has invited you to help manage the group" in response.text
    assert f"/account/sign-in/?next={url}" in response.text
    assert f"/account/sign-up/?next={url}" in response.text
    response = anon_client.post(url)
    assert response.status_code == 302 and response.url.startswith("/account/sign-in/")
    assert not Membership.objects.filter(user__email="sam@example.org").exists()


def test_the_invited_person_accepts_and_joins_with_the_role(invitation, group_a):
    sam = UserFactory(email="sam@example.org", email_confirmed_at=None)
    client = client_for(sam)
    assert "Accept the invitation" in client.get(accept_url(invitation)).text
    response = client.post(accept_url(invitation))
    assert response.status_code == 302
    assert response.url == reverse("mapping:group_dashboard", args=[group_a.pk])
    assert membership(sam, group_a).role == MembershipRole.EDITOR
    invitation.refresh_from_db()
    assert invitation.accepted_by == sam and invitation.accepted_at is not None
    # The link came to the address: that confirms it.
    sam.refresh_from_db()
    assert sam.email_confirmed_at is not None


def test_someone_signed_in_with_another_address_cannot_accept(invitation, group_a):
    other = UserFactory(email="someone@else.example")
    client = client_for(other)
    response = client.get(accept_url(invitation))
    assert response.status_code == 403
    assert "This invitation is for another email address" in response.text
    assert client.post(accept_url(invitation)).status_code == 403
    assert not Membership.objects.filter(user=other).exists()


def test_an_invitation_works_once(invitation, group_a):
    sam = UserFactory(email="sam@example.org")
    client_for(sam).post(accept_url(invitation))
    response = client_for(sam).post(accept_url(invitation))
    assert response.status_code == 410
    assert "already been accepted" in response.text
    assert f"Go to {group_a.name}" in response.text
    assert Membership.objects.filter(user=sam).count() == 1


def test_an_expired_invitation_says_to_ask_for_a_new_one(invitation):
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=15)
    )
    sam = UserFactory(email="sam@example.org")
    response = client_for(sam).post(accept_url(invitation))
    assert response.status_code == 410
    assert "this one has expired" in response.text
    assert not Membership.objects.filter(user=sam).exists()


def test_an_altered_link_is_not_found(anon_client, invitation):
    token = invitation_token(invitation)
    for bad in (token[:-2], token.replace(":", ":x", 1), "12"):
        url = reverse("mapping:invitation_accept", args=[bad])
        assert anon_client.get(url).status_code == 404


def test_a_cancelled_invitation_is_not_found(anon_client, invitation):
    url = accept_url(invitation)
    invitation.delete()
    assert anon_client.get(url).status_code == 404


def test_accepting_twice_at_once_joins_once(invitation):
    sam = UserFactory(email="sam@example.org")
    actions.invitation_accept(invitation=invitation, user=sam)
    with pytest.raises(actions.InvitationNotOpen):
        actions.invitation_accept(invitation=invitation, user=sam)


def test_a_member_invited_again_keeps_their_role(invitation, editor_a, group_a):
    Membership.objects.filter(user=editor_a).update(role=MembershipRole.OWNER)
    invitation.email = editor_a.email
    invitation.save()
    actions.invitation_accept(invitation=invitation, user=editor_a)
    assert membership(editor_a, group_a).role == MembershipRole.OWNER


def test_the_invitation_email_link_works_end_to_end(member_a_client, group_a):
    member_a_client.post(invite_url(group_a), {"email": "sam@example.org", "role": "owner"})
    path = re.search(r"https?://[^/\s]+(/groups/invitations/\S+)", mail.outbox[0].body).group(1)
    sam = UserFactory(email="sam@example.org")
    client_for(sam).post(path)
    assert membership(sam, group_a).role == MembershipRole.OWNER


# Cancelling ------------------------------------------------------------------------------


def test_an_owner_cancels_an_invitation_after_confirming(member_a_client, invitation, group_a):
    response = member_a_client.get(cancel_url(invitation))
    assert response.status_code == 200
    assert "Cancel the invitation to sam@example.org?" in response.text
    assert Invitation.objects.exists()
    response = member_a_client.post(cancel_url(invitation))
    assert response.status_code == 302 and response.url == members_url(group_a)
    assert not Invitation.objects.exists()


def test_an_editor_may_not_cancel_invitations(editor_a_client, invitation):
    assert editor_a_client.post(cancel_url(invitation)).status_code == 403
    assert Invitation.objects.exists()


def test_another_groups_invitation_is_not_found(member_b_client, invitation):
    assert member_b_client.post(cancel_url(invitation)).status_code == 404
    # Nor through the owner's own group's address.
    url = reverse(
        "mapping:invitation_cancel", args=[member_b_group_pk(member_b_client), invitation.pk]
    )
    assert member_b_client.post(url).status_code == 404
    assert Invitation.objects.exists()


def member_b_group_pk(client):
    return Membership.objects.get(user__email="bob@group-b.test").organisation_id


# Changing roles --------------------------------------------------------------------------


def test_an_owner_makes_an_editor_an_owner(member_a_client, editor_a, group_a):
    member = membership(editor_a, group_a)
    response = member_a_client.get(role_url(member))
    assert response.status_code == 200
    assert "Change the role of Eddie Editor" in response.text
    response = member_a_client.post(role_url(member), {"role": "owner"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.role == MembershipRole.OWNER


def test_the_only_owner_cannot_be_made_an_editor(member_a_client, member_a, group_a):
    response = member_a_client.post(role_url(membership(member_a, group_a)), {"role": "editor"})
    assert response.status_code == 200
    assert "is the group&#x27;s only owner" in response.text
    assert membership(member_a, group_a).role == MembershipRole.OWNER


def test_with_two_owners_one_may_step_down(member_a_client, member_a, editor_a, group_a):
    Membership.objects.filter(user=editor_a).update(role=MembershipRole.OWNER)
    response = member_a_client.post(role_url(membership(member_a, group_a)), {"role": "editor"})
    assert response.status_code == 302
    assert membership(member_a, group_a).role == MembershipRole.EDITOR


def test_two_owners_demoting_each_other_leave_one_owner(member_a, editor_a, group_a):
    Membership.objects.filter(user=editor_a).update(role=MembershipRole.OWNER)
    first, second = membership(member_a, group_a), membership(editor_a, group_a)
    actions.member_role_change(member=first, role=MembershipRole.EDITOR)
    with pytest.raises(actions.LastOwner):
        actions.member_role_change(member=second, role=MembershipRole.EDITOR)
    assert Membership.objects.owners().filter(organisation=group_a).count() == 1


def test_a_bad_role_is_explained(member_a_client, editor_a, group_a):
    response = member_a_client.post(role_url(membership(editor_a, group_a)), {"role": "boss"})
    assert "Select what they can do" in response.text


def test_an_editor_may_not_change_roles(editor_a_client, member_a, editor_a, group_a):
    own = membership(editor_a, group_a)
    assert editor_a_client.post(role_url(own), {"role": "owner"}).status_code == 403
    own.refresh_from_db()
    assert own.role == MembershipRole.EDITOR


def test_roles_in_another_group_are_not_found(member_a_client, member_b, group_a, group_b):
    other = membership(member_b, group_b)
    assert member_a_client.post(role_url(other), {"role": "editor"}).status_code == 404
    # Nor through group A's address.
    url = reverse("mapping:member_role", args=[group_a.pk, other.pk])
    assert member_a_client.post(url, {"role": "editor"}).status_code == 404
    assert membership(member_b, group_b).role == MembershipRole.OWNER


# Removing and leaving --------------------------------------------------------------------


def test_an_owner_removes_a_member_after_confirming(member_a_client, editor_a, group_a):
    member = membership(editor_a, group_a)
    response = member_a_client.get(remove_url(member))
    assert response.status_code == 200
    assert "Remove Eddie Editor from the group?" in response.text
    response = member_a_client.post(remove_url(member))
    assert response.status_code == 302 and response.url == members_url(group_a)
    assert not Membership.objects.filter(user=editor_a).exists()


def test_removing_yourself_is_leaving(member_a_client, member_a, group_a):
    response = member_a_client.get(remove_url(membership(member_a, group_a)))
    assert response.status_code == 302 and response.url == leave_url(group_a)


def test_an_editor_may_not_remove_anyone(editor_a_client, member_a, group_a):
    assert editor_a_client.post(remove_url(membership(member_a, group_a))).status_code == 403
    assert Membership.objects.filter(user=member_a).exists()


def test_members_of_another_group_are_not_found(member_a_client, member_b, group_b):
    assert member_a_client.post(remove_url(membership(member_b, group_b))).status_code == 404
    assert Membership.objects.filter(user=member_b).exists()


def test_the_last_owner_is_never_removed(member_a, group_a):
    with pytest.raises(actions.LastOwner):
        actions.member_remove(member=membership(member_a, group_a))
    assert Membership.objects.filter(user=member_a).exists()


def test_an_editor_leaves_the_group(editor_a_client, editor_a, group_a):
    response = editor_a_client.get(leave_url(group_a))
    assert "Leave the group?" in response.text
    response = editor_a_client.post(leave_url(group_a))
    assert response.status_code == 302 and response.url == reverse("mapping:my_groups")
    assert not Membership.objects.filter(user=editor_a).exists()


def test_the_last_owner_cannot_leave(member_a_client, member_a, group_a):
    response = member_a_client.get(leave_url(group_a))
    assert "You cannot leave the group yet" in response.text
    assert "Leave the group</button>" not in response.text
    response = member_a_client.post(leave_url(group_a))
    assert response.status_code == 409
    assert Membership.objects.filter(user=member_a).exists()


def test_an_owner_leaves_once_there_is_another_owner(member_a_client, member_a, editor_a, group_a):
    Membership.objects.filter(user=editor_a).update(role=MembershipRole.OWNER)
    assert member_a_client.post(leave_url(group_a)).status_code == 302
    assert not Membership.objects.filter(user=member_a).exists()


def test_nobody_leaves_a_group_they_are_not_in(member_a_client, group_b):
    assert member_a_client.post(leave_url(group_b)).status_code == 404


# Anonymous people and methods, for every members address -----------------------------


@pytest.fixture
def member_urls(group_a, editor_a, invitation):
    member = membership(editor_a, group_a)
    return [
        members_url(group_a),
        invite_url(group_a),
        role_url(member),
        remove_url(member),
        leave_url(group_a),
        cancel_url(invitation),
    ]


def test_anonymous_people_are_asked_to_sign_in_everywhere(anon_client, member_urls):
    for url in member_urls:
        for response in (anon_client.get(url), anon_client.post(url)):
            assert response.status_code == 302, url
            assert response.url.startswith(reverse("accounts:sign_in")), url
    assert Membership.objects.count() == 2 and Invitation.objects.count() == 1


def test_other_methods_are_refused(member_a_client, member_urls):
    for url in member_urls:
        assert member_a_client.put(url).status_code == 405, url
    assert member_a_client.post(member_urls[0]).status_code == 405  # the list is read only


def test_an_officer_reads_the_members_but_manages_none(officer_client, group_a, member_urls):
    assert officer_client.get(member_urls[0]).status_code == 200
    for url in member_urls[1:4] + member_urls[5:]:
        assert officer_client.post(url).status_code == 403, url
