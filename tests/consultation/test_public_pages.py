"""The public consultation pages: the list, and the published results."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.consultation.helpers import make_consultation
from tests.consultation.test_results import respond
from tests.factories import ConsultationFactory, WardFactory

pytestmark = pytest.mark.django_db

LIST = reverse("mapping:consultation_public_list")


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def results_url(consultation):
    return reverse("mapping:consultation_public_results", args=[consultation.slug])


def test_the_list_shows_open_soon_and_closed_consultations_but_no_drafts(anon_client):
    ConsultationFactory(title="Open libraries")
    ConsultationFactory(title="Soon leisure", opens_on=days(3), closes_on=days(30))
    past_parks = ConsultationFactory(
        title="Past parks", opens_on=days(-30), closes_on=days(-2), results_published=True
    )
    ConsultationFactory(title="Past youth", opens_on=days(-30), closes_on=days(-1))
    ConsultationFactory(title="Secret draft", is_published=False)
    html = anon_client.get(LIST).content.decode()
    assert "Secret draft" not in html
    assert html.index("Open libraries") < html.index("Soon leisure") < html.index("Past youth")
    assert html.index("Past youth") < html.index("Past parks")  # most recently closed first
    assert results_url(past_parks) in html
    assert "results to follow" in html


def test_an_empty_list_says_so(anon_client):
    assert (
        "There are no consultations open at the moment" in anon_client.get(LIST).content.decode()
    )


@pytest.mark.parametrize("how_many", [2, 30])
def test_the_list_takes_one_query_however_many(anon_client, django_assert_num_queries, how_many):
    for _ in range(how_many):
        ConsultationFactory()
    with django_assert_num_queries(1):
        anon_client.get(LIST)


def test_results_are_public_only_once_published_and_closed(anon_client):
    still_open, *_services = make_consultation(results_published=True)
    assert anon_client.get(results_url(still_open)).status_code == 404
    not_published = ConsultationFactory(opens_on=days(-9), closes_on=days(-1))
    assert anon_client.get(results_url(not_published)).status_code == 404
    assert (
        anon_client.get(reverse("mapping:consultation_public_results", args=["nope"])).status_code
        == 404
    )


def test_published_results_withhold_small_groups(anon_client):
    consultation, *_services = make_consultation(
        opens_on=days(-9), closes_on=days(-1), results_published=True
    )
    big, small = WardFactory(name="Ladywell"), WardFactory(name="Grove Park")
    for comfort in (1, 2, 3, 4, 5, 5):
        respond(consultation, big, (comfort, comfort, comfort))
    for _ in range(4):
        respond(consultation, small, (1, 1, 1))
    response = anon_client.get(results_url(consultation))
    html = response.content.decode()
    assert response.status_code == 200
    # Grove Park (4) alone in the pool: Ladywell joins it, so only "Other wards" and the
    # total are shown, and nothing can be subtracted to reveal Grove Park.
    assert "10 people answered" in html
    assert "Grove Park" in html and "Ladywell" in html
    assert ">4<" not in html.replace(" ", "") and ">6<" not in html.replace(" ", "")


def test_the_public_pages_refuse_posts(anon_client):
    consultation, *_services = make_consultation(
        opens_on=days(-9), closes_on=days(-1), results_published=True
    )
    assert anon_client.post(LIST).status_code == 405
    assert anon_client.post(results_url(consultation)).status_code == 405
    done = reverse("mapping:consultation_done", args=[consultation.slug])
    assert anon_client.post(done).status_code == 405
