"""Capacity offers: finding a service in the catalogue, adding, changing and withdrawing
an offer, conflicts between two members, and who may do what."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mapping import actions
from mapping.group_forms import CapacityOfferForm
from mapping.models import CapacityOffer, OfferRole, Willingness
from tests.factories import CapacityOfferFactory, ServiceFactory
from tests.groups.conftest import offer_data

pytestmark = pytest.mark.django_db


def choose_url(organisation, query=""):
    return reverse("mapping:offer_choose_service", args=[organisation.pk]) + query


def create_url(organisation, service):
    return reverse("mapping:offer_create", args=[organisation.pk, service.pk])


def edit_url(offer):
    return reverse("mapping:offer_edit", args=[offer.organisation_id, offer.pk])


def withdraw_url(offer):
    return reverse("mapping:offer_withdraw", args=[offer.organisation_id, offer.pk])


def list_url(organisation, query=""):
    return reverse("mapping:offer_list", args=[organisation.pk]) + query


# Finding a service -----------------------------------------------------------------------


def test_the_catalogue_opens_on_kinds_of_service(member_a_client, group_a, service):
    ServiceFactory(name="Hidden", category=service.category, published=False)
    response = member_a_client.get(choose_url(group_a))
    assert response.status_code == 200
    assert "Parks and green spaces" in response.text
    assert "1 service" in response.text  # unpublished services are not counted
    assert "?category=parks" in response.text


def test_a_kind_of_service_lists_its_published_services(member_a_client, group_a, service):
    ServiceFactory(name="Hidden", category=service.category, published=False)
    response = member_a_client.get(choose_url(group_a, "?category=parks"))
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">Parks and green spaces</h1>' in response.text
    assert create_url(group_a, service) in response.text
    assert "Hidden" not in response.text


def test_searching_by_name_finds_services_of_every_kind(member_a_client, group_a, service):
    response = member_a_client.get(choose_url(group_a, "?q=litter"))
    assert create_url(group_a, service) in response.text
    response = member_a_client.get(choose_url(group_a, "?q=nothing+like+it"))
    assert "No services match" in response.text


def test_a_service_already_offered_links_to_the_offer(member_a_client, group_a, service):
    offer = CapacityOfferFactory(organisation=group_a, service=service)
    page = member_a_client.get(choose_url(group_a, "?category=parks")).text
    assert "Your group has an offer for this service already" in page
    assert edit_url(offer) in page
    assert create_url(group_a, service) not in page


def test_high_risk_services_say_only_supporting_roles_count(
    member_a_client, group_a, high_risk_service
):
    page = member_a_client.get(choose_url(group_a, "?category=adult-social-care")).text
    assert "High risk" in page
    assert "Only supporting roles count" in page


def test_an_unknown_kind_of_service_is_explained(member_a_client, group_a, service):
    response = member_a_client.get(choose_url(group_a, "?category=nope"))
    assert response.status_code == 200
    assert "There is a problem" in response.text


# Adding an offer -------------------------------------------------------------------------


def test_the_offer_form_lists_the_wards_the_service_covers(
    member_a_client, group_a, service, wards
):
    response = member_a_client.get(create_url(group_a, service))
    assert response.status_code == 200
    assert "Offer to help with Litter picking" in response.text
    assert "Everywhere the service runs (2 wards)" in response.text
    assert "Bellingham" in response.text and "Catford South" in response.text
    assert "Ladywell" not in response.text  # the service does not cover it


def test_a_group_offers_help_everywhere_the_service_runs(
    member_a_client, group_a, service, wards, reference
):
    skills, needs = reference
    response = member_a_client.post(
        create_url(group_a, service),
        offer_data(
            skills=[skills[0].pk],
            support_needed=[needs[0].pk, needs[1].pk],
            earliest_start_day="1",
            earliest_start_month="9",
            earliest_start_year="2027",
            conditions="Weekends only",
        ),
    )
    assert response.status_code == 302
    assert response.url == reverse("mapping:group_dashboard", args=[group_a.pk])
    offer = CapacityOffer.objects.get()
    assert (offer.organisation, offer.service) == (group_a, service)
    assert set(offer.wards.all()) == set(wards[:2])
    assert (offer.willingness, offer.role) == (Willingness.READY_NOW, OfferRole.VOLUNTEER)
    assert (offer.volunteer_hours_per_month, offer.volunteers) == (20, 4)
    assert list(offer.skills.all()) == [skills[0]]
    assert set(offer.support_needed.all()) == set(needs)
    assert offer.earliest_start == datetime.date(2027, 9, 1)
    assert offer.conditions == "Weekends only"
    assert offer.version == 1
    page = member_a_client.get(response.url).text
    assert "Your offer for Litter picking has been added" in page
    assert "Training" in page


def test_a_group_offers_help_in_some_wards(member_a_client, group_a, service, wards):
    member_a_client.post(
        create_url(group_a, service), offer_data(where="some", wards=[wards[1].pk])
    )
    assert list(CapacityOffer.objects.get().wards.all()) == [wards[1]]


def test_a_service_covering_no_wards_lets_the_group_pick_any(member_a_client, group_a, wards):
    service = ServiceFactory(name="Borough events")
    response = member_a_client.get(create_url(group_a, service))
    assert "Everywhere the service runs" not in response.text
    assert "Ladywell" in response.text
    response = member_a_client.post(create_url(group_a, service), offer_data(where=None))
    assert "Select the wards where the group could help" in response.text
    member_a_client.post(create_url(group_a, service), offer_data(where=None, wards=[wards[2].pk]))
    assert list(CapacityOffer.objects.get().wards.all()) == [wards[2]]


@pytest.mark.parametrize(
    ("changes", "anchor", "message"),
    [
        ({"where": ""}, "id_where_0", "Select where the group could help"),
        ({"where": "some"}, "id_wards_0", "Select the wards where the group could help, or"),
        ({"where": "some", "wards": ["zz"]}, "id_wards_0", "Select wards from the list"),
        ({"willingness": ""}, "id_willingness_0", "Select how ready the group is"),
        ({"willingness": "keen"}, "id_willingness_0", "Select how ready the group is"),
        ({"role": ""}, "id_role_0", "Select what the group would do"),
        ({"volunteer_hours_per_month": ""}, "id_volunteer_hours_per_month", "or 0"),
        ({"volunteer_hours_per_month": "ten"}, "id_volunteer_hours_per_month", "for example 20"),
        ({"volunteer_hours_per_month": "-5"}, "id_volunteer_hours_per_month", "less than 0"),
        ({"volunteer_hours_per_month": "100001"}, "id_volunteer_hours_per_month", "100,000"),
        ({"volunteers": "lots"}, "id_volunteers", "Enter the number of volunteers as a whole"),
        ({"skills": ["999999"]}, "id_skills_0", "Select skills from the list"),
        ({"support_needed": ["x"]}, "id_support_needed_0", "Select help from the list"),
        ({"preferred_governance": "king"}, "id_preferred_governance_0", "Select who should"),
        (
            {
                "earliest_start_day": "31",
                "earliest_start_month": "2",
                "earliest_start_year": "2027",
            },
            "id_earliest_start_0",
            "Enter a real date",
        ),
        (
            {
                "earliest_start_day": "1",
                "earliest_start_month": "1",
                "earliest_start_year": "2099",
            },
            "id_earliest_start_0",
            "Enter a date in the next 10 years",
        ),
        (
            {
                "earliest_start_day": "1",
                "earliest_start_month": "1",
                "earliest_start_year": "1066",
            },
            "id_earliest_start_0",
            "Enter a date after 1900",
        ),
        ({"conditions": "x" * 3001}, "id_conditions", "Write 3,000 characters or fewer"),
    ],
)
def test_it_explains_each_problem_and_keeps_the_answers(
    member_a_client, group_a, service, changes, anchor, message
):
    data = offer_data(**{"volunteers": "17", **changes})
    response = member_a_client.post(create_url(group_a, service), data)
    assert response.status_code == 200
    assert message in response.text
    assert f'href="#{anchor}"' in response.text
    assert "Error:" in response.text.split("</title>")[0]
    if "volunteers" not in changes:
        assert 'value="17"' in response.text
    assert not CapacityOffer.objects.exists()


def test_a_high_risk_service_says_plainly_what_counts(member_a_client, group_a, high_risk_service):
    page = member_a_client.get(create_url(group_a, high_risk_service)).text
    assert "This is a high-risk service" in page
    assert "only offers to co-produce, volunteer alongside council staff" in page


def test_an_offer_to_run_a_high_risk_service_is_kept_but_said_not_to_count(
    member_a_client, group_a, high_risk_service
):
    member_a_client.post(create_url(group_a, high_risk_service), offer_data(role="run_service"))
    page = member_a_client.get(reverse("mapping:group_dashboard", args=[group_a.pk])).text
    assert "This offer is kept but does not count" in page


def test_a_service_already_offered_opens_that_offer(member_a_client, group_a, service):
    offer = CapacityOfferFactory(organisation=group_a, service=service)
    response = member_a_client.get(create_url(group_a, service))
    assert response.status_code == 302 and response.url == edit_url(offer)
    response = member_a_client.post(create_url(group_a, service), offer_data())
    assert response.status_code == 302 and response.url == edit_url(offer)
    assert CapacityOffer.objects.count() == 1


def test_two_members_adding_the_same_offer_at_once_end_with_one(group_a, service):
    form = CapacityOfferForm(offer_data(), service=service_with_wards(service))
    assert form.is_valid()
    first = CapacityOfferFactory(organisation=group_a, service=service)
    with pytest.raises(actions.OfferExists) as exists:
        actions.capacity_offer_create(form=form, organisation=group_a, service=service)
    assert exists.value.offer == first
    assert CapacityOffer.objects.count() == 1


def service_with_wards(service):
    service.ward_list = list(service.wards.all())
    return service


def test_an_unpublished_service_cannot_be_offered(member_a_client, group_a, wards):
    hidden = ServiceFactory(published=False, wards=wards)
    assert member_a_client.get(create_url(group_a, hidden)).status_code == 404
    assert member_a_client.post(create_url(group_a, hidden), offer_data()).status_code == 404
    assert not CapacityOffer.objects.exists()


# Changing an offer -----------------------------------------------------------------------


@pytest.fixture
def offer(group_a, service, wards):
    return CapacityOfferFactory(
        organisation=group_a, service=service, wards=wards[:1], volunteer_hours_per_month=10
    )


def edit_data(offer, **changes):
    return offer_data(
        **{
            "where": "some",
            "wards": [w.pk for w in offer.wards.all()],
            "volunteer_hours_per_month": "10",
            "version": offer.version,
            **changes,
        }
    )


def test_the_edit_form_shows_the_saved_offer(member_a_client, offer, wards):
    response = member_a_client.get(edit_url(offer))
    assert response.status_code == 200
    assert "Your offer for Litter picking" in response.text
    assert 'value="some" id="id_where_1" checked' in response.text
    assert f'value="{wards[0].pk}" id="id_wards_0" checked' in response.text
    assert 'value="10"' in response.text


def test_a_member_changes_an_offer(member_a_client, offer):
    response = member_a_client.post(
        edit_url(offer), edit_data(offer, where="everywhere", willingness="exploring")
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.willingness == Willingness.EXPLORING
    assert offer.wards.count() == 2
    assert offer.version == 2


def test_an_editor_changes_an_offer(editor_a_client, offer):
    assert (
        editor_a_client.post(edit_url(offer), edit_data(offer, volunteers="9")).status_code == 302
    )
    offer.refresh_from_db()
    assert offer.volunteers == 9


def test_a_ward_the_service_stopped_covering_stays_on_the_offer_until_untick(
    member_a_client, offer, service, wards
):
    service.wards.set([wards[1]])
    page = member_a_client.get(edit_url(offer)).text
    assert "Bellingham" in page  # not silently dropped
    member_a_client.post(edit_url(offer), edit_data(offer))
    assert list(offer.wards.all()) == [wards[0]]


def test_the_second_of_two_saves_shows_a_conflict(member_a_client, editor_a_client, offer):
    started = edit_data(offer)
    assert (
        editor_a_client.post(
            edit_url(offer), {**started, "volunteer_hours_per_month": "80"}
        ).status_code
        == 302
    )
    response = member_a_client.post(edit_url(offer), {**started, "volunteers": "12"})
    assert response.status_code == 200
    assert "Someone else changed this offer" in response.text
    assert dict(response.context["differences"])["Volunteer hours a month"] == 80
    offer.refresh_from_db()
    assert (offer.volunteer_hours_per_month, offer.volunteers, offer.version) == (80, 4, 2)
    assert 'name="version" value="2"' in response.text
    assert 'value="12"' in response.text


def test_saving_over_a_withdrawal_shows_it_was_withdrawn(member_a_client, offer):
    started = edit_data(offer)
    offer.withdraw()
    response = member_a_client.post(edit_url(offer), started)
    assert "Someone else changed this offer" in response.text
    assert "Withdrawn on" in response.text
    offer.refresh_from_db()
    assert not offer.is_active


def test_offering_again_makes_a_withdrawn_offer_count(member_a_client, offer):
    offer.withdraw()
    offer.refresh_from_db()
    page = member_a_client.get(edit_url(offer)).text
    assert "The group withdrew this offer" in page
    member_a_client.post(edit_url(offer), edit_data(offer))
    offer.refresh_from_db()
    assert offer.is_active


def test_bad_changes_are_explained(member_a_client, offer):
    response = member_a_client.post(edit_url(offer), edit_data(offer, role="boss"))
    assert "Select what the group would do" in response.text
    offer.refresh_from_db()
    assert offer.version == 1


# Withdrawing -----------------------------------------------------------------------------


def test_withdrawing_asks_first_on_a_page_of_its_own(member_a_client, offer):
    response = member_a_client.get(withdraw_url(offer))
    assert response.status_code == 200
    assert "Withdraw the offer for Litter picking?" in response.text
    assert "kept on record" in response.text
    offer.refresh_from_db()
    assert offer.is_active


def test_a_member_withdraws_an_offer(member_a_client, offer, group_a):
    response = member_a_client.post(withdraw_url(offer))
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.withdrawn_at is not None and offer.version == 2
    page = member_a_client.get(response.url).text
    assert "Your offer for Litter picking has been withdrawn" in page


def test_withdrawing_twice_changes_nothing(member_a_client, offer):
    member_a_client.post(withdraw_url(offer))
    offer.refresh_from_db()
    when = offer.withdrawn_at
    response = member_a_client.post(withdraw_url(offer), follow=True)
    assert "already been withdrawn" in response.text
    offer.refresh_from_db()
    assert (offer.withdrawn_at, offer.version) == (when, 2)


# The list of offers ----------------------------------------------------------------------


def test_the_list_shows_every_offer_and_filters_by_status(member_a_client, group_a, offer):
    withdrawn = CapacityOfferFactory(organisation=group_a, service=ServiceFactory(name="Library"))
    withdrawn.withdraw()
    page = member_a_client.get(list_url(group_a)).text
    assert "Litter picking" in page and "Library" in page and "Withdrawn" in page
    page = member_a_client.get(list_url(group_a, "?status=active")).text
    assert "Litter picking" in page and "Library" not in page
    page = member_a_client.get(list_url(group_a, "?status=withdrawn")).text
    assert "Litter picking" not in page and "Library" in page


def test_the_list_sorts_by_hours(member_a_client, group_a, offer):
    CapacityOfferFactory(
        organisation=group_a, service=ServiceFactory(name="Library"), volunteer_hours_per_month=90
    )
    page = member_a_client.get(list_url(group_a, "?sort=-hours")).text
    assert page.index("Library") < page.index("Litter picking")
    page = member_a_client.get(list_url(group_a, "?sort=hours")).text
    assert page.index("Litter picking") < page.index("Library")


def test_an_empty_list_says_what_to_do(member_a_client, group_a):
    assert "The group has not made any offers yet" in member_a_client.get(list_url(group_a)).text


# Who may do what, for every offer address --------------------------------------------


@pytest.fixture
def offer_urls(group_a, service, offer):
    return {
        "list": list_url(group_a),
        "choose": choose_url(group_a),
        "create": create_url(group_a, ServiceFactory(name="Allotments")),
        "edit": edit_url(offer),
        "withdraw": withdraw_url(offer),
    }


def test_anonymous_people_are_asked_to_sign_in(anon_client, offer_urls):
    for url in offer_urls.values():
        for response in (anon_client.get(url), anon_client.post(url, offer_data())):
            assert response.status_code == 302, url
            assert response.url.startswith(reverse("accounts:sign_in")), url


def test_another_groups_offers_are_not_found(member_b_client, offer_urls, offer):
    for name, url in offer_urls.items():
        assert member_b_client.get(url).status_code == 404, name
        assert member_b_client.post(url, edit_data(offer)).status_code in (404, 405), name
    offer.refresh_from_db()
    assert offer.is_active and offer.version == 1


def test_an_offer_is_not_reached_through_another_groups_address(
    member_b_client, member_b, offer, group_b
):
    """Member B changes the group part of the address to their own group."""
    url = reverse("mapping:offer_edit", args=[group_b.pk, offer.pk])
    assert member_b_client.get(url).status_code == 404
    url = reverse("mapping:offer_withdraw", args=[group_b.pk, offer.pk])
    assert member_b_client.post(url).status_code == 404
    offer.refresh_from_db()
    assert offer.is_active


def test_an_officer_reads_offers_but_changes_none(officer_client, offer_urls, offer):
    assert officer_client.get(offer_urls["list"]).status_code == 200
    for name in ("choose", "create", "edit", "withdraw"):
        assert officer_client.get(offer_urls[name]).status_code == 403, name
    assert officer_client.post(offer_urls["withdraw"]).status_code == 403
    offer.refresh_from_db()
    assert offer.is_active


def test_other_methods_are_refused(member_a_client, offer_urls):
    for name, url in offer_urls.items():
        assert member_a_client.put(url).status_code == 405, name
    assert member_a_client.post(offer_urls["list"]).status_code == 405
    assert member_a_client.post(offer_urls["choose"]).status_code == 405


def test_a_pending_groups_offers_are_saved_even_before_review(member_a_client, group_a, service):
    group_a.verification_status = "pending"
    group_a.save()
    assert member_a_client.post(create_url(group_a, service), offer_data()).status_code == 302
    assert CapacityOffer.objects.filter(organisation=group_a).exists()


def test_earliest_start_may_be_in_the_past_for_a_group_already_delivering(
    member_a_client, group_a, service
):
    last_year = timezone.localdate().year - 1
    member_a_client.post(
        create_url(group_a, service),
        offer_data(
            willingness="already_delivering",
            earliest_start_day="1",
            earliest_start_month="4",
            earliest_start_year=str(last_year),
        ),
    )
    assert CapacityOffer.objects.get().earliest_start == datetime.date(last_year, 4, 1)
