"""The one way the site sends email (bigsociety.mail): at once, saying whether it went, or
once a change is committed; a mail server that is down is logged, never an error."""

import smtplib

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.db import transaction

from bigsociety.mail import send_email, send_email_after_commit

pytestmark = pytest.mark.django_db

INVITATION = {
    "subject_template": "mapping/email/invitation_subject.txt",
    "body_template": "mapping/email/invitation.txt",
}


@pytest.fixture
def invitation():
    from tests.factories import InvitationFactory

    return InvitationFactory(email="new@example.test")


def context(invitation):
    return {"invitation": invitation, "link": "/groups/invitations/x/"}


def test_it_sends_one_message_to_each_address(invitation):
    assert send_email(
        to=["a@example.test", "b@example.test"], context=context(invitation), **INVITATION
    )
    assert [m.to for m in mail.outbox] == [["a@example.test"], ["b@example.test"]]
    assert "\n" not in mail.outbox[0].subject


def test_a_mail_server_that_is_down_is_logged_and_reported(invitation, monkeypatch, caplog):
    def down(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("the mail server is down")

    monkeypatch.setattr(EmailMessage, "send", down)
    assert send_email(to=["a@example.test"], context=context(invitation), **INVITATION) is False
    assert "the mail server is down" in caplog.text


def test_after_commit_it_sends_only_once_the_change_is_committed(
    invitation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        send_email_after_commit(
            to=lambda: ["a@example.test"], context=context(invitation), **INVITATION
        )
        assert mail.outbox == []
    assert len(callbacks) == 1
    assert [m.to for m in mail.outbox] == [["a@example.test"]]


def test_a_change_rolled_back_sends_nothing(invitation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        send_email_after_commit(
            to=lambda: ["a@example.test"], context=context(invitation), **INVITATION
        )
        transaction.set_rollback(True)
    assert mail.outbox == []


def test_the_addresses_are_read_when_the_email_goes(
    invitation, django_capture_on_commit_callbacks
):
    addresses = ["a@example.test"]
    with django_capture_on_commit_callbacks(execute=True):
        send_email_after_commit(
            to=lambda: list(addresses), context=context(invitation), **INVITATION
        )
        addresses.append("b@example.test")
    assert [m.to for m in mail.outbox] == [["a@example.test"], ["b@example.test"]]


def test_after_commit_a_failure_never_reaches_the_change(
    invitation, django_capture_on_commit_callbacks, settings, caplog
):
    settings.MAILERS = {"default": {"BACKEND": "tests.handover.test_transitions.BrokenMail"}}
    with django_capture_on_commit_callbacks(execute=True):
        send_email_after_commit(
            to=lambda: ["a@example.test"], context=context(invitation), **INVITATION
        )
    assert "the mail server is down" in caplog.text
