from django.conf import settings


def site(request):
    """What every page needs: the council's name and the signed-in person's role.

    Kept free of database queries beyond the user (already loaded by the auth
    middleware) so that error pages render cheaply.
    """
    user = getattr(request, "user", None)
    return {
        "COUNCIL_NAME": settings.COUNCIL_NAME,
        "is_officer": bool(user and user.is_authenticated and user.is_officer),
    }
