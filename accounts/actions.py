"""Writes about accounts that need more than one statement (issue 4)."""

from django.db import IntegrityError, transaction

from accounts.models import User


def account_create(*, email, full_name, password):
    """A new, unconfirmed account; or the existing account with that address, unchanged.

    Never changes an existing account: otherwise anyone could set the password of an
    account they do not own and wait for its owner to confirm it. Two sign-ups racing
    with one address end with one account (the unique constraint decides).
    """
    existing = User.objects.filter(email=email).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return User.objects.create_user(email=email, password=password, full_name=full_name)
    except IntegrityError:
        return User.objects.get(email=email)
