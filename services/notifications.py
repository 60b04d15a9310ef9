"""Emails to community groups about their expressions of interest, nominations, agreements
and monitoring returns (issue 7).

Each email goes to every active member of the group (one message each, so nobody sees
another's address), or to the group's contact email when it has no members. It is sent
once the transaction that made the change commits (``bigsociety.mail``): a change that is
rolled back sends nothing, and a failure to send is logged without undoing the change.
"""

from functools import partial

from django.conf import settings
from django.urls import reverse

from accounts.models import User
from bigsociety.mail import send_email_after_commit


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
    for organisation in organisations:
        send_email_after_commit(
            to=partial(group_recipients, organisation),
            subject_template=f"services/email/{template}_subject.txt",
            body_template=f"services/email/{template}.txt",
            context={"organisation": organisation, **context},
        )
