"""One expression of interest from draft to accepted agreement to a first monitoring
return shown on the public page, and a listed pub's intention to bid, clicked through in
headless Chromium. Every page passes axe (WCAG 2.2 A and AA); the group's and the public
pages fit a 375 px screen."""

import pytest
from django.core import mail
from django.utils import timezone

from mapping.models import LegalForm
from services.models import (
    EoiStatus,
    HandoverAgreement,
    IntentionToBid,
    MonitoringReturn,
    ReviewStatus,
)
from services.periods import add_months
from tests.browser.conftest import assert_accessible, assert_fits_width, screenshot, sign_in
from tests.conftest import PASSWORD
from tests.factories import (
    AssetFactory,
    CapacityOfferFactory,
    ServiceFactory,
    SupportNeedFactory,
    WardFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, name, *, phone=False):
    html = page.content()
    assert "{#" not in html and "{%" not in html, "template syntax leaked into the page"
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    if phone:
        assert_fits_width(page)
    screenshot(page, name)


def click(page, name, role="button"):
    page.get_by_role(role, name=name).click()
    page.wait_for_load_state()


def new_page(browser, *, phone=False):
    size = {"width": 375, "height": 740} if phone else {"width": 1280, "height": 900}
    context = browser.new_context(viewport=size, locale="en-GB", is_mobile=phone)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def test_an_expression_of_interest_becomes_an_agreement_and_a_public_return(
    browser, live_server, group_a, member_a, group_b, member_b, officer
):
    ward = WardFactory(name="Bellingham")
    library = ServiceFactory(
        name="Central Library", review_status=ReviewStatus.OPEN_TO_EOI, wards=[ward]
    )
    CapacityOfferFactory(organisation=group_a, service=library, wards=[ward])
    # Reference data from the migrations is gone after an earlier browser test's flush.
    SupportNeedFactory(code="training", name="Training")
    base = live_server.url
    lead = new_page(browser, phone=True)
    sign_in(lead, live_server, member_a.email, PASSWORD)

    # The lead group starts a draft on its phone; an empty form explains itself.
    lead.goto(f"{base}/groups/{group_a.pk}/handover/")
    check(lead, "handover-group-empty-phone", phone=True)
    click(lead, "Start an expression of interest", role="link")
    click(lead, "Save the draft")
    assert "Choose the service, building or land it is for" in lead.inner_text(
        ".govuk-error-summary"
    )
    check(lead, "handover-eoi-errors-phone", phone=True)
    lead.get_by_label("What is it for?").select_option(label="Central Library")
    lead.get_by_label("Co-production partnership").check()
    lead.get_by_label("What do you propose?").fill(
        "Open the library on Saturdays with our volunteers, with council staff on call."
    )
    lead.get_by_label("What capacity does your group bring?").fill(
        "Twelve volunteers who already run the reading group."
    )
    lead.get_by_label("Training").check()
    click(lead, "Save the draft")
    assert "Your draft has been saved" in lead.inner_text("main")
    check(lead, "handover-eoi-draft-phone", phone=True)

    # It invites group B, which accepts: a collaborative bid.
    click(lead, "Invite partners", role="link")
    lead.get_by_label("Which group do you want to invite?").select_option(label=group_b.name)
    click(lead, "Send the invitation")
    assert f"{group_b.name} has been invited" in lead.inner_text("main")
    check(lead, "handover-partners-phone", phone=True)
    partner = new_page(browser)
    sign_in(partner, live_server, member_b.email, PASSWORD)
    partner.goto(f"{base}/groups/{group_b.pk}/handover/")
    click(partner, "Answer the invitation", role="link")
    check(partner, "handover-partner-answer")
    partner.get_by_label("Yes, we want to be a partner").check()
    click(partner, "Send your answer")
    assert "Your group is now a partner" in partner.inner_text("main")

    # Check the answers, then submit.
    click(lead, "Back to the expression of interest", role="link")
    click(lead, "Check and submit", role="link")
    main = lead.inner_text("main")
    assert group_b.name in main and "Twelve volunteers" in main
    check(lead, "handover-eoi-check-phone", phone=True)
    click(lead, "Accept and submit")
    assert "sent to the council" in lead.inner_text("main")
    assert "Submitted" in lead.inner_text("main")

    # The officer reviews it from the pipeline board and accepts it.
    desk = new_page(browser)
    sign_in(desk, live_server, officer.email, PASSWORD)
    desk.goto(f"{base}/officer/handover/")
    check(desk, "handover-pipeline")
    click(desk, "Central Library", role="link")
    check(desk, "handover-eoi-officer")
    click(desk, "Start the review", role="link")
    check(desk, "handover-decide-review")
    desk.get_by_label("Start the review").check()
    click(desk, "Save and tell the group")
    click(desk, "Record the decision", role="link")
    desk.get_by_label("Accept it").check()
    click(desk, "Save and tell the group")
    assert "Give the reasons for the decision" in desk.inner_text(".govuk-error-summary")
    check(desk, "handover-decide-errors")
    desk.get_by_label("Reasons").fill("A strong proposal, with a partner and local support.")
    click(desk, "Save and tell the group")
    assert "It has been accepted" in desk.inner_text("main")

    # ... and makes the handover agreement, starting 3 months ago so a return is due.
    click(desk, "Make the handover agreement", role="link")
    check(desk, "handover-agreement-form")
    start = add_months(timezone.localdate().replace(day=1), -3)
    desk.locator("#id_starts_on_0").fill(str(start.day))
    desk.locator("#id_starts_on_1").fill(str(start.month))
    desk.locator("#id_starts_on_2").fill(str(start.year))
    desk.get_by_label("Council funding (£ a year)").fill("£12,500")
    desk.get_by_label("Every 3 months").check()
    desk.locator("#id_indicator_1_name").fill("Saturday visits")
    desk.locator("#id_indicator_1_unit").fill("visits")
    desk.locator("#id_indicator_1_target").fill("400")
    click(desk, "Make the agreement")
    assert "The agreement has been made" in desk.inner_text("main")
    check(desk, "handover-agreement")
    agreement = HandoverAgreement.objects.get()
    library.refresh_from_db()
    assert library.review_status == ReviewStatus.HANDED_OVER
    assert agreement.expression_of_interest.status == EoiStatus.ACCEPTED

    # The group sends its first return from its phone.
    lead.goto(f"{base}/groups/{group_a.pk}/handover/")
    check(lead, "handover-group-return-due-phone", phone=True)
    lead.get_by_role("region", name="Monitoring returns to send").get_by_role(
        "link", name="Central Library"
    ).click()
    click(lead, "Send the return", role="link")
    click(lead, "Send the return")
    assert "Enter a figure for Saturday visits" in lead.inner_text(".govuk-error-summary")
    check(lead, "handover-return-errors-phone", phone=True)
    lead.get_by_label("Saturday visits (visits)").fill("412")
    lead.get_by_label("Volunteer hours delivered in the period").fill("360")
    lead.get_by_label("Complaints received in the period").fill("0")
    lead.get_by_label("How did it go?").fill("Saturdays are busier than we hoped.")
    click(lead, "Send the return")
    assert "Your return has been sent" in lead.inner_text("main")
    check(lead, "handover-return-sent-phone", phone=True)

    # The officer reviews it: green, with a comment.
    desk.goto(f"{base}/agreements/{agreement.pk}/")
    click(desk, "Review it the return for the period", role="link")
    check(desk, "handover-return-review")
    desk.get_by_label("Green: on track").check()
    desk.get_by_label("Comment").fill("Above the target for visits.")
    click(desk, "Save and tell the group")
    assert MonitoringReturn.objects.rated().count() == 1

    # Anyone can see it on the public page, without signing in.
    public = new_page(browser, phone=True)
    public.goto(f"{base}/who-runs-what/")
    row = public.get_by_role("row", name="Central Library")
    assert "Green: on track" in row.inner_text() and "Saturday visits: 412 / 400" in (
        row.inner_text()
    )
    check(public, "handover-public-list-phone", phone=True)
    click(public, "Central Library", role="link")
    main = public.inner_text("main")
    assert group_a.name in main and "Green: on track" in main
    public.get_by_text("What the group and the council said").scroll_into_view_if_needed()
    public.locator("details summary").first.click()
    assert "Above the target for visits." in public.inner_text("main")
    check(public, "handover-public-detail-phone", phone=True)

    # Both groups heard of each step.
    subjects = [m.subject for m in mail.outbox if member_b.email in m.to]
    assert "Expression of interest in Central Library: accepted" in subjects
    for page in (lead, partner, desk, public):
        page.context.close()


def test_a_group_nominates_a_pub_and_says_it_intends_to_bid_inside_the_window(
    browser, live_server, group_a, member_a, officer
):
    group_a.legal_form = LegalForm.CIO
    group_a.save()
    WardFactory(name="Brockley")
    AssetFactory(name="Borough Museum")
    base = live_server.url
    group = new_page(browser, phone=True)
    sign_in(group, live_server, member_a.email, PASSWORD)
    group.goto(f"{base}/groups/{group_a.pk}/community-value/nominate/")
    group.get_by_label("Which building or land?").select_option(
        label="It is not in this list: I will describe it"
    )
    click(group, "Send the nomination")
    assert "Enter the name of the place" in group.inner_text(".govuk-error-summary")
    check(group, "acv-nominate-errors-phone", phone=True)
    group.get_by_label("Name", exact=True).fill("The Kestrel Arms")
    group.get_by_label("What kind of place is it?").select_option(label="Pub")
    group.get_by_label("Address").fill("1 Kestrel Road")
    group.get_by_label("Ward", exact=True).select_option(label="Brockley")
    group.get_by_label("Why does it matter to the community?").fill(
        "The only pub left on the estate: it hosts the darts league."
    )
    click(group, "Send the nomination")
    assert "Your nomination has been sent" in group.inner_text("main")
    check(group, "acv-nomination-phone", phone=True)

    desk = new_page(browser)
    sign_in(desk, live_server, officer.email, PASSWORD)
    desk.goto(f"{base}/officer/community-value/")
    check(desk, "acv-officer-waiting")
    click(desk, "The Kestrel Arms", role="link")
    click(desk, "Record the decision", role="link")
    check(desk, "acv-decide")
    desk.get_by_label("List it as an Asset of Community Value").check()
    desk.get_by_label("Reasons").fill("It furthers the social wellbeing of the community.")
    click(desk, "Save and tell the group")
    click(desk, "Record a notice of sale for The Kestrel Arms", role="link")
    check(desk, "acv-notice-form")
    notified = timezone.localdate()  # the first day of the window (its edges: unit tests)
    desk.get_by_label("Day").fill(str(notified.day))
    desk.get_by_label("Month").fill(str(notified.month))
    desk.get_by_label("Year").fill(str(notified.year))
    click(desk, "Record the notice")
    assert "until" in desk.inner_text("main")
    check(desk, "acv-officer-listed")

    group.goto(f"{base}/groups/{group_a.pk}/handover/")
    click(group, "Say your group intends to bid for The Kestrel Arms", role="link")
    check(group, "acv-intention-phone", phone=True)
    click(group, "Send our intention to bid")
    assert "The council has your intention to bid" in group.inner_text("main")
    assert IntentionToBid.objects.get().organisation == group_a

    public = new_page(browser, phone=True)
    public.goto(f"{base}/community-value/")
    assert "The Kestrel Arms" in public.inner_text("main")
    check(public, "acv-register-phone", phone=True)
    for page in (group, desk, public):
        page.context.close()
