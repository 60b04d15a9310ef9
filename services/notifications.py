"""Emails to community groups about their expressions of interest, nominations, agreements
and monitoring returns (issue 7).

Each email goes to every active member of the group (one message each, so nobody sees
another's address), or to the group's contact email when it has no members. It is sent
once the transaction that made the change commits: a change that is rolled back sends
nothing, and a failure to send is logged without undoing the change.
"""

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User


def group_recipients(organisation):
    emails = list(
        User.objects.filter(memberships__organisation=organisation, is_active=True)
        .order_by("email")
        .values_list("email", flat=True)
    )
    if not emails and organisation.contact_email:
        emails = [organisation.contact_email]
    return emails


def site_link(name, *args):
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def notify_groups(organisations, template, context):
    """Email the members of each organisation, from ``services/email/<template>.txt`` and
    ``<template>_subject.txt``, after the current transaction commits."""
    organisations = list(organisations)

    def send():
        messages = []
        for organisation in organisations:
            message_context = {
                "organisation": organisation,
                "COUNCIL_NAME": settings.COUNCIL_NAME,
                **context,
            }
            subject = render_to_string(f"services/email/{template}_subject.txt", message_context)
            body = render_to_string(f"services/email/{template}.txt", message_context)
            messages.extend(
                EmailMessage(" ".join(subject.split()), body, None, [email])
                for email in group_recipients(organisation)
            )
        if messages:
            mailers.default.send_messages(messages)

    # robust: a mail server that is down is logged, and never turns a saved change into
    # an error page.
    transaction.on_commit(send, robust=True)
