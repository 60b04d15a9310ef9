"""What the officer home page shows from the handover pipeline (overdue decisions, returns)."""


def officer_home_context(request):
    return {}
