"""Invitation links: signed with SECRET_KEY, so an invitation's address cannot be
guessed, and they stop working INVITATION_DAYS after they were sent."""

import datetime

from django.core import signing

from mapping.models import Invitation

SALT = "mapping.invitation"


def invitation_token(invitation):
    return signing.dumps(invitation.pk, salt=SALT)


def invitation_id_for_token(token):
    """The invitation's id, or None for a token that was altered or cut short. A genuine
    token past its time still gives the id: the page then says the invitation expired."""
    try:
        return signing.loads(
            token, salt=SALT, max_age=datetime.timedelta(days=Invitation.INVITATION_DAYS)
        )
    except signing.SignatureExpired:
        return signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
