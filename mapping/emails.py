"""Emails to community groups (issue 4): invitations and the council's review."""

from django.urls import reverse

from bigsociety.mail import send_email
from mapping.invitations import invitation_token
from mapping.models import Membership


def send_invitation(invitation):
    return send_email(
        to=[invitation.email],
        subject_template="mapping/email/invitation_subject.txt",
        body_template="mapping/email/invitation.txt",
        context={
            "invitation": invitation,
            "link": reverse("mapping:invitation_accept", args=[invitation_token(invitation)]),
        },
    )


def send_review_outcome(organisation):
    """Tell the group's owners that the council verified or rejected it, and why."""
    owners = Membership.objects.owners().filter(organisation=organisation, user__is_active=True)
    return send_email(
        to=list(owners.values_list("user__email", flat=True)),
        subject_template="mapping/email/review_subject.txt",
        body_template="mapping/email/review.txt",
        context={
            "organisation": organisation,
            "link": reverse("mapping:group_dashboard", args=[organisation.pk]),
        },
    )
