"""What the officer home page shows from community capacity (groups waiting for review)."""


def officer_home_context(request):
    return {}
