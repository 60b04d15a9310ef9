import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from mapping.access import get_organisation_for_user
from mapping.models import Membership, MembershipRole
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def request_by(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_a_member_gets_their_own_organisation(member_a, group_a):
    organisation, membership = get_organisation_for_user(request_by(member_a), group_a.pk)
    assert organisation == group_a
    assert membership.is_owner


def test_a_member_of_another_group_gets_404(member_a, group_b):
    with pytest.raises(Http404):
        get_organisation_for_user(request_by(member_a), group_b.pk)


def test_an_editor_may_write_but_not_manage_members(group_a):
    editor = UserFactory()
    Membership.objects.create(user=editor, organisation=group_a, role=MembershipRole.EDITOR)
    get_organisation_for_user(request_by(editor), group_a.pk, write=True)
    with pytest.raises(PermissionDenied):
        get_organisation_for_user(request_by(editor), group_a.pk, manage=True)


def test_an_officer_sees_any_organisation_but_changes_none(officer, group_b):
    organisation, membership = get_organisation_for_user(request_by(officer), group_b.pk)
    assert (organisation, membership) == (group_b, None)
    with pytest.raises(PermissionDenied):
        get_organisation_for_user(request_by(officer), group_b.pk, write=True)


def test_anonymous_and_missing_organisations_get_404(member_a, group_a):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(Http404):
        get_organisation_for_user(request_by(AnonymousUser()), group_a.pk)
    with pytest.raises(Http404):
        get_organisation_for_user(request_by(member_a), 999999)
