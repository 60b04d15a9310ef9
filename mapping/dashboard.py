"""What the officer home page shows from community capacity (groups waiting for review)."""


def officer_home_context(request):
    from mapping.gaps import analyse

    # Four aggregated queries whatever the size of the borough (see mapping.gaps).
    return {"falling_through": analyse(with_demand=False).falling_through()}
