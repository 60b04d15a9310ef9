"""The group's pages: its handover page, drafting, partners, checking and submitting,
withdrawing. Only the lead group edits a draft; partners see it but cannot edit; officers
see it and decide; anyone else gets "not found"."""

import pytest
from django.core import mail
from django.urls import reverse

from mapping.models import SupportNeed
from services.models import (
    EoiPartner,
    EoiStatus,
    ExpressionOfInterest,
    PartnerStatus,
    Route,
)
from tests.factories import (
    AssetFactory,
    CapacityOfferFactory,
    EoiPartnerFactory,
    ExpressionOfInterestFactory,
    MembershipFactory,
    OrganisationFactory,
)
from tests.handover.conftest import in_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(draft, group_b):
    return EoiPartnerFactory(expression_of_interest=draft, organisation=group_b)


def url(name, *args):
    return reverse(f"services:{name}", args=args)


def eoi_urls(draft, invitation):
    return {
        "eoi_edit": url("eoi_edit", draft.pk),
        "eoi_partners": url("eoi_partners", draft.pk),
        "partner_remove": url("partner_remove", draft.pk, invitation.pk),
        "eoi_submit": url("eoi_submit", draft.pk),
        "eoi_withdraw": url("eoi_withdraw", draft.pk),
    }


# Who may do what ----------------------------------------------------------------------------


def test_anonymous_people_are_asked_to_sign_in(anon_client, draft, invitation, group_a):
    urls = [
        url("group_handover", group_a.pk),
        url("eoi_new", group_a.pk),
        url("eoi_detail", draft.pk),
        url("partner_respond", draft.pk, invitation.pk),
        *eoi_urls(draft, invitation).values(),
    ]
    for address in urls:
        response = anon_client.get(address)
        assert response.status_code == 302, address
        assert response["Location"].startswith(reverse("accounts:sign_in")), address


def test_another_group_sees_nothing_of_a_draft(draft, invitation, group_a):
    outsider = MembershipFactory(organisation=OrganisationFactory()).user
    from tests.conftest import client_for

    client = client_for(outsider)
    urls = [
        url("group_handover", group_a.pk),
        url("eoi_new", group_a.pk),
        url("eoi_detail", draft.pk),
        url("partner_respond", draft.pk, invitation.pk),
        *eoi_urls(draft, invitation).values(),
    ]
    for address in urls:
        assert client.get(address).status_code == 404, address
    for address in urls[1:2] + urls[3:]:  # the pages with forms
        assert client.post(address, {"answer": "accept"}).status_code == 404, address
    draft.refresh_from_db()
    assert draft.status == EoiStatus.DRAFT


def test_a_partner_sees_the_draft_but_cannot_change_it(member_b_client, draft, invitation):
    assert member_b_client.get(url("eoi_detail", draft.pk)).status_code == 200
    for name, address in eoi_urls(draft, invitation).items():
        assert member_b_client.get(address).status_code == 403, name
        assert member_b_client.post(address, {"proposal": "Ours now"}).status_code == 403, name
    draft.refresh_from_db()
    assert draft.proposal != "Ours now" and draft.status == EoiStatus.DRAFT


def test_a_partner_that_declined_no_longer_sees_it(member_b_client, draft, invitation):
    invitation.status = PartnerStatus.DECLINED
    invitation.save()
    assert member_b_client.get(url("eoi_detail", draft.pk)).status_code == 404


def test_an_officer_sees_the_draft_but_cannot_change_it(officer_client, draft, invitation):
    assert officer_client.get(url("eoi_detail", draft.pk)).status_code == 200
    assert officer_client.get(url("group_handover", draft.lead_organisation_id)).status_code == 200
    assert officer_client.get(url("eoi_new", draft.lead_organisation_id)).status_code == 403
    for name, address in eoi_urls(draft, invitation).items():
        assert officer_client.post(address, {}).status_code == 403, name


def test_the_group_is_told_that_officers_can_read_its_draft(member_a_client, draft):
    """Officers see drafts (above, and on the pipeline board): the group must not be told
    otherwise."""
    page = member_a_client.get(url("eoi_detail", draft.pk)).text
    assert "Council officers can read it" in page
    assert "cannot see it" not in page


def test_only_the_invited_group_answers_its_invitation(
    member_a_client, officer_client, draft, invitation
):
    address = url("partner_respond", draft.pk, invitation.pk)
    assert member_a_client.get(address).status_code == 403
    assert officer_client.post(address, {"answer": "accept"}).status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == PartnerStatus.INVITED


@pytest.mark.parametrize("name", ["group_handover", "eoi_detail"])
def test_read_only_pages_refuse_a_post(member_a_client, draft, name):
    pk = draft.lead_organisation_id if name == "group_handover" else draft.pk
    assert member_a_client.post(url(name, pk)).status_code == 405


def test_forms_refuse_other_methods(member_a_client, draft, invitation):
    for address in [
        url("eoi_new", draft.lead_organisation_id),
        *eoi_urls(draft, invitation).values(),
    ]:
        assert member_a_client.put(address).status_code == 405, address


# The group's handover page -------------------------------------------------------------------


def test_the_handover_page_lists_the_groups_work(member_a_client, draft, group_a, group_b):
    theirs = ExpressionOfInterestFactory(lead_organisation=group_b, proposal="Their own idea")
    EoiPartnerFactory(expression_of_interest=theirs, organisation=group_a)
    response = member_a_client.get(url("group_handover", group_a.pk))
    text = response.text
    assert "Central Library" in text
    assert "Start an expression of interest" in text
    assert f"{group_b.name}: {theirs.service.name}" in text
    assert "Answer the invitation" in text
    assert "There are no returns to send now" in text


def test_an_empty_handover_page_says_what_to_do(member_a_client, group_a):
    text = member_a_client.get(url("group_handover", group_a.pk)).text
    assert "Your group has not started any" in text
    assert "Your group has not nominated any" in text


# Starting and changing a draft --------------------------------------------------------------


def test_a_group_starts_a_draft(member_a_client, group_a, library, offer, member_a):
    need = SupportNeed.objects.get(code="training")
    response = member_a_client.post(
        url("eoi_new", group_a.pk),
        {
            "subject": f"service:{library.pk}",
            "route": Route.CO_PRODUCTION,
            "proposal": "Open on Saturdays with volunteers.",
            "capacity_evidence": "Twelve volunteers.",
            "offers": [offer.pk],
            "support_requested": [need.pk],
        },
    )
    eoi = ExpressionOfInterest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("eoi_detail", eoi.pk)
    assert (eoi.lead_organisation, eoi.service, eoi.asset, eoi.status) == (
        group_a,
        library,
        None,
        EoiStatus.DRAFT,
    )
    assert list(eoi.offers.all()) == [offer]
    assert list(eoi.support_requested.all()) == [need]
    assert eoi.created_by == member_a
    page = member_a_client.get(response["Location"])
    assert "Your draft has been saved" in page.text


def test_a_draft_can_be_for_a_council_building(member_a_client, group_a):
    hall = AssetFactory(name="Old Town Hall")
    member_a_client.post(
        url("eoi_new", group_a.pk),
        {"subject": f"asset:{hall.pk}", "route": Route.ASSET_TRANSFER, "proposal": "Run it."},
    )
    eoi = ExpressionOfInterest.objects.get()
    assert (eoi.asset, eoi.service) == (hall, None)


def test_the_service_can_be_chosen_from_its_page(member_a_client, group_a, library):
    response = member_a_client.get(url("eoi_new", group_a.pk), {"service": library.pk})
    assert response.context["form"].initial["subject"] == f"service:{library.pk}"


def test_an_empty_draft_says_what_is_missing(member_a_client, group_a):
    response = member_a_client.post(url("eoi_new", group_a.pk), {"proposal": "Kept"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["subject"] == ["Choose the service, building or land it is for"]
    assert errors["route"] == ["Choose how you want to be involved"]
    assert 'href="#id_subject"' in response.text
    assert "Kept" in response.text  # what was typed stays
    assert response.text.count("<h1") == 1
    assert "<title>Error:" in response.text
    assert not ExpressionOfInterest.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"subject": "service:abc"},
            "subject",
            "Select a valid choice. service:abc is not one of the available choices.",
        ),
        ({"route": Route.ASSET_TRANSFER}, "route", "Community asset transfer is for a building"),
        ({"proposal": "x" * 10_001}, "proposal", "Keep it to 10,000 characters or fewer"),
    ],
)
def test_it_explains_bad_answers(member_a_client, group_a, library, data, field, message):
    answers = {"subject": f"service:{library.pk}", "route": Route.CO_PRODUCTION} | data
    answers.setdefault("proposal", "Run it")
    response = member_a_client.post(url("eoi_new", group_a.pk), answers)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not ExpressionOfInterest.objects.exists()


def test_another_groups_offer_cannot_be_claimed(member_a_client, group_a, group_b, library):
    theirs = CapacityOfferFactory(organisation=group_b, service=library)
    response = member_a_client.post(
        url("eoi_new", group_a.pk),
        {
            "subject": f"service:{library.pk}",
            "route": Route.CO_PRODUCTION,
            "proposal": "Run it",
            "offers": [theirs.pk],
        },
    )
    assert "offers" in response.context["form"].errors
    assert not ExpressionOfInterest.objects.exists()


def test_a_group_has_one_open_expression_of_interest_per_service(member_a_client, draft):
    response = member_a_client.post(
        url("eoi_new", draft.lead_organisation_id),
        {"subject": f"service:{draft.service_id}", "route": Route.VOLUNTEERING, "proposal": "x"},
    )
    assert response.context["form"].errors["subject"] == [
        "Your group already has an expression of interest for Central Library. Open that "
        "one instead."
    ]
    in_status(draft, EoiStatus.REJECTED)
    member_a_client.post(
        url("eoi_new", draft.lead_organisation_id),
        {"subject": f"service:{draft.service_id}", "route": Route.VOLUNTEERING, "proposal": "x"},
    )
    assert ExpressionOfInterest.objects.count() == 2


def edit_data(eoi, **changes):
    return {
        "version": eoi.version,
        "subject": f"service:{eoi.service_id}",
        "route": eoi.route,
        "proposal": eoi.proposal,
        "capacity_evidence": eoi.capacity_evidence,
    } | changes


def test_the_lead_group_changes_its_draft(member_a_client, draft):
    response = member_a_client.get(url("eoi_edit", draft.pk))
    assert response.context["form"].initial["subject"] == f"service:{draft.service_id}"
    response = member_a_client.post(
        url("eoi_edit", draft.pk), edit_data(draft, proposal="Open on Sundays too.")
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.proposal, draft.version) == ("Open on Sundays too.", 2)


def test_a_draft_saved_by_someone_else_meanwhile_is_not_overwritten(member_a_client, draft):
    stale = edit_data(draft, proposal="Mine")
    ExpressionOfInterest.objects.filter(pk=draft.pk).update(proposal="Theirs", version=2)
    response = member_a_client.post(url("eoi_edit", draft.pk), stale)
    assert response.status_code == 200
    assert "Someone else in your group saved this draft" in response.text
    draft.refresh_from_db()
    assert draft.proposal == "Theirs"
    assert response.context["form"]["version"].value() == 2
    # Saving again, having seen the conflict, is a deliberate choice.
    member_a_client.post(url("eoi_edit", draft.pk), edit_data(draft, proposal="Mine"))
    draft.refresh_from_db()
    assert draft.proposal == "Mine"


def test_a_submitted_one_can_no_longer_be_changed(member_a_client, draft):
    in_status(draft, EoiStatus.SUBMITTED)
    response = member_a_client.post(url("eoi_edit", draft.pk), edit_data(draft, proposal="New"))
    assert response["Location"] == url("eoi_detail", draft.pk)
    draft.refresh_from_db()
    assert draft.proposal != "New"
    assert "can no longer be changed" in member_a_client.get(response["Location"]).text


# Partners ------------------------------------------------------------------------------------


def test_the_lead_invites_a_partner_who_is_emailed(
    member_a_client, draft, group_b, member_b, send
):
    response = send(
        member_a_client.post, url("eoi_partners", draft.pk), {"organisation": group_b.pk}
    )
    assert response["Location"] == url("eoi_partners", draft.pk)
    partner = EoiPartner.objects.get()
    assert (partner.organisation, partner.status) == (group_b, PartnerStatus.INVITED)
    assert [m.to for m in mail.outbox] == [["bob@group-b.test"]]
    page = member_a_client.get(response["Location"])
    assert "Group B Library Volunteers has been invited" in page.text
    assert "Cancel the invitation" in page.text


@pytest.mark.parametrize("choice", ["", "999999", "lead"])
def test_it_explains_a_bad_choice_of_partner(member_a_client, draft, choice):
    value = draft.lead_organisation_id if choice == "lead" else choice
    response = member_a_client.post(url("eoi_partners", draft.pk), {"organisation": value})
    assert response.status_code == 200
    assert response.context["form"].errors["organisation"] in (
        ["Choose the group to invite"],
        ["Choose a group from the list"],
    )
    assert not EoiPartner.objects.exists()


def test_an_invitation_is_cancelled_after_confirming(member_a_client, draft, invitation):
    address = url("partner_remove", draft.pk, invitation.pk)
    page = member_a_client.get(address)
    assert "Cancel the invitation to Group B Library Volunteers?" in page.text
    assert EoiPartner.objects.exists()
    member_a_client.post(address)
    assert not EoiPartner.objects.exists()


def test_a_partner_accepts(member_b_client, draft, invitation, send):
    address = url("partner_respond", draft.pk, invitation.pk)
    assert "What it proposes" in member_b_client.get(address).text
    response = send(member_b_client.post, address, {"answer": "accept"})
    assert response["Location"] == url("eoi_detail", draft.pk)
    invitation.refresh_from_db()
    assert invitation.status == PartnerStatus.ACCEPTED
    assert [m.to for m in mail.outbox] == [["alice@group-a.test"]]


def test_a_partner_declines_and_goes_back_to_its_own_page(member_b_client, draft, invitation):
    response = member_b_client.post(
        url("partner_respond", draft.pk, invitation.pk), {"answer": "decline"}
    )
    assert response["Location"] == url("group_handover", invitation.organisation_id)
    invitation.refresh_from_db()
    assert invitation.status == PartnerStatus.DECLINED


def test_a_partner_must_choose_an_answer(member_b_client, draft, invitation):
    response = member_b_client.post(url("partner_respond", draft.pk, invitation.pk), {})
    assert response.context["form"].errors["answer"] == [
        "Say whether your group wants to be a partner"
    ]


# Checking and submitting ---------------------------------------------------------------------


def test_the_lead_checks_its_answers_then_submits(member_a_client, draft, send, settings):
    settings.EOI_RESPONSE_DAYS = 60
    page = member_a_client.get(url("eoi_submit", draft.pk))
    assert "Check your answers before submitting" in page.text
    assert "Accept and submit" in page.text
    assert "decide within 60 days" in page.text
    draft.refresh_from_db()
    assert draft.status == EoiStatus.DRAFT

    response = send(member_a_client.post, url("eoi_submit", draft.pk))
    assert response["Location"] == url("eoi_detail", draft.pk)
    draft.refresh_from_db()
    assert draft.status == EoiStatus.SUBMITTED
    assert [m.to for m in mail.outbox] == [["alice@group-a.test"]]
    assert "sent to the council" in member_a_client.get(response["Location"]).text


def test_it_cannot_be_submitted_with_problems(member_a_client, draft, invitation):
    page = member_a_client.get(url("eoi_submit", draft.pk))
    assert "You cannot submit it yet" in page.text
    assert "has not answered your invitation" in page.text
    assert "Accept and submit" not in page.text
    response = member_a_client.post(url("eoi_submit", draft.pk))
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == EoiStatus.DRAFT


def test_submitting_twice_does_nothing_more(member_a_client, draft):
    member_a_client.post(url("eoi_submit", draft.pk))
    response = member_a_client.post(url("eoi_submit", draft.pk))
    assert response["Location"] == url("eoi_detail", draft.pk)
    assert draft.transitions.count() == 1


# Withdrawing ---------------------------------------------------------------------------------


def test_the_lead_withdraws_after_confirming(member_a_client, draft, send):
    in_status(draft, EoiStatus.UNDER_REVIEW)
    page = member_a_client.get(url("eoi_withdraw", draft.pk))
    assert "Are you sure you want to withdraw it?" in page.text
    send(member_a_client.post, url("eoi_withdraw", draft.pk), {"reason": "We lost our hall."})
    draft.refresh_from_db()
    assert draft.status == EoiStatus.WITHDRAWN
    assert draft.transitions.get().reason == "We lost our hall."
    assert mail.outbox[0].subject == "Expression of interest in Central Library: withdrawn"


def test_a_decided_one_cannot_be_withdrawn(member_a_client, draft):
    in_status(draft, EoiStatus.ACCEPTED)
    response = member_a_client.post(url("eoi_withdraw", draft.pk))
    assert response["Location"] == url("eoi_detail", draft.pk)
    draft.refresh_from_db()
    assert draft.status == EoiStatus.ACCEPTED
