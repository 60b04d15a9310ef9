"""Sending the app's emails: plain text, rendered from templates, never a 500.

A mail server that is down must not lose what the person just did (their account,
their group, an officer's decision are already saved): the failure is logged, and the
caller tells the person the email may not arrive.

An email about a change made inside a transaction (the handover's emails to groups) goes
with ``send_email_after_commit``: only once the change is committed, so a change that is
rolled back sends nothing, and a failure is logged without undoing the change.
"""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def send_email(*, to, subject_template, body_template, context=None):
    """Send one plain-text email to each address in ``to``; True if all were handed over.

    Templates get ``COUNCIL_NAME`` and ``SITE_URL`` (to build links) as well as
    ``context``.
    """
    context = {
        "COUNCIL_NAME": settings.COUNCIL_NAME,
        "SITE_URL": settings.SITE_URL.rstrip("/"),
        **(context or {}),
    }
    subject = " ".join(render_to_string(subject_template, context).split())
    body = render_to_string(body_template, context)
    sent = True
    for address in to:
        try:
            EmailMessage(subject=subject, body=body, to=[address]).send()
        except (smtplib.SMTPException, OSError):
            logger.exception("Could not send %r to one address", subject_template)
            sent = False
    return sent


def send_email_after_commit(*, to, subject_template, body_template, context=None):
    """``send_email`` once the current transaction commits (at once outside one).

    ``to`` is a function giving the addresses, called then: the email goes to whoever
    is concerned when it is sent, and making the change costs no query for it. Nothing
    here ever raises into the change: a failure to send is logged.
    """

    def send():
        send_email(
            to=to(),
            subject_template=subject_template,
            body_template=body_template,
            context=context,
        )

    transaction.on_commit(send, robust=True)
