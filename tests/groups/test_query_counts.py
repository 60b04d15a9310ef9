"""Each group page and the review queue take the same number of queries for a group with
2 offers and members as for one with 30: no query per offer, member, ward or group."""

import pytest
from django.urls import reverse

from mapping.models import Membership, MembershipRole, Organisation, VerificationStatus
from tests.factories import (
    CapacityOfferFactory,
    InvitationFactory,
    OrganisationFactory,
    ServiceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Every signed-in page starts with three: the session, the user, whether they are an officer.
SIGNED_IN = 3
# The person's membership of the group, then the group.
GROUP = 2


@pytest.fixture
def build(group_a, member_a, parks, wards, reference):
    """Group A with ``size`` offers (each for its own service, naming two wards, with
    support needs and skills), ``size`` more members, ``size`` open invitations; and
    ``size`` groups waiting for review, each with an owner, wards and an offer."""

    def build(size):
        skills, needs = reference
        for n in range(size):
            service = ServiceFactory(name=f"Service {n:02d}", category=parks, wards=wards)
            offer = CapacityOfferFactory(organisation=group_a, service=service, wards=wards[:2])
            offer.support_needed.set(needs)
            offer.skills.set(skills)
            Membership.objects.create(
                user=UserFactory(), organisation=group_a, role=MembershipRole.EDITOR
            )
            InvitationFactory(organisation=group_a, invited_by=member_a)
            waiting = OrganisationFactory(
                verification_status=VerificationStatus.PENDING, wards_served=wards
            )
            Membership.objects.create(
                user=UserFactory(), organisation=waiting, role=MembershipRole.OWNER
            )
            CapacityOfferFactory(organisation=waiting, service=service, wards=wards)
            # Alice helps other groups too ("your groups").
            Membership.objects.create(
                user=member_a, organisation=waiting, role=MembershipRole.EDITOR
            )
        return group_a

    return build


# page: the queries after signing in, each named.
PAGES = {
    # the person's groups, with each group
    "my_groups": 1,
    # the group with its counts, its wards; the first offers, their wards, their needs;
    # the handover panel (issue 7): its five queries
    "dashboard": GROUP + 1 + 3 + 5,
    # how many offers, the page of offers, their wards, their needs
    "offer_list": GROUP + 4,
    # how many members, the page of members with their accounts, the open invitations
    "members": GROUP + 3,
    # the kinds of service with their counts
    "choose_service": GROUP + 1,
    # the kind chosen, how many services, the page of services (each with its offer id)
    "browse_category": GROUP + 3,
    # the offer with its service, the service's wards, the offer's wards, skills and
    # support needs; the choices of skill and of support need
    "offer_edit": GROUP + 5 + 2,
    # the service, its wards, whether the group has an offer for it already; the choices
    "offer_create": GROUP + 3 + 2,
    # the group's wards, the choice of wards
    "profile_edit": GROUP + 2,
    # how many are waiting, the page of them, their wards, their owners
    "review_queue": 4,
    # the group, its wards, its owners, its offers, their wards
    "review_organisation": 5,
}


def url_for(name, group):
    offer = group.offers.order_by("pk").first()
    waiting = Organisation.objects.pending().order_by("pk").first()
    if name == "offer_create":
        fresh = ServiceFactory(name="Not offered yet", wards=list(offer.service.wards.all()))
        return reverse("mapping:offer_create", args=[group.pk, fresh.pk])
    return {
        "my_groups": reverse("mapping:my_groups"),
        "dashboard": reverse("mapping:group_dashboard", args=[group.pk]),
        "offer_list": reverse("mapping:offer_list", args=[group.pk]),
        "members": reverse("mapping:group_members", args=[group.pk]),
        "choose_service": reverse("mapping:offer_choose_service", args=[group.pk]),
        "browse_category": reverse("mapping:offer_choose_service", args=[group.pk])
        + "?category=parks",
        "offer_edit": reverse("mapping:offer_edit", args=[group.pk, offer.pk]),
        "profile_edit": reverse("mapping:group_profile_edit", args=[group.pk]),
        "review_queue": reverse("mapping:review_queue"),
        "review_organisation": reverse("mapping:review_organisation", args=[waiting.pk]),
    }[name]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("size", [2, 30])
def test_each_page_takes_the_same_queries_whatever_the_size(
    page, size, build, member_a_client, officer_client, django_assert_num_queries
):
    group = build(size)
    url = url_for(page, group)
    client = officer_client if page.startswith("review") else member_a_client
    with django_assert_num_queries(SIGNED_IN + PAGES[page]):
        response = client.get(url)
    assert response.status_code == 200, url
    if "page_obj" in response.context:
        assert response.context["page_obj"].object_list, "the page must show rows"
