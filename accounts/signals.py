from django.contrib.auth.models import update_last_login
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

from accounts.decorators import SESSION_AUTHENTICATED_AT_KEY

SESSION_STARTED_KEY = "_session_started"
SESSION_LAST_SEEN_KEY = "_session_last_seen"


@receiver(user_logged_in)
def stamp_session(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    now = int(timezone.now().timestamp())
    request.session[SESSION_STARTED_KEY] = now
    request.session[SESSION_LAST_SEEN_KEY] = now
    request.session[SESSION_AUTHENTICATED_AT_KEY] = now


# Django saves the whole user on every sign-in to set last_login, which would add a
# history record per sign-in. Write the one column instead: history keeps the changes
# people make, and last_login is on the user's admin page.
user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")


@receiver(user_logged_in, dispatch_uid="bigsociety_update_last_login")
def record_last_login(sender, request, user, **kwargs):
    user.last_login = timezone.now()
    type(user)._default_manager.filter(pk=user.pk).update(last_login=user.last_login)
