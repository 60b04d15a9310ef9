"""Abuse resistance without sign-in: one response per browser, the honeypot, and the
per-address rate limit."""

import pytest
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from mapping.actions import AlreadyResponded, consultation_response_submit
from mapping.consultation_form import BROWSER_COOKIE, BROWSER_COOKIE_SALT, browser_hash
from mapping.models import ConsultationResponse
from tests.consultation.helpers import answer, make_consultation, step_url
from tests.factories import ConsultationFactory, ConsultationResponseFactory, WardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture
def consultation():
    return make_consultation()


@pytest.fixture
def ward():
    return WardFactory(name="Ladywell")


def comfort(services, value="4"):
    return dict.fromkeys(services, value)


def test_a_second_response_from_the_same_browser_is_refused_politely(
    anon_client, consultation, ward
):
    consultation, *services = consultation
    answer(anon_client, consultation, ward=ward, comfort=comfort(services))
    again = answer(anon_client, consultation, ward=ward, comfort=comfort(services, "1"))
    assert again.status_code == 200
    assert "You have already answered this consultation" in again.content.decode()
    start = anon_client.get(reverse("mapping:consultation_start", args=[consultation.slug]))
    assert "You have already answered this consultation" in start.content.decode()
    assert ConsultationResponse.objects.count() == 1
    assert set(ConsultationResponse.objects.get().answers.values_list("comfort", flat=True)) == {4}


def test_another_browser_can_answer(anon_client, consultation, ward):
    consultation, *services = consultation
    answer(anon_client, consultation, ward=ward, comfort=comfort(services))
    answer(Client(), consultation, ward=ward, comfort=comfort(services))
    assert ConsultationResponse.objects.count() == 2


def test_the_same_browser_can_answer_another_consultation(anon_client, consultation, ward):
    consultation, *services = consultation
    other = ConsultationFactory(slug="other")
    other.services.set(services)
    answer(anon_client, consultation, ward=ward, comfort=comfort(services))
    answer(anon_client, other, ward=ward, comfort=comfort(services))
    first, second = ConsultationResponse.objects.order_by("pk")
    assert first.browser_hash != second.browser_hash  # not linkable across consultations


def test_the_browser_cookie_is_signed_http_only_and_same_site(anon_client, consultation):
    consultation, *_services = consultation
    response = anon_client.get(reverse("mapping:consultation_start", args=[consultation.slug]))
    cookie = response.cookies[BROWSER_COOKIE]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) > 300 * 24 * 3600
    assert ":" in cookie.value  # value:signature
    # Later pages keep the same token rather than issuing a new one.
    again = anon_client.get(step_url(consultation, "ward"))
    assert BROWSER_COOKIE not in again.cookies


def test_the_stored_hash_is_a_keyed_hash_of_the_token_and_consultation(
    anon_client, consultation, ward, rf
):
    consultation, *services = consultation
    answer(anon_client, consultation, ward=ward, comfort=comfort(services))
    request = rf.get("/")
    request.COOKIES[BROWSER_COOKIE] = anon_client.cookies[BROWSER_COOKIE].value
    token = request.get_signed_cookie(BROWSER_COOKIE, salt=BROWSER_COOKIE_SALT)
    saved = ConsultationResponse.objects.get()
    assert saved.browser_hash == browser_hash(token, consultation)
    assert token not in saved.browser_hash


def test_a_tampered_cookie_is_ignored_and_replaced(anon_client, consultation, ward):
    consultation, *services = consultation
    answer(anon_client, consultation, ward=ward, comfort=comfort(services))
    anon_client.cookies[BROWSER_COOKIE] = "forged-token:bad-signature"
    response = anon_client.get(reverse("mapping:consultation_start", args=[consultation.slug]))
    assert response.status_code == 200
    assert BROWSER_COOKIE in response.cookies  # a fresh token


def test_the_database_refuses_a_second_response_with_the_same_hash(consultation, ward):
    consultation, *_services = consultation
    ConsultationResponseFactory(consultation=consultation, ward=ward, browser_hash="a" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsultationResponseFactory(consultation=consultation, ward=ward, browser_hash="a" * 64)


def test_a_racing_second_send_becomes_already_responded(consultation, ward):
    """Two tabs past every check at once: the constraint decides, and nothing half-writes."""
    consultation, *services = consultation
    answers = {service.pk: 3 for service in services}
    submit = {
        "consultation": consultation,
        "browser_hash": "b" * 64,
        "ward": ward,
        "comfort": answers,
        "gives_time": False,
        "hours_per_month": None,
    }
    consultation_response_submit(**submit)
    with pytest.raises(AlreadyResponded):
        consultation_response_submit(**submit | {"comfort": dict.fromkeys(answers, 1)})
    assert ConsultationResponse.objects.count() == 1
    assert set(ConsultationResponse.objects.get().answers.values_list("comfort", flat=True)) == {3}


def test_a_filled_honeypot_is_thanked_as_usual_and_discarded(anon_client, consultation, ward):
    consultation, *services = consultation
    response = answer(
        anon_client,
        consultation,
        ward=ward,
        comfort=comfort(services),
        extra={"website": "http://spam.example"},
    )
    assert response["Location"] == reverse("mapping:consultation_done", args=[consultation.slug])
    assert "Your answers have been sent" in anon_client.get(response["Location"]).content.decode()
    assert ConsultationResponse.objects.count() == 0


def test_a_honeypot_filled_on_one_page_only_still_discards(anon_client, consultation, ward):
    consultation, *services = consultation
    anon_client.post(step_url(consultation, "ward"), {"ward": ward.pk, "website": "x"})
    response = answer(anon_client, consultation, ward=ward, comfort=comfort(services))
    assert response.status_code == 302
    assert ConsultationResponse.objects.count() == 0


def test_the_honeypot_is_hidden_by_a_class_and_labelled(anon_client, consultation):
    consultation, *_services = consultation
    page = anon_client.get(step_url(consultation, "ward")).content.decode()
    assert 'class="app-honeypot"' in page
    assert "Leave this field empty" in page
    assert 'tabindex="-1"' in page


def test_the_rate_limit_stops_many_responses_from_one_address(consultation, ward, settings):
    consultation, *services = consultation
    settings.CONSULTATION_RESPONSES_PER_HOUR = 2
    for _ in range(2):
        answer(
            Client(REMOTE_ADDR="203.0.113.9"), consultation, ward=ward, comfort=comfort(services)
        )
    third = answer(
        Client(REMOTE_ADDR="203.0.113.9"), consultation, ward=ward, comfort=comfort(services)
    )
    assert third.status_code == 429
    assert "too many answers from your internet connection" in third.content.decode()
    assert ConsultationResponse.objects.count() == 2
    # Another address is not affected.
    answer(Client(REMOTE_ADDR="198.51.100.4"), consultation, ward=ward, comfort=comfort(services))
    assert ConsultationResponse.objects.count() == 3


def test_nobody_can_change_a_response_after_sending(
    anon_client, officer_client, consultation, ward
):
    consultation, *services = consultation
    answer(anon_client, consultation, ward=ward, comfort=comfort(services))
    saved = ConsultationResponse.objects.get()
    # Going through the pages again from the same browser changes nothing.
    answer(anon_client, consultation, ward=WardFactory(), comfort=comfort(services, "1"))
    saved.refresh_from_db()
    assert saved.ward == ward
    assert set(saved.answers.values_list("comfort", flat=True)) == {4}
    # No page edits responses, for officers either: the results page only reads.
    results = reverse("mapping:consultation_results", args=[consultation.pk])
    assert officer_client.post(results).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_two_sends_at_the_same_instant_save_one_response(consultation, ward):
    """Two tabs of one browser press "Accept and send" together: exactly one is saved."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections: run with DATABASE_URL=postgres://...")
    consultation, *services = consultation
    submit = {
        "consultation": consultation,
        "browser_hash": "c" * 64,
        "ward": ward,
        "comfort": {service.pk: 2 for service in services},
        "gives_time": False,
        "hours_per_month": None,
    }
    start = threading.Barrier(2)
    outcomes = []

    def send():
        try:
            start.wait()
            consultation_response_submit(**submit)
            outcomes.append("saved")
        except AlreadyResponded:
            outcomes.append("already")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already", "saved"]
    assert ConsultationResponse.objects.count() == 1
