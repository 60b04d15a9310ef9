"""A resident answers a consultation: the pages, the answers kept in the session, and
what is saved at the end."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mapping.models import ConsultationAnswer, ConsultationResponse
from tests.consultation.helpers import answer, make_consultation, step_url
from tests.factories import PostcodeFactory, ServiceFactory, WardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation():
    return make_consultation()


@pytest.fixture
def ward():
    return WardFactory(name="Ladywell")


def test_a_resident_answers_and_their_answers_are_saved(anon_client, consultation, ward):
    consultation, library, park, green = consultation
    response = answer(
        anon_client,
        consultation,
        ward=ward,
        comfort={library: "2", park: "5", green: "dont_know"},
        gives_time=True,
        hours="6",
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "mapping:consultation_done", kwargs={"slug": consultation.slug}
    )
    saved = ConsultationResponse.objects.get()
    assert (saved.ward, saved.gives_time, saved.hours_per_month) == (ward, True, 6)
    answers = dict(ConsultationAnswer.objects.values_list("service_id", "comfort"))
    assert answers == {library.pk: 2, park.pk: 5, green.pk: None}
    assert len(saved.browser_hash) == 64
    done = anon_client.get(response["Location"])
    assert "Your answers have been sent" in done.content.decode()


def test_the_pages_follow_in_order_and_the_check_page_shows_every_answer(
    anon_client, consultation, ward
):
    consultation, library, park, green = consultation
    start = anon_client.get(reverse("mapping:consultation_start", args=[consultation.slug]))
    assert start.status_code == 200
    assert step_url(consultation, "ward") in start.content.decode()

    response = anon_client.post(step_url(consultation, "ward"), {"ward": ward.pk})
    assert response["Location"] == step_url(consultation, "services-1")
    page = anon_client.get(response["Location"]).content.decode()
    assert "Libraries" in page and "Central Library" in page and "Ladywell Fields" not in page

    response = anon_client.post(
        step_url(consultation, "services-1"), {f"comfort_{library.pk}": "4"}
    )
    assert response["Location"] == step_url(consultation, "services-2")
    response = anon_client.post(
        step_url(consultation, "services-2"),
        {f"comfort_{park.pk}": "1", f"comfort_{green.pk}": "dont_know"},
    )
    assert response["Location"] == step_url(consultation, "time")
    response = anon_client.post(step_url(consultation, "time"), {"gives_time": "no"})
    assert response["Location"] == step_url(consultation, "about-you")
    response = anon_client.post(
        step_url(consultation, "about-you"), {"age_band": "35_44", "comment": "Keep it open <b>"}
    )
    assert response["Location"] == step_url(consultation, "check")

    page = anon_client.get(step_url(consultation, "check")).content.decode()
    for text in ["Ladywell", "Fairly comfortable", "Very uneasy", "Don&#x27;t know", "35 to 44"]:
        assert text in page
    assert "Keep it open &lt;b&gt;" in page
    assert ConsultationResponse.objects.count() == 0  # nothing saved before sending


def test_it_sends_a_resident_back_to_the_first_page_they_have_not_answered(
    anon_client, consultation, ward
):
    consultation, *_services = consultation
    response = anon_client.get(step_url(consultation, "check"))
    assert response["Location"] == step_url(consultation, "ward")
    anon_client.post(step_url(consultation, "ward"), {"ward": ward.pk})
    response = anon_client.post(step_url(consultation, "time"), {"gives_time": "no"})
    assert response["Location"] == step_url(consultation, "services-1")


def test_a_change_from_the_check_page_returns_to_it(anon_client, consultation, ward):
    consultation, library, park, green = consultation
    answer_everything_but_send(anon_client, consultation, ward, library, park, green)
    other = WardFactory(name="Catford South")
    response = anon_client.post(
        step_url(consultation, "ward") + "?return=check", {"ward": other.pk}
    )
    assert response["Location"] == step_url(consultation, "check")
    assert "Catford South" in anon_client.get(step_url(consultation, "check")).content.decode()


def answer_everything_but_send(client, consultation, ward, library, park, green):
    client.post(step_url(consultation, "ward"), {"ward": ward.pk})
    client.post(step_url(consultation, "services-1"), {f"comfort_{library.pk}": "3"})
    client.post(
        step_url(consultation, "services-2"),
        {f"comfort_{park.pk}": "3", f"comfort_{green.pk}": "3"},
    )
    client.post(step_url(consultation, "time"), {"gives_time": "no"})
    client.post(step_url(consultation, "about-you"), {})


# Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "data", "message"),
    [
        ("ward", {}, "Choose the ward you live in"),
        ("ward", {"ward": "99999"}, "Choose the ward you live in"),
        ("ward", {"ward": "not a number"}, "Choose the ward you live in"),
        ("time", {}, "Select yes if you would give some of your time"),
        ("time", {"gives_time": "yes", "hours_per_month": ""}, "Enter roughly how many hours"),
        ("time", {"gives_time": "yes", "hours_per_month": "4.5"}, "whole number"),
        ("time", {"gives_time": "yes", "hours_per_month": "about 5"}, "whole number"),
        ("time", {"gives_time": "yes", "hours_per_month": "0"}, "from 1 to 160"),
        ("time", {"gives_time": "yes", "hours_per_month": "9999"}, "from 1 to 160"),
        ("time", {"gives_time": "maybe"}, "Select yes if you would give some of your time"),
        ("about-you", {"comment": "x" * 2001}, "2,000 characters or fewer"),
        ("about-you", {"age_band": "ancient"}, "Choose an age range"),
    ],
)
def test_it_explains_bad_input_and_keeps_nothing(
    anon_client, consultation, ward, step, data, message
):
    consultation, library, park, green = consultation
    if step != "ward":
        answer_everything_but_send(anon_client, consultation, ward, library, park, green)
    response = anon_client.post(step_url(consultation, step), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert ConsultationResponse.objects.count() == 0


def test_a_missing_comfort_answer_is_explained_and_links_to_its_first_radio(
    anon_client, consultation, ward
):
    consultation, library, *_services = consultation
    anon_client.post(step_url(consultation, "ward"), {"ward": ward.pk})
    response = anon_client.post(step_url(consultation, "services-1"), {})
    page = response.content.decode()
    assert "Choose how comfortable you would be to see Central Library run by community" in page
    assert f'href="#id_comfort_{library.pk}_0"' in page
    assert f'id="id_comfort_{library.pk}_0"' in page


def test_hours_are_dropped_when_the_answer_is_no(anon_client, consultation, ward):
    consultation, library, park, green = consultation
    answer(
        anon_client,
        consultation,
        ward=ward,
        comfort={library: "3", park: "3", green: "3"},
        gives_time=False,
        hours="12",
    )
    assert ConsultationResponse.objects.get().hours_per_month is None


def test_an_unknown_step_is_not_found(anon_client, consultation):
    consultation, *_services = consultation
    assert anon_client.get(step_url(consultation, "services-9")).status_code == 404
    assert anon_client.get(step_url(consultation, "nonsense")).status_code == 404


def test_the_form_refuses_other_methods(anon_client, consultation):
    consultation, *_services = consultation
    assert anon_client.put(step_url(consultation, "ward")).status_code == 405
    start = reverse("mapping:consultation_start", args=[consultation.slug])
    assert anon_client.post(start).status_code == 405


# Postcode lookup ----------------------------------------------------------------------------


def test_without_a_postcode_lookup_the_resident_chooses_from_the_ward_list(
    anon_client, consultation
):
    consultation, *_services = consultation
    WardFactory(name="Ladywell")
    page = anon_client.get(reverse("mapping:consultation_start", args=[consultation.slug]))
    assert step_url(consultation, "ward") in page.content.decode()
    assert anon_client.get(step_url(consultation, "postcode"))["Location"] == step_url(
        consultation, "ward"
    )


def test_a_typed_postcode_finds_the_ward_however_it_is_written(anon_client, consultation):
    consultation, *_services = consultation
    ward = WardFactory(name="Rushey Green")
    PostcodeFactory(postcode="SE6 4RU", ward=ward)
    start = anon_client.get(reverse("mapping:consultation_start", args=[consultation.slug]))
    assert step_url(consultation, "postcode") in start.content.decode()
    response = anon_client.post(step_url(consultation, "postcode"), {"postcode": " se64ru "})
    assert response["Location"] == step_url(consultation, "services-1")
    session = anon_client.session[f"consultation:{consultation.pk}"]
    assert session["ward"] == ward.pk
    assert "SE6" not in str(session)  # the postcode itself is not kept


def test_an_unknown_postcode_falls_back_to_the_ward_list(anon_client, consultation):
    consultation, *_services = consultation
    PostcodeFactory(postcode="SE6 4RU")
    response = anon_client.post(step_url(consultation, "postcode"), {"postcode": "SW1A 1AA"})
    assert response["Location"] == step_url(consultation, "ward")
    page = anon_client.get(response["Location"]).content.decode()
    assert "We could not find SW1A 1AA in our area" in page


@pytest.mark.parametrize("typed", ["", "SE6", "12345", "not a postcode", "SE6 4RUX"])
def test_a_malformed_postcode_is_explained(anon_client, consultation, typed):
    consultation, *_services = consultation
    PostcodeFactory(postcode="SE6 4RU")
    response = anon_client.post(step_url(consultation, "postcode"), {"postcode": typed})
    assert response.status_code == 200
    page = response.content.decode()
    expected = "Enter your postcode" if not typed else "Enter a full UK postcode"
    assert expected in page


# Closed, scheduled and draft consultations ------------------------------------------------------

STEPS = ["postcode", "ward", "services-1", "services-2", "time", "about-you", "check"]


def closed_consultation():
    today = timezone.localdate()
    return make_consultation(
        opens_on=today - datetime.timedelta(days=30), closes_on=today - datetime.timedelta(days=1)
    )[0]


def scheduled_consultation():
    today = timezone.localdate()
    return make_consultation(
        opens_on=today + datetime.timedelta(days=1), closes_on=today + datetime.timedelta(days=30)
    )[0]


@pytest.mark.parametrize("step", STEPS)
def test_a_closed_consultation_takes_no_answer_at_any_step(anon_client, ward, step):
    consultation = closed_consultation()
    for response in [
        anon_client.get(step_url(consultation, step)),
        anon_client.post(step_url(consultation, step), {"ward": ward.pk}),
    ]:
        assert response.status_code == 200
        assert "This consultation has closed" in response.content.decode()
    assert ConsultationResponse.objects.count() == 0
    start = anon_client.get(reverse("mapping:consultation_start", args=[consultation.slug]))
    assert "This consultation has closed" in start.content.decode()


@pytest.mark.parametrize("step", STEPS)
def test_a_scheduled_consultation_takes_no_answer_at_any_step(anon_client, ward, step):
    consultation = scheduled_consultation()
    response = anon_client.post(step_url(consultation, step), {"ward": ward.pk})
    assert "This consultation is not open yet" in response.content.decode()
    assert ConsultationResponse.objects.count() == 0


@pytest.mark.parametrize("step", STEPS)
def test_a_draft_consultation_is_not_found_at_any_step(anon_client, officer_client, ward, step):
    consultation = make_consultation(is_published=False)[0]
    assert anon_client.get(step_url(consultation, step)).status_code == 404
    assert anon_client.post(step_url(consultation, step), {"ward": ward.pk}).status_code == 404
    # Not even an officer answers a draft by mistake.
    assert officer_client.get(step_url(consultation, step)).status_code == 404
    for name in ["consultation_start", "consultation_done", "consultation_public_results"]:
        assert (
            anon_client.get(reverse(f"mapping:{name}", args=[consultation.slug])).status_code
            == 404
        )


def test_it_checks_again_when_the_answers_are_sent(anon_client, consultation, ward):
    """A resident who started before midnight on the closing day cannot send after it."""
    consultation, library, park, green = consultation
    answer_everything_but_send(anon_client, consultation, ward, library, park, green)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    type(consultation).objects.filter(pk=consultation.pk).update(
        opens_on=yesterday - datetime.timedelta(days=7), closes_on=yesterday
    )
    response = anon_client.post(step_url(consultation, "check"))
    assert "This consultation has closed" in response.content.decode()
    assert ConsultationResponse.objects.count() == 0


def test_it_asks_about_a_service_added_while_answering(anon_client, consultation, ward):
    consultation, library, park, green = consultation
    answer_everything_but_send(anon_client, consultation, ward, library, park, green)
    added = ServiceFactory(name="Mobile library", category=library.category)
    consultation.services.add(added)
    response = anon_client.post(step_url(consultation, "check"))
    assert response["Location"] == step_url(consultation, "services-1")
    assert ConsultationResponse.objects.count() == 0
    page = anon_client.get(response["Location"]).content.decode()
    assert "Some questions have not been answered yet" in page
    assert "Mobile library" in page


def test_it_drops_the_answer_about_a_service_removed_while_answering(
    anon_client, consultation, ward
):
    consultation, library, park, green = consultation
    answer_everything_but_send(anon_client, consultation, ward, library, park, green)
    consultation.services.remove(green)
    response = anon_client.post(step_url(consultation, "check"))
    assert response["Location"] == step_url(consultation, "check")
    assert ConsultationResponse.objects.count() == 0
    page = anon_client.get(response["Location"]).content.decode()
    assert "The questions changed while you were answering" in page
    assert "Blythe Hill Fields" not in page
    anon_client.post(step_url(consultation, "check"))
    answered = set(ConsultationAnswer.objects.values_list("service_id", flat=True))
    assert answered == {library.pk, park.pk}
