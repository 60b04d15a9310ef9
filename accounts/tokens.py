"""Signed, expiring links sent by email: confirming an email address.

The token names the account and the address it confirms, so a link stops working
if the address changes. Nothing is stored: the signature (with SECRET_KEY) and the
timestamp inside the token are the proof.
"""

from django.conf import settings
from django.core import signing

from accounts.models import User

CONFIRMATION_SALT = "accounts.email-confirmation"


class LinkExpired(Exception):
    """The link was genuine but is older than its time limit."""


class LinkInvalid(Exception):
    """The link was altered, cut short or belongs to no account."""


def confirmation_token(user):
    return signing.dumps({"user": user.pk, "email": user.email}, salt=CONFIRMATION_SALT)


def user_for_confirmation(token):
    """The account a confirmation link is for, or LinkExpired / LinkInvalid."""
    try:
        data = signing.loads(
            token, salt=CONFIRMATION_SALT, max_age=settings.ACCOUNT_CONFIRMATION_MAX_AGE
        )
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        raise LinkInvalid from None
    user = User.objects.filter(pk=data.get("user"), email=data.get("email")).first()
    if user is None or not user.is_active:
        raise LinkInvalid
    return user
