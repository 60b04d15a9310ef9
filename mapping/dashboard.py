"""What the officer home page shows from community capacity (groups waiting for review)."""


def officer_home_context(request):
    from mapping.gaps import analyse
    from mapping.models import Organisation

    # Four aggregated queries whatever the size of the borough (see mapping.gaps).
    return {
        "falling_through": analyse(with_demand=False).falling_through(),
        # Groups waiting for review (issue 4).
        "pending_groups": Organisation.objects.pending().count(),
    }
