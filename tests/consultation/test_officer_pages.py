"""Officer pages: list, create, change and results of consultations."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mapping.models import Consultation
from tests.consultation.helpers import make_consultation
from tests.consultation.test_results import respond
from tests.factories import ConsultationFactory, ServiceFactory, WardFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def days(n):
    return TODAY() + datetime.timedelta(days=n)


def date_fields(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def form_data(chosen, **extra):
    data = {
        "title": "The future of our libraries",
        "slug": "",
        "introduction": "We are asking before we decide.",
        **date_fields("opens_on", days(1)),
        **date_fields("closes_on", days(30)),
        "services": [service.pk for service in chosen],
    }
    data.update(extra)
    return data


LIST = reverse("mapping:consultation_list")
CREATE = reverse("mapping:consultation_create")


def edit_url(consultation):
    return reverse("mapping:consultation_edit", args=[consultation.pk])


def results_url(consultation):
    return reverse("mapping:consultation_results", args=[consultation.pk])


# Who may see the pages ------------------------------------------------------------------------


def test_only_officers_reach_the_officer_pages(anon_client, member_a_client, officer_client):
    consultation, *_services = make_consultation()
    for url in [LIST, CREATE, edit_url(consultation), results_url(consultation)]:
        assert anon_client.get(url)["Location"].startswith(reverse("accounts:sign_in"))
        assert member_a_client.get(url).status_code == 403
        assert officer_client.get(url).status_code == 200


def test_the_pages_refuse_other_methods(officer_client):
    consultation, *_services = make_consultation()
    assert officer_client.post(LIST).status_code == 405
    assert officer_client.delete(CREATE).status_code == 405
    assert officer_client.put(edit_url(consultation)).status_code == 405
    assert officer_client.post(results_url(consultation)).status_code == 405


def test_a_missing_consultation_is_not_found(officer_client):
    assert officer_client.get(reverse("mapping:consultation_edit", args=[999])).status_code == 404
    assert (
        officer_client.get(reverse("mapping:consultation_results", args=[999])).status_code == 404
    )


# The list -------------------------------------------------------------------------------------


def test_the_list_shows_each_consultation_with_its_state_and_responses(officer_client):
    consultation, *_services = make_consultation()
    for _ in range(3):
        respond(consultation, WardFactory(), (3, 3, 3))
    ConsultationFactory(title="A quiet draft", is_published=False)
    page = officer_client.get(LIST).content.decode()
    assert "Our libraries and parks" in page and "A quiet draft" in page
    assert "govuk-tag--green" in page and ">Open<" in page and ">Draft<" in page
    assert ">3<" in page


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"state": "draft"}, "Draft one", "Open one"),
        ({"state": "open"}, "Open one", "Closed one"),
        ({"state": "closed"}, "Closed one", "Soon one"),
        ({"state": "scheduled"}, "Soon one", "Draft one"),
        ({"q": "closed"}, "Closed one", "Open one"),
    ],
)
def test_the_list_filters_by_state_and_title(officer_client, query, shown, hidden):
    ConsultationFactory(title="Draft one", is_published=False)
    ConsultationFactory(title="Open one")
    ConsultationFactory(title="Closed one", opens_on=days(-20), closes_on=days(-1))
    ConsultationFactory(title="Soon one", opens_on=days(2), closes_on=days(9))
    page = officer_client.get(LIST, query).content.decode()
    assert shown in page and hidden not in page


def test_bad_filters_and_sorting_never_break_the_list(officer_client):
    ConsultationFactory(title="Open one")
    response = officer_client.get(LIST, {"state": "nonsense", "sort": "password", "page": "x"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert "Open one" in response.content.decode()


@pytest.mark.parametrize("how_many", [3, 30])
def test_the_list_takes_the_same_queries_for_few_or_many(
    officer_client, django_assert_num_queries, how_many
):
    for _ in range(how_many):
        consultation = ConsultationFactory()
        respond_once = ServiceFactory()
        consultation.services.set([respond_once])
    # session, user, officer group check, count for the pager, the page of consultations
    with django_assert_num_queries(5):
        officer_client.get(LIST)


# Creating -------------------------------------------------------------------------------------


def test_an_officer_creates_a_draft_consultation(officer_client, officer):
    services = [ServiceFactory(name="Central Library"), ServiceFactory(name="Mobile library")]
    response = officer_client.post(CREATE, form_data(services))
    consultation = Consultation.objects.get()
    assert response["Location"] == results_url(consultation)
    assert consultation.slug == "the-future-of-our-libraries"
    assert not consultation.is_published
    assert consultation.created_by == officer
    assert set(consultation.services.all()) == set(services)
    assert (consultation.opens_on, consultation.closes_on) == (days(1), days(30))
    page = officer_client.get(response["Location"]).content.decode()
    assert "Consultation created" in page
    assert "Nobody has answered yet" in page


def test_the_service_checkboxes_are_grouped_by_category_and_only_published(officer_client):
    shown = ServiceFactory(name="Central Library")
    ServiceFactory(name="Secret pilot", published=False)
    page = officer_client.get(CREATE).content.decode()
    assert "Central Library" in page and "Secret pilot" not in page
    assert shown.category.name in page
    assert 'id="id_services_0"' in page


def test_a_clashing_title_gets_a_web_address_of_its_own(officer_client):
    ConsultationFactory(slug="the-future-of-our-libraries")
    officer_client.post(CREATE, form_data([ServiceFactory()]))
    assert Consultation.objects.filter(slug="the-future-of-our-libraries-2").exists()


def test_a_typed_web_address_is_tidied(officer_client):
    officer_client.post(CREATE, form_data([ServiceFactory()], slug="  Parks Survey 2027! "))
    assert Consultation.objects.get().slug == "parks-survey-2027"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": ""}, "Enter a title"),
        ({"title": "x" * 201}, "200 characters or fewer"),
        ({"slug": "taken"}, "Another consultation uses this web address"),
        ({"slug": "!!!"}, "must include letters or numbers"),
        ({"services": []}, "Choose at least one service"),
        ({"services": ["999999"]}, "Select a valid choice"),
        ({"services": ["99999999999999999999"]}, "Select a valid choice"),
        ({"opens_on_day": "1", "opens_on_month": "1", "opens_on_year": "99999"}, "real date"),
        ({"opens_on_day": "31", "opens_on_month": "2", "opens_on_year": "2027"}, "real date"),
        (
            {"opens_on_day": "", "opens_on_month": "", "opens_on_year": ""},
            "date the consultation opens",
        ),
        (date_fields("closes_on", days(-5)), "same as or after the opening date"),
        ({"results_published": "on"}, "Publish the consultation before publishing its results"),
        ({"results_published": "on", "is_published": "on"}, "once the consultation has closed"),
    ],
)
def test_it_explains_bad_input_and_saves_nothing(officer_client, change, message):
    ConsultationFactory(slug="taken")
    response = officer_client.post(CREATE, form_data([ServiceFactory()], **change))
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert Consultation.objects.count() == 1


def test_an_unpublished_service_cannot_be_asked_about(officer_client):
    hidden = ServiceFactory(published=False)
    response = officer_client.post(CREATE, form_data([hidden]))
    assert "Select a valid choice" in response.content.decode()
    assert not Consultation.objects.exists()


# Changing ---------------------------------------------------------------------------------------


def test_an_officer_changes_and_publishes_a_consultation(officer_client):
    consultation = ConsultationFactory(is_published=False, slug="draft-one")
    service = ServiceFactory()
    data = form_data([service], title="New title", slug="better-address", is_published="on")
    response = officer_client.post(edit_url(consultation), data)
    assert response["Location"] == results_url(consultation)
    consultation.refresh_from_db()
    assert (consultation.title, consultation.slug, consultation.is_published) == (
        "New title",
        "better-address",
        True,
    )
    assert "Your changes were saved" in officer_client.get(response["Location"]).content.decode()


def test_the_web_address_is_fixed_once_published(officer_client):
    consultation = ConsultationFactory(slug="published-one")
    data = form_data([ServiceFactory()], slug="something-else", is_published="on")
    officer_client.post(edit_url(consultation), data)
    consultation.refresh_from_db()
    assert consultation.slug == "published-one"


def test_answered_services_opening_date_and_publication_cannot_change(officer_client):
    consultation, library, park, green = make_consultation(opens_on=days(-10))
    respond(consultation, WardFactory(), (3, 3, 3))
    data = form_data(
        [ServiceFactory(name="Swapped in")],
        **date_fields("opens_on", days(-3)),
        title="Renamed",
    )  # no is_published: an attempt to unpublish
    response = officer_client.post(edit_url(consultation), data)
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.title == "Renamed"
    assert set(consultation.services.all()) == {library, park, green}
    assert consultation.opens_on == days(-10)
    assert consultation.is_published
    page = officer_client.get(edit_url(consultation)).content.decode()
    assert "Residents have already answered" in page
    assert "disabled" in page


def test_the_closing_date_cannot_move_before_the_latest_response(officer_client):
    consultation, *_services = make_consultation(opens_on=days(-10))
    respond(consultation, WardFactory(), (3, 3, 3))  # today
    data = form_data(
        list(consultation.services.all()), is_published="on", **date_fields("closes_on", days(-1))
    )
    response = officer_client.post(edit_url(consultation), data)
    assert "the day of the latest response" in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.closes_on == days(21)


def test_results_can_be_published_once_closed(officer_client):
    consultation, *services = make_consultation(opens_on=days(-30), closes_on=days(-1))
    data = form_data(
        services,
        is_published="on",
        results_published="on",
        **date_fields("opens_on", days(-30)),
        **date_fields("closes_on", days(-1)),
    )
    officer_client.post(edit_url(consultation), data)
    consultation.refresh_from_db()
    assert consultation.results_published


# Results -----------------------------------------------------------------------------------


def test_an_officer_sees_a_draft_and_its_empty_results(officer_client):
    consultation = ConsultationFactory(is_published=False)
    page = officer_client.get(results_url(consultation)).content.decode()
    assert "this is a draft" in page
    assert "Nobody has answered yet" in page
    # Not the same title as the public results page, which shows less.
    assert f"<title>Results: {consultation.title} - Consultations - Community capacity" in page


@pytest.mark.parametrize("how_many", [5, 200])
def test_the_results_page_takes_the_same_queries_for_5_or_200_responses(
    officer_client, django_assert_num_queries, how_many
):
    consultation, *_services = make_consultation()
    wards = [WardFactory() for _ in range(4)]
    for n in range(how_many):
        respond(
            consultation,
            wards[n % 4],
            (n % 5 + 1, 3, None),
            gives_time=n % 2,
            hours=3,
            comment=f"Comment {n}",
        )
    # session, user, officer group check, the consultation with its response count, its
    # services, the answers by service and ward, the responses by ward, the ward names,
    # the number of comments, the page of comments, the latest changes to the consultation
    with django_assert_num_queries(11):
        response = officer_client.get(results_url(consultation))
    assert response.status_code == 200


@pytest.mark.parametrize("how_many", [5, 200])
def test_the_public_results_take_the_same_queries_for_5_or_200_responses(
    anon_client, django_assert_num_queries, how_many
):
    consultation, *_services = make_consultation(
        opens_on=days(-30), closes_on=days(-1), results_published=True
    )
    wards = [WardFactory() for _ in range(4)]
    for n in range(how_many):
        respond(consultation, wards[n % 4], (n % 5 + 1, 3, None))
    url = reverse("mapping:consultation_public_results", args=[consultation.slug])
    # the consultation, its services, the answers by service and ward, the responses by
    # ward, the ward names
    with django_assert_num_queries(5):
        response = anon_client.get(url)
    assert response.status_code == 200


def test_officers_read_the_comments_and_the_public_never_does(
    officer_client, anon_client, settings
):
    settings.PAGE_SIZE = 10
    consultation, *_services = make_consultation(
        opens_on=days(-30), closes_on=days(-1), results_published=True
    )
    ward = WardFactory()
    for n in range(30):
        respond(consultation, ward, (3, 3, 3), comment=f"Idea number {n}." if n % 2 else "")
    page = officer_client.get(results_url(consultation)).content.decode()
    assert "15 people left a comment" in page
    assert "Idea number 29." in page  # newest first, 10 to a page
    assert "Idea number 1." not in page
    older = officer_client.get(results_url(consultation), {"comments": 2}).content.decode()
    assert "Idea number 1." in older
    title = f"<title>Results: {consultation.title} - Consultations (comments page 2 of 2) - "
    assert title in older
    assert "comments page" not in page.split("</title>")[0]
    public = reverse("mapping:consultation_public_results", args=[consultation.slug])
    assert "Idea number" not in anon_client.get(public).content.decode()


def test_a_web_address_taken_at_the_same_moment_is_explained(officer_client, monkeypatch):
    """Two officers save the same new address at once: the second is told, nothing breaks."""
    from mapping.forms import ConsultationForm

    original = ConsultationForm._post_clean

    def taken_meanwhile(form):
        original(form)  # every check passed...
        ConsultationFactory(slug=form.cleaned_data["slug"])  # ...then another officer saved

    monkeypatch.setattr(ConsultationForm, "_post_clean", taken_meanwhile)
    response = officer_client.post(CREATE, form_data([ServiceFactory()]))
    assert response.status_code == 200
    assert "Another consultation uses this web address" in response.content.decode()
    assert Consultation.objects.count() == 1
