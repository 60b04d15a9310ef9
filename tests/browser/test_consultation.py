"""A resident answers a consultation on a phone; the officer's results change. Every
public page passes axe (WCAG 2.2 A and AA) and fits a 375 px screen."""

import datetime

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone

from bigsociety.ratelimit import rate_limited
from mapping.models import ConsultationResponse
from tests.browser.conftest import assert_accessible, assert_fits_width, screenshot, sign_in
from tests.conftest import PASSWORD
from tests.consultation.helpers import make_consultation
from tests.consultation.test_results import respond
from tests.factories import (
    CapacityOfferFactory,
    ConsultationFactory,
    OrganisationFactory,
    PostcodeFactory,
    WardFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def check(page, name):
    html = page.content()
    assert "{#" not in html and "{%" not in html, "template syntax leaked into the page"
    assert_accessible(page)
    assert_fits_width(page)
    screenshot(page, name)


def continue_(page):
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def test_a_resident_answers_on_a_phone_and_the_officer_sees_the_results_change(
    phone, page, live_server, officer
):
    consultation, *_services = make_consultation()
    ladywell = WardFactory(name="Ladywell")
    WardFactory(name="Catford South")
    PostcodeFactory(postcode="SE13 7HY", ward=ladywell)
    for comfort in (1, 2, 4, 5):  # four neighbours: one short of being shown
        respond(consultation, ladywell, (comfort, 3, 3))

    sign_in(page, live_server, officer.email, PASSWORD)
    results_url = f"{live_server.url}/officer/consultations/{consultation.pk}/"
    page.goto(results_url)
    assert "Fewer than 5 people have answered so far" in page.inner_text("main")
    screenshot(page, "consultation-officer-results-before")

    phone.goto(f"{live_server.url}/have-your-say/")
    check(phone, "consultation-public-list-phone")
    phone.get_by_role("link", name="Our libraries and parks").click()
    check(phone, "consultation-start-phone")
    phone.get_by_role("button", name="Start now").click()

    # 1. Where you live: a postcode typed carelessly still finds the ward.
    continue_(phone)
    assert "Enter your postcode" in phone.inner_text(".govuk-error-summary")
    check(phone, "consultation-postcode-error-phone")
    phone.get_by_label("What is your postcode?").fill(" se137hy")
    continue_(phone)

    # 2. Comfort, one page per kind of service.
    assert "Libraries (1 of 2)" in phone.inner_text("main")
    continue_(phone)
    check(phone, "consultation-services-error-phone")
    phone.get_by_role("group", name="Central Library").get_by_label("Very comfortable").check()
    continue_(phone)
    phone.get_by_role("group", name="Ladywell Fields").get_by_label("Fairly uneasy").check()
    phone.get_by_role("group", name="Blythe Hill Fields").get_by_label("Don't know").check()
    check(phone, "consultation-services-phone")
    continue_(phone)

    # 3. Giving time, with the hours revealed under "Yes".
    phone.get_by_label("Yes", exact=True).check()
    phone.get_by_label("If yes, roughly how many hours a month?").fill("about six")
    continue_(phone)
    check(phone, "consultation-time-error-phone")
    phone.get_by_label("If yes, roughly how many hours a month?").fill("6")
    continue_(phone)

    # 4. About you (optional), 5. check your answers, then send.
    check(phone, "consultation-about-phone")
    phone.get_by_label("45 to 54").check()
    phone.get_by_label("Is there anything else you would like to tell us?").fill(
        "Keep the library open on Saturdays."
    )
    continue_(phone)
    main = phone.inner_text("main")
    for text in ["Ladywell", "Very comfortable", "Fairly uneasy", "Don't know", "about 6 hours"]:
        assert text in main
    check(phone, "consultation-check-phone")
    phone.get_by_role("button", name="Accept and send").click()
    phone.wait_for_load_state()
    assert phone.get_by_role("heading", level=1).inner_text() == "Your answers have been sent"
    check(phone, "consultation-done-phone")

    saved = ConsultationResponse.objects.latest("pk")
    assert (saved.ward, saved.hours_per_month, saved.age_band) == (ladywell, 6, "45_54")

    # The same phone cannot answer again.
    phone.goto(f"{live_server.url}/have-your-say/{consultation.slug}/")
    assert "You have already answered" in phone.inner_text("h1")
    check(phone, "consultation-already-answered-phone")

    # Five in Ladywell now: the officer sees the cell. Library: 1, 2, 4, 5, 5 -> 3.4.
    page.reload()
    library_table = page.get_by_role("region", name="Central Library by ward")
    ladywell_row = library_table.get_by_role("row", name="Ladywell")
    assert ladywell_row.get_by_role("cell").all_inner_texts()[:3] == ["5", "3.4", "40%"]
    assert "Keep the library open on Saturdays." in page.inner_text("#comments ~ ul")
    check(page, "consultation-officer-results-after")


def test_the_ward_list_and_its_error_are_accessible_on_a_phone(phone, live_server):
    consultation, *_services = make_consultation()
    for name in ["Bellingham", "Blackheath", "Brockley", "Catford South", "Crofton Park"]:
        WardFactory(name=name)
    phone.goto(f"{live_server.url}/have-your-say/{consultation.slug}/ward/")
    continue_(phone)
    assert "Choose the ward you live in" in phone.inner_text(".govuk-error-summary")
    check(phone, "consultation-ward-error-phone")


def test_the_pages_work_without_javascript(browser, live_server):
    """The hours box shows under "Yes" and the form still sends with scripts off."""
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 375, "height": 740}
    )
    phone = context.new_page()
    consultation, *_services = make_consultation()
    WardFactory(name="Ladywell")
    base = f"{live_server.url}/have-your-say/{consultation.slug}"
    phone.goto(f"{base}/ward/")
    phone.get_by_label("Ladywell").check()
    continue_(phone)
    while "/services-" in phone.url:
        for group in phone.locator("fieldset").all():
            group.get_by_label("Neither comfortable nor uneasy").check()
        continue_(phone)
    assert phone.get_by_label("If yes, roughly how many hours a month?").is_visible()
    phone.get_by_label("Yes", exact=True).check()
    phone.get_by_label("If yes, roughly how many hours a month?").fill("3")
    continue_(phone)
    continue_(phone)
    phone.get_by_role("button", name="Accept and send").click()
    phone.wait_for_load_state()
    assert "Your answers have been sent" in phone.inner_text("h1")
    assert ConsultationResponse.objects.get().hours_per_month == 3
    context.close()


def public_pages():
    today = timezone.localdate()
    ward = WardFactory(name="Ladywell")
    consultation, library, *_rest = make_consultation()
    closed = ConsultationFactory(
        title="Youth clubs",
        slug="youth-clubs",
        opens_on=today - datetime.timedelta(days=40),
        closes_on=today - datetime.timedelta(days=1),
        results_published=True,
    )
    closed.services.set([library])
    for comfort in (1, 2, 3, 4, 5, 5):
        respond(closed, ward, (comfort,))
    ConsultationFactory(
        title="Leisure",
        slug="leisure",
        opens_on=today + datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=30),
    )
    group = OrganisationFactory(name="Ladywell Readers", wards_served=[ward], publish_contact=True)
    CapacityOfferFactory(organisation=group, service=library, wards=[ward])
    return {
        "directory": "/directory/",
        "directory-filtered": f"/directory/?ward={ward.pk}&q=readers",
        "directory-bad-filter": "/directory/?ward=nonsense",
        "organisation": f"/directory/{group.pk}/",
        "catalogue": "/services/",
        "catalogue-filtered": "/services/?status=open_to_eoi",
        "service": f"/services/{library.pk}/",
        "consultation-closed": "/have-your-say/youth-clubs/",
        "consultation-not-open": "/have-your-say/leisure/",
        "consultation-public-results": "/have-your-say/youth-clubs/results/",
        "consultation-done": f"/have-your-say/{consultation.slug}/done/",
    }


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_every_public_page_passes_axe_and_fits(page, phone, live_server, viewport):
    browser_page = phone if viewport == "phone" else page
    for name, path in public_pages().items():
        browser_page.goto(f"{live_server.url}{path}")
        assert browser_page.get_by_role("heading", level=1).count() == 1, name
        check(browser_page, f"{name}-{viewport}")


def test_the_too_many_answers_page_is_accessible(phone, live_server, settings):
    settings.CONSULTATION_RESPONSES_PER_HOUR = 1
    consultation, *_services = make_consultation()
    # Someone else on this connection has already answered once this hour.
    neighbour = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1")
    rate_limited(neighbour, f"consultation-response:{consultation.pk}", limit=1, window=3600)
    WardFactory(name="Ladywell")
    phone.goto(f"{live_server.url}/have-your-say/{consultation.slug}/ward/")
    phone.get_by_label("Ladywell").check()
    continue_(phone)
    while "/services-" in phone.url:
        for group in phone.locator("fieldset").all():
            group.get_by_label("Don't know").check()
        continue_(phone)
    phone.get_by_label("No", exact=True).check()
    continue_(phone)
    continue_(phone)
    phone.get_by_role("button", name="Accept and send").click()
    phone.wait_for_load_state()
    assert "too many answers" in phone.inner_text("h1")
    check(phone, "consultation-too-many-phone")
    assert not ConsultationResponse.objects.exists()


def test_the_officer_pages_pass_axe(page, live_server, officer):
    consultation, *_services = make_consultation()
    ward = WardFactory(name="Ladywell")
    for comfort in (1, 2, 3, 4, 5):
        respond(consultation, ward, (comfort, comfort, None), comment="More opening hours.")
    sign_in(page, live_server, officer.email, PASSWORD)
    for name, path in [
        ("consultation-officer-list", "/officer/consultations/"),
        ("consultation-officer-results", f"/officer/consultations/{consultation.pk}/"),
        ("consultation-officer-edit", f"/officer/consultations/{consultation.pk}/edit/"),
        ("consultation-officer-create", "/officer/consultations/new/"),
    ]:
        page.goto(f"{live_server.url}{path}")
        check(page, name)
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert "There is a problem" in page.inner_text(".govuk-error-summary")
    check(page, "consultation-officer-create-error")
