"""The life of an expression of interest: every move allowed and forbidden, who may make
it, what is recorded, and who is told."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from mapping.models import VerificationStatus
from services.actions import (
    HandoverRefused,
    eoi_partner_invite,
    eoi_partner_remove,
    eoi_partner_respond,
    eoi_submission_problems,
    eoi_transition,
)
from services.models import (
    EOI_TRANSITIONS,
    Actor,
    EoiPartner,
    EoiStatus,
    EoiTransition,
    PartnerStatus,
)
from tests.factories import EoiPartnerFactory, MembershipFactory, OrganisationFactory
from tests.handover.conftest import in_status

pytestmark = pytest.mark.django_db

E = EoiStatus


def test_the_table_allows_exactly_these_moves():
    assert EOI_TRANSITIONS == {
        (E.DRAFT, E.SUBMITTED): Actor.GROUP,
        (E.DRAFT, E.WITHDRAWN): Actor.GROUP,
        (E.SUBMITTED, E.UNDER_REVIEW): Actor.OFFICER,
        (E.SUBMITTED, E.WITHDRAWN): Actor.GROUP,
        (E.UNDER_REVIEW, E.ACCEPTED): Actor.OFFICER,
        (E.UNDER_REVIEW, E.REJECTED): Actor.OFFICER,
        (E.UNDER_REVIEW, E.WITHDRAWN): Actor.GROUP,
    }


@pytest.mark.parametrize("actor", Actor.values)
@pytest.mark.parametrize("to", E.values)
@pytest.mark.parametrize("start", E.values)
def test_every_move_is_made_only_as_the_table_says(start, to, actor, draft, member_a, officer):
    in_status(draft, start)
    by = officer if actor == Actor.OFFICER else member_a
    allowed = EOI_TRANSITIONS.get((start, to)) == actor
    if allowed:
        moved = eoi_transition(eoi=draft, to_status=to, actor=actor, by=by, reason="Reasons")
        assert moved.status == to
        step = EoiTransition.objects.get(expression_of_interest=draft)
        assert (step.from_status, step.to_status, step.by, step.reason) == (
            start,
            to,
            by,
            "Reasons",
        )
        assert step.at is not None
    else:
        with pytest.raises(HandoverRefused):
            eoi_transition(eoi=draft, to_status=to, actor=actor, by=by, reason="Reasons")
        draft.refresh_from_db()
        assert draft.status == start
        assert not EoiTransition.objects.exists()


def test_nothing_jumps_from_draft_to_accepted(draft, officer):
    with pytest.raises(HandoverRefused) as refused:
        eoi_transition(
            eoi=draft, to_status=E.ACCEPTED, actor=Actor.OFFICER, by=officer, reason="Good"
        )
    assert "It is draft, so it cannot be moved to accepted" in refused.value.message


def test_a_group_cannot_decide_and_an_officer_cannot_withdraw(draft, member_a, officer):
    in_status(draft, E.UNDER_REVIEW)
    with pytest.raises(HandoverRefused) as refused:
        eoi_transition(eoi=draft, to_status=E.ACCEPTED, actor=Actor.GROUP, by=member_a, reason="x")
    assert refused.value.message == "Only a council officer can move it to accepted."
    with pytest.raises(HandoverRefused) as refused:
        eoi_transition(eoi=draft, to_status=E.WITHDRAWN, actor=Actor.OFFICER, by=officer)
    assert refused.value.message == "Only the lead group can move it to withdrawn."


@pytest.mark.parametrize("decision", [E.ACCEPTED, E.REJECTED])
@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_decision_needs_reasons(draft, officer, decision, reason):
    in_status(draft, E.UNDER_REVIEW)
    with pytest.raises(HandoverRefused, match="Give the reasons"):
        eoi_transition(
            eoi=draft, to_status=decision, actor=Actor.OFFICER, by=officer, reason=reason
        )
    draft.refresh_from_db()
    assert draft.status == E.UNDER_REVIEW and draft.decided_at is None


def test_submitting_sets_the_decision_due_date_from_the_response_period(draft, member_a, settings):
    settings.EOI_RESPONSE_DAYS = 30
    moved = eoi_transition(eoi=draft, to_status=E.SUBMITTED, actor=Actor.GROUP, by=member_a)
    today = timezone.localdate()
    assert moved.decision_due_on == today + datetime.timedelta(days=30)
    assert timezone.localdate(moved.submitted_at) == today
    assert moved.version == draft.version + 1


def test_a_decision_records_who_when_and_why(draft, officer):
    in_status(draft, E.UNDER_REVIEW)
    moved = eoi_transition(
        eoi=draft, to_status=E.REJECTED, actor=Actor.OFFICER, by=officer, reason=" Too thin. "
    )
    assert (moved.decided_by, moved.decision_reason) == (officer, "Too thin.")
    assert moved.decided_at is not None


def test_of_two_officers_deciding_at_once_the_second_is_refused(draft, officer):
    in_status(draft, E.UNDER_REVIEW)
    stale = type(draft).objects.get(pk=draft.pk)
    eoi_transition(eoi=draft, to_status=E.ACCEPTED, actor=Actor.OFFICER, by=officer, reason="A")
    with pytest.raises(HandoverRefused, match="It is accepted"):
        eoi_transition(
            eoi=stale, to_status=E.REJECTED, actor=Actor.OFFICER, by=officer, reason="B"
        )
    assert EoiTransition.objects.filter(expression_of_interest=draft).count() == 1


# What stops a submission -------------------------------------------------------------------


def test_a_complete_draft_of_a_verified_group_has_no_problems(draft):
    assert eoi_submission_problems(draft) == []


def test_a_group_not_yet_verified_cannot_submit(draft, member_a):
    draft.lead_organisation.verification_status = VerificationStatus.PENDING
    draft.lead_organisation.save()
    with pytest.raises(HandoverRefused, match="not verified your group yet"):
        eoi_transition(eoi=draft, to_status=E.SUBMITTED, actor=Actor.GROUP, by=member_a)
    draft.refresh_from_db()
    assert draft.status == E.DRAFT


def test_a_draft_needs_a_proposal_and_some_capacity(draft):
    draft.proposal = " "
    draft.capacity_evidence = ""
    draft.save()
    draft.offers.clear()
    assert eoi_submission_problems(draft) == [
        "Say what you propose.",
        "Tell the council about the capacity you bring: choose one of your group's offers "
        "or describe it.",
    ]


def test_an_offer_alone_is_enough_capacity(draft):
    draft.capacity_evidence = ""
    draft.save()
    assert eoi_submission_problems(draft) == []


def test_every_invitation_must_be_answered_first(draft, group_b):
    EoiPartnerFactory(expression_of_interest=draft, organisation=group_b)
    assert eoi_submission_problems(draft) == [
        "Group B Library Volunteers has not answered your invitation to be a partner. Wait "
        "for an answer, or cancel the invitation."
    ]
    EoiPartner.objects.update(status=PartnerStatus.DECLINED)
    assert eoi_submission_problems(draft) == []


# Who is told ------------------------------------------------------------------------------


def test_the_lead_and_accepted_partners_are_emailed_at_each_change(draft, member_a, officer, send):
    accepted = OrganisationFactory(name="Accepted Partners")
    MembershipFactory(organisation=accepted, user__email="yes@partner.test")
    for status, email in [(PartnerStatus.INVITED, "maybe"), (PartnerStatus.DECLINED, "no")]:
        other = OrganisationFactory()
        MembershipFactory(organisation=other, user__email=f"{email}@partner.test")
        EoiPartnerFactory(expression_of_interest=draft, organisation=other, status=status)
    EoiPartnerFactory(
        expression_of_interest=draft, organisation=accepted, status=PartnerStatus.ACCEPTED
    )
    in_status(draft, E.UNDER_REVIEW)

    send(
        eoi_transition,
        eoi=draft,
        to_status=E.REJECTED,
        actor=Actor.OFFICER,
        by=officer,
        reason="It does not say how the Saturday opening would be staffed.",
    )

    assert sorted(m.to[0] for m in mail.outbox) == ["alice@group-a.test", "yes@partner.test"]
    message = mail.outbox[0]
    assert message.subject == "Expression of interest in Central Library: rejected"
    assert "decided not to accept the expression of interest in Central Library" in message.body
    assert "It does not say how the Saturday opening would be staffed." in message.body
    assert f"/handover/{draft.pk}/" in message.body


def test_no_email_is_sent_when_the_move_is_refused(draft, officer, send):
    with pytest.raises(HandoverRefused):
        send(
            eoi_transition,
            eoi=draft,
            to_status=E.ACCEPTED,
            actor=Actor.OFFICER,
            by=officer,
            reason="x",
        )
    assert mail.outbox == []


def test_a_group_without_members_is_emailed_at_its_contact_address(draft, member_a, send):
    partner = OrganisationFactory(contact_email="hello@nomembers.test")
    send(eoi_partner_invite, eoi=draft, organisation=partner, by=member_a)
    assert [m.to for m in mail.outbox] == [["hello@nomembers.test"]]


# Partners ------------------------------------------------------------------------------------


def test_an_invited_group_is_told_and_listed_only_once_it_accepts(
    draft, group_b, member_a, member_b, send
):
    partner = send(eoi_partner_invite, eoi=draft, organisation=group_b, by=member_a)
    assert partner.status == PartnerStatus.INVITED
    assert [m.to for m in mail.outbox] == [["bob@group-b.test"]]
    assert "invites your group to be a partner" in mail.outbox[0].subject
    assert f"/handover/{draft.pk}/partners/{partner.pk}/answer/" in mail.outbox[0].body
    assert draft in type(draft).objects.involving(group_a := draft.lead_organisation)
    assert draft not in type(draft).objects.involving(group_b)

    send(eoi_partner_respond, partner=partner, accept=True, by=member_b)
    partner.refresh_from_db()
    assert (partner.status, partner.responded_by) == (PartnerStatus.ACCEPTED, member_b)
    assert mail.outbox[-1].to == ["alice@group-a.test"]
    assert mail.outbox[-1].subject == "Group B Library Volunteers has accepted your invitation"
    assert draft in type(draft).objects.involving(group_b)
    assert group_a == draft.lead_organisation


def test_a_group_that_declined_can_be_asked_again(draft, group_b, member_a, member_b):
    partner = eoi_partner_invite(eoi=draft, organisation=group_b, by=member_a)
    eoi_partner_respond(partner=partner, accept=False, by=member_b)
    again = eoi_partner_invite(eoi=draft, organisation=group_b, by=member_a)
    assert again.pk == partner.pk
    assert (again.status, again.responded_at) == (PartnerStatus.INVITED, None)


def test_a_group_cannot_be_invited_twice_or_partner_itself(draft, group_b, member_a):
    eoi_partner_invite(eoi=draft, organisation=group_b, by=member_a)
    with pytest.raises(HandoverRefused, match="already been invited"):
        eoi_partner_invite(eoi=draft, organisation=group_b, by=member_a)
    with pytest.raises(HandoverRefused, match="Your own group leads"):
        eoi_partner_invite(eoi=draft, organisation=draft.lead_organisation, by=member_a)


def test_a_removed_partner_is_told(draft, group_b, member_a, send):
    partner = EoiPartnerFactory(expression_of_interest=draft, organisation=group_b)
    MembershipFactory(organisation=group_b, user__email="carol@group-b.test")
    send(eoi_partner_remove, partner=partner, by=member_a)
    assert not EoiPartner.objects.exists()
    assert [m.to for m in mail.outbox] == [["carol@group-b.test"]]
    assert "no longer a partner" in mail.outbox[0].subject


@pytest.mark.parametrize("status", [E.SUBMITTED, E.UNDER_REVIEW, E.ACCEPTED])
def test_partners_are_fixed_once_it_is_submitted(draft, group_b, member_a, member_b, status):
    partner = EoiPartnerFactory(
        expression_of_interest=draft, organisation=group_b, status=PartnerStatus.ACCEPTED
    )
    in_status(draft, status)
    with pytest.raises(HandoverRefused):
        eoi_partner_invite(eoi=draft, organisation=OrganisationFactory(), by=member_a)
    with pytest.raises(HandoverRefused):
        eoi_partner_respond(partner=partner, accept=False, by=member_b)
    with pytest.raises(HandoverRefused):
        eoi_partner_remove(partner=partner, by=member_a)
    partner.refresh_from_db()
    assert partner.status == PartnerStatus.ACCEPTED


def test_a_mail_server_that_is_down_never_undoes_the_change(
    draft, member_a, send, settings, caplog
):
    settings.MAILERS = {"default": {"BACKEND": "tests.handover.test_transitions.BrokenMail"}}
    moved = send(eoi_transition, eoi=draft, to_status=E.SUBMITTED, actor=Actor.GROUP, by=member_a)
    draft.refresh_from_db()
    assert draft.status == moved.status == E.SUBMITTED
    assert "the mail server is down" in caplog.text


class BrokenMail:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")
