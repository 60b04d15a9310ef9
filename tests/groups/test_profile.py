"""Changing a group's details: who may, what is checked, conflicts between two members
saving at once, and when the group goes back to the council for review."""

import pytest
from django.urls import reverse

from mapping import actions
from mapping.group_forms import OrganisationForm
from mapping.models import Organisation, VerificationStatus
from tests.factories import OrganisationFactory
from tests.groups.conftest import organisation_data

pytestmark = pytest.mark.django_db


def edit_url(organisation):
    return reverse("mapping:group_profile_edit", args=[organisation.pk])


def edit_data(organisation, wards, **changes):
    return organisation_data(
        wards, **{"name": organisation.name, "version": organisation.version, **changes}
    )


def test_the_form_shows_the_saved_details(member_a_client, group_a, wards):
    group_a.wards_served.set([wards[1]])
    response = member_a_client.get(edit_url(group_a))
    assert response.status_code == 200
    assert 'value="Group A Friends of the Park"' in response.text
    assert f'name="version" value="{group_a.version}"' in response.text
    assert 'value="wards" id="id_area_1" checked' in response.text
    assert f'value="{wards[1].pk}" id="id_wards_served_1" checked' in response.text


def test_a_member_saves_the_details(member_a_client, group_a, wards):
    response = member_a_client.post(
        edit_url(group_a), edit_data(group_a, wards, name="Friends of the Park", volunteers="30")
    )
    assert response.status_code == 302
    assert response.url == reverse("mapping:group_dashboard", args=[group_a.pk])
    group_a.refresh_from_db()
    assert (group_a.name, group_a.volunteers, group_a.version) == ("Friends of the Park", 30, 2)
    assert set(group_a.wards_served.all()) == {wards[0], wards[2]}
    # A verified group that only changed its name stays verified.
    assert group_a.verification_status == VerificationStatus.VERIFIED
    page = member_a_client.get(response.url).text
    assert "The group&#x27;s details have been saved" in page


def test_an_editor_may_change_the_details(editor_a_client, group_a, wards):
    response = editor_a_client.post(edit_url(group_a), edit_data(group_a, wards, volunteers="3"))
    assert response.status_code == 302
    group_a.refresh_from_db()
    assert group_a.volunteers == 3


def test_bad_input_is_explained_and_nothing_is_saved(member_a_client, group_a, wards):
    response = member_a_client.post(edit_url(group_a), edit_data(group_a, wards, postcode="S"))
    assert response.status_code == 200
    assert "Enter a real postcode" in response.text
    group_a.refresh_from_db()
    assert group_a.version == 1 and group_a.postcode == "SE6 4RU"


def test_a_page_without_its_version_is_refused(member_a_client, group_a, wards):
    response = member_a_client.post(edit_url(group_a), edit_data(group_a, wards, version=None))
    assert response.status_code == 200
    assert "This page was out of date" in response.text


def test_its_own_number_is_not_a_clash(member_a_client, group_a, wards):
    group_a.charity_number = "1123456"
    group_a.save()
    response = member_a_client.post(
        edit_url(group_a), edit_data(group_a, wards, charity_number="1123456")
    )
    assert response.status_code == 302


def test_another_groups_number_is_refused(member_a_client, group_a, group_b, wards):
    group_b.company_number = "01234567"
    group_b.save()
    response = member_a_client.post(
        edit_url(group_a), edit_data(group_a, wards, company_number="1234567")
    )
    assert "company number 01234567 is already registered" in response.text


class TestTwoMembersSavingAtOnce:
    def test_the_second_save_shows_a_conflict_with_the_current_values(
        self, member_a_client, editor_a_client, group_a, wards
    ):
        started = edit_data(group_a, wards)  # both opened the page at version 1
        first = editor_a_client.post(
            edit_url(group_a), {**started, "volunteers": "40", "description": "Editor's words"}
        )
        assert first.status_code == 302
        second = member_a_client.post(edit_url(group_a), {**started, "volunteers": "15"})
        assert second.status_code == 200
        assert "Someone else saved changes to the group" in second.text
        assert "What is saved now" in second.text
        differences = dict(second.context["differences"])
        assert differences["Number of volunteers"] == 40
        assert differences["What does the group do?"] == "Editor's words"
        # Nothing of the second member's was written...
        group_a.refresh_from_db()
        assert (group_a.volunteers, group_a.version) == (40, 2)
        # ...their answers are kept, now based on the saved version...
        assert 'value="15"' in second.text
        assert 'name="version" value="2"' in second.text
        # ...and saving again is a deliberate choice that replaces the first save.
        again = member_a_client.post(
            edit_url(group_a), {**started, "volunteers": "15", "version": 2}
        )
        assert again.status_code == 302
        group_a.refresh_from_db()
        assert (group_a.volunteers, group_a.version) == (15, 3)

    def test_the_action_refuses_a_save_from_an_old_version(self, group_a, wards):
        stale = OrganisationForm(edit_data(group_a, wards), instance=group_a)
        assert stale.is_valid()
        Organisation.objects.filter(pk=group_a.pk).update(version=5)
        with pytest.raises(actions.OrganisationChanged) as changed:
            actions.organisation_update(form=stale, expected_version=1)
        assert changed.value.current.version == 5


class TestReviewAfterChanges:
    def test_changing_a_verified_groups_number_sends_it_back_for_review(
        self, member_a_client, group_a, wards, officer
    ):
        group_a.verify(by=officer)
        response = member_a_client.post(
            edit_url(group_a), edit_data(group_a, wards, charity_number="1123456")
        )
        group_a.refresh_from_db()
        assert group_a.verification_status == VerificationStatus.PENDING
        assert group_a.verified_by is None and group_a.verified_at is None
        assert "sent to the council to check again" in member_a_client.get(response.url).text

    def test_any_change_sends_a_rejected_group_back_for_review(
        self, member_a_client, group_a, wards, officer
    ):
        group_a.reject(by=officer, reason="Please give the charity number")
        member_a_client.post(
            edit_url(group_a), edit_data(group_a, wards, charity_number="1123456")
        )
        group_a.refresh_from_db()
        assert group_a.verification_status == VerificationStatus.PENDING
        assert group_a.verification_reason == ""

    def test_a_save_started_before_an_officers_decision_never_undoes_it(
        self, group_a, wards, officer
    ):
        group_a.verification_status = VerificationStatus.PENDING
        group_a.save()
        form = OrganisationForm(edit_data(group_a, wards, volunteers="99"), instance=group_a)
        assert form.is_valid()
        actions.organisation_review(
            organisation=group_a, officer=officer, verify=True, reason="", expected_version=1
        )
        saved, back_for_review = actions.organisation_update(form=form, expected_version=1)
        saved.refresh_from_db()
        assert saved.volunteers == 99
        assert saved.verification_status == VerificationStatus.VERIFIED
        assert saved.verified_by == officer
        assert not back_for_review


def test_another_groups_details_are_not_found(member_a_client, group_b, wards):
    assert member_a_client.get(edit_url(group_b)).status_code == 404
    response = member_a_client.post(edit_url(group_b), edit_data(group_b, wards, name="Taken"))
    assert response.status_code == 404
    group_b.refresh_from_db()
    assert group_b.name == "Group B Library Volunteers"


def test_an_officer_may_not_change_a_groups_details_here(officer_client, group_a):
    assert officer_client.get(edit_url(group_a)).status_code == 403


def test_anonymous_people_are_asked_to_sign_in(anon_client, group_a):
    response = anon_client.get(edit_url(group_a))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign_in"))


def test_it_refuses_other_methods(member_a_client, group_a):
    assert member_a_client.put(edit_url(group_a)).status_code == 405


def test_a_member_of_a_pending_group_can_change_it(member_a_client, group_a, wards):
    OrganisationFactory()  # other groups do not matter
    group_a.verification_status = VerificationStatus.PENDING
    group_a.save()
    response = member_a_client.post(edit_url(group_a), edit_data(group_a, wards, area="borough"))
    assert response.status_code == 302
    group_a.refresh_from_db()
    assert group_a.serves_whole_borough and not group_a.wards_served.exists()
