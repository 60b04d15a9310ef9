"""Every officer mapping page takes the same number of queries with 5 services x 5 wards
as with 50 x 50: no query per row, per cell or per ward."""

import pytest
from django.urls import reverse

# Every officer page starts with three: the session, the user, and whether the user is
# an officer.
SIGNED_IN = 3
# The gap analysis: services, cells, wards, capacity summed per cell (+ demand).
ANALYSIS = 4
DEMAND = 1
# The ids of the services a page's filters choose, to narrow the analysis of them all.
NARROWING = 1
# A ranked list of offers: the offers, their wards, their support needs.
CANDIDATES = 3
# The latest changes to the record, with who made them (issue 9).
HISTORY = 1


def services_url(s, w, o):
    return reverse("services:service_list")


PAGES = {
    # count, page, the analysis of the page's services, the category and ward choices
    "service_list": (services_url, SIGNED_IN + 2 + ANALYSIS + 2),
    "service_list_filtered": (
        lambda s, w, o: services_url(s, w, o) + f"?ward={w[1].pk}&q=Service&sort=-hours",
        SIGNED_IN + 1 + 2 + ANALYSIS + 2,  # + checking the chosen ward exists
    ),
    # the analysis of every filtered service, the rows
    "service_list_export": (
        lambda s, w, o: services_url(s, w, o) + "?export=csv",
        SIGNED_IN + ANALYSIS + 1,
    ),
    # the service, its analysis, the groups ready to help, its history
    "service_detail": (
        lambda s, w, o: reverse("services:service_detail", args=[s[1].pk]),
        SIGNED_IN + 1 + ANALYSIS + DEMAND + CANDIDATES + HISTORY,
    ),
    "service_detail_export": (
        lambda s, w, o: reverse("services:service_detail", args=[s[1].pk]) + "?export=xlsx",
        SIGNED_IN + 1 + ANALYSIS + DEMAND + CANDIDATES,
    ),
    # the service with its wards, and the form's choices: categories, wards, officers
    "service_edit": (
        lambda s, w, o: reverse("services:service_edit", args=[s[1].pk]),
        SIGNED_IN + 2 + 3,
    ),
    # count, page, the wards each group serves, the choices of ward, service, category
    # and support need
    "organisation_directory": (
        lambda s, w, o: reverse("mapping:organisation_directory"),
        SIGNED_IN + 3 + 4,
    ),
    "organisation_directory_filtered": (
        lambda s, w, o: (
            reverse("mapping:organisation_directory")
            + f"?verification_status=verified&ward={w[1].pk}&sort=-offers"
        ),
        SIGNED_IN + 1 + 3 + 4,  # + checking the chosen ward exists
    ),
    # the rows, the wards each group serves
    "organisation_export": (
        lambda s, w, o: reverse("mapping:organisation_directory") + "?export=xlsx",
        SIGNED_IN + 2,
    ),
    # membership check, the group, its wards, its offers with wards, needs and skills,
    # its history
    "organisation_detail": (
        lambda s, w, o: reverse("mapping:organisation_detail", args=[o[1].pk]),
        SIGNED_IN + 3 + 4 + HISTORY,
    ),
    # the analysis, the category choices
    "gap_matrix": (
        lambda s, w, o: reverse("mapping:gap_matrix"),
        SIGNED_IN + ANALYSIS + NARROWING + 1,
    ),
    "gap_matrix_export": (
        lambda s, w, o: reverse("mapping:gap_matrix") + "?export=csv&include_pending=on",
        SIGNED_IN + ANALYSIS + DEMAND + NARROWING,
    ),
    # the analysis, residents per ward, the boundaries, the category choices
    "gap_map": (
        lambda s, w, o: reverse("mapping:gap_map"),
        SIGNED_IN + ANALYSIS + NARROWING + 3,
    ),
    "gap_map_comfort": (
        lambda s, w, o: reverse("mapping:gap_map") + "?metric=comfort",
        SIGNED_IN + ANALYSIS + NARROWING + 3,
    ),
    "gap_map_export": (
        lambda s, w, o: reverse("mapping:gap_map") + "?metric=capacity&export=csv",
        SIGNED_IN + ANALYSIS + NARROWING + 2,
    ),
    "gap_method": (lambda s, w, o: reverse("mapping:gap_method"), SIGNED_IN),
    # the ward, its analysis, how many groups are ready to help there, a page of them,
    # its history
    "ward_detail": (
        lambda s, w, o: reverse("mapping:ward_detail", args=[w[1].code]),
        SIGNED_IN + 1 + ANALYSIS + DEMAND + 1 + CANDIDATES + HISTORY,
    ),
    "ward_detail_export": (
        lambda s, w, o: (
            reverse("mapping:ward_detail", args=[w[1].code]) + "?export=csv&table=groups"
        ),
        SIGNED_IN + 1 + ANALYSIS + DEMAND + CANDIDATES,
    ),
    # overall, by ward, the needs, the wards, the category choices
    "support_needs": (lambda s, w, o: reverse("mapping:support_needs"), SIGNED_IN + 5),
    "support_needs_export": (
        lambda s, w, o: reverse("mapping:support_needs") + "?export=xlsx",
        SIGNED_IN + 4,  # as the page, without the category choices
    ),
    "organisation_detail_export": (
        lambda s, w, o: reverse("mapping:organisation_detail", args=[o[1].pk]) + "?export=csv",
        SIGNED_IN + 3 + 4,
    ),
    "service_detail_groups_export": (
        lambda s, w, o: (
            reverse("services:service_detail", args=[s[1].pk]) + "?export=csv&table=groups"
        ),
        SIGNED_IN + 1 + ANALYSIS + DEMAND + CANDIDATES,
    ),
    # the ward, its analysis: the services table needs no groups
    "ward_detail_services_export": (
        lambda s, w, o: reverse("mapping:ward_detail", args=[w[1].code]) + "?export=xlsx",
        SIGNED_IN + 1 + ANALYSIS + DEMAND,
    ),
    # the services falling through the gaps, from the analysis without demand, and the
    # number of groups waiting for review, and the handover pipeline's panel (overdue
    # decisions, overdue returns, returns waiting for review: six queries)
    "officer_home": (lambda s, w, o: reverse("home"), SIGNED_IN + ANALYSIS + 1 + 6),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("size", [5, 50])
def test_each_page_takes_the_same_queries_whatever_the_size(
    page, size, borough, officer_client, django_assert_num_queries
):
    services, wards, organisations = borough(size, size)
    url, expected = PAGES[page]
    with django_assert_num_queries(expected):
        response = officer_client.get(url(services, wards, organisations))
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    if page.endswith(("list", "directory", "filtered")):
        assert response.context["page_obj"].object_list, "the page must show rows"
