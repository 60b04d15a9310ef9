"""What an admin does in the admin: search, filter, verify organisations in bulk, and
what nobody may do (change a resident's consultation response)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from mapping.models import (
    CapacityOffer,
    ConsultationResponse,
    Organisation,
    VerificationStatus,
    Willingness,
)
from services.models import ReviewStatus
from tests import factories as f
from tests.conftest import staff_client_for

pytestmark = pytest.mark.django_db


def names_listed(response):
    return {str(obj) for obj in response.context["cl"].result_list}


# Search -------------------------------------------------------------------------------------


def test_it_finds_an_organisation_by_charity_number(admin_client):
    f.OrganisationFactory(name="Catford Food Bank", charity_number="1123456")
    f.OrganisationFactory(name="Deptford Tenants")
    response = admin_client.get(reverse("admin:mapping_organisation_changelist"), {"q": "1123456"})
    assert names_listed(response) == {"Catford Food Bank"}


def test_it_finds_an_organisation_by_part_of_its_name_whatever_the_case(admin_client):
    f.OrganisationFactory(name="Friends of Hilly Fields")
    f.OrganisationFactory(name="Sydenham Society")
    response = admin_client.get(reverse("admin:mapping_organisation_changelist"), {"q": "hilly"})
    assert names_listed(response) == {"Friends of Hilly Fields"}


def test_it_finds_a_ward_by_ons_code(admin_client):
    f.WardFactory(code="E05013714", name="Bellingham")
    f.WardFactory(code="E05013715", name="Blackheath")
    response = admin_client.get(reverse("admin:mapping_ward_changelist"), {"q": "E05013715"})
    assert names_listed(response) == {"Blackheath"}


def test_it_finds_a_service_by_lgsl_code(admin_client):
    f.ServiceFactory(name="Libraries", lgsl_code=1536)
    f.ServiceFactory(name="Parks", lgsl_code=1048)
    response = admin_client.get(reverse("admin:services_service_changelist"), {"q": "1536"})
    assert names_listed(response) == {"Libraries"}


def test_a_search_for_words_does_not_trip_over_the_numeric_lgsl_code(admin_client):
    f.ServiceFactory(name="Mobile library", lgsl_code=1536)
    response = admin_client.get(reverse("admin:services_service_changelist"), {"q": "mobile"})
    assert response.status_code == 200
    assert names_listed(response) == {"Mobile library"}


def test_it_finds_offers_by_organisation_or_service(admin_client):
    f.CapacityOfferFactory(
        organisation=f.OrganisationFactory(name="Lee Green Lives"),
        service=f.ServiceFactory(name="Lunch club"),
    )
    f.CapacityOfferFactory(service=f.ServiceFactory(name="Youth club"))
    url = reverse("admin:mapping_capacityoffer_changelist")
    assert names_listed(admin_client.get(url, {"q": "lee green"})) == {
        "Lee Green Lives – Lunch club"
    }
    assert len(names_listed(admin_client.get(url, {"q": "club"}))) == 2


# Filters ------------------------------------------------------------------------------------


def test_it_filters_organisations_by_verification(admin_client):
    f.OrganisationFactory(name="Waiting", verification_status=VerificationStatus.PENDING)
    f.OrganisationFactory(name="Checked", verification_status=VerificationStatus.VERIFIED)
    url = reverse("admin:mapping_organisation_changelist")
    response = admin_client.get(url, {"verification_status__exact": "pending"})
    assert names_listed(response) == {"Waiting"}


def test_it_filters_organisations_by_ward_served(admin_client):
    ward = f.WardFactory(name="Evelyn")
    f.OrganisationFactory(name="Evelyn Estate TRA", wards_served=[ward])
    f.OrganisationFactory(name="Elsewhere")
    url = reverse("admin:mapping_organisation_changelist")
    response = admin_client.get(url, {"wards_served__id__exact": ward.pk})
    assert names_listed(response) == {"Evelyn Estate TRA"}


def test_it_filters_offers_by_willingness_and_by_withdrawn(admin_client):
    ready = f.CapacityOfferFactory(willingness=Willingness.READY_NOW)
    f.CapacityOfferFactory(willingness=Willingness.EXPLORING)
    withdrawn = f.CapacityOfferFactory(willingness=Willingness.READY_NOW)
    withdrawn.withdraw()
    url = reverse("admin:mapping_capacityoffer_changelist")
    response = admin_client.get(url, {"willingness__exact": "ready_now"})
    assert names_listed(response) == {str(ready), str(withdrawn)}
    response = admin_client.get(url, {"willingness__exact": "ready_now", "withdrawn_at_set": "no"})
    assert names_listed(response) == {str(ready)}


def test_it_filters_services_by_review_status(admin_client):
    f.ServiceFactory(name="Open one", review_status=ReviewStatus.OPEN_TO_EOI)
    f.ServiceFactory(name="Settled one")
    url = reverse("admin:services_service_changelist")
    response = admin_client.get(url, {"review_status__exact": "open_to_eoi"})
    assert names_listed(response) == {"Open one"}


def test_it_filters_monitoring_returns_by_sent_in_and_overdue(admin_client):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    sent = f.MonitoringReturnFactory(submitted_at=timezone.now())
    late = f.MonitoringReturnFactory(due_on=today - datetime.timedelta(days=1))
    upcoming = f.MonitoringReturnFactory(due_on=today + datetime.timedelta(days=10))
    url = reverse("admin:services_monitoringreturn_changelist")

    def listed(params):
        return {r.pk for r in admin_client.get(url, params).context["cl"].result_list}

    assert listed({"submitted_at_set": "yes"}) == {sent.pk}
    assert listed({"submitted_at_set": "no"}) == {late.pk, upcoming.pk}
    assert listed({"overdue": "yes"}) == {late.pk}
    assert "Overdue: not sent in by the due date" in admin_client.get(url).text


def test_a_filter_value_that_does_not_exist_is_refused_without_an_error(admin_client):
    url = reverse("admin:mapping_organisation_changelist")
    response = admin_client.get(url, {"no_such_field": "x"})
    # The admin's own answer to a bad filter: back to the list with ?e=1.
    assert response.status_code == 302
    assert "e=1" in response.url


def test_the_lists_show_counts_with_thousands_separators_and_money_in_pounds(admin_client):
    service = f.ServiceFactory(annual_cost=1250000, planned_budget_change=-25000)
    f.WardFactory(name="Big ward", population=15432)
    response = admin_client.get(reverse("admin:services_service_changelist"))
    assert "£1,250,000" in response.text
    assert "-£25,000" in response.text
    response = admin_client.get(reverse("admin:mapping_ward_changelist"))
    assert "15,432" in response.text
    assert service.name in admin_client.get(reverse("admin:services_service_changelist")).text


def test_an_organisation_list_counts_only_its_active_offers(admin_client):
    organisation = f.OrganisationFactory()
    f.CapacityOfferFactory(organisation=organisation)
    f.CapacityOfferFactory(organisation=organisation).withdraw()
    response = admin_client.get(reverse("admin:mapping_organisation_changelist"))
    [row] = response.context["cl"].result_list
    assert row.offer_count == 1


# Verifying organisations in bulk --------------------------------------------------------------


def verify(client, organisations):
    return client.post(
        reverse("admin:mapping_organisation_changelist"),
        {"action": "verify_organisations", "_selected_action": [o.pk for o in organisations]},
        follow=True,
    )


def test_the_bulk_action_verifies_and_records_who_and_when(admin_client, admin_user):
    waiting = f.OrganisationFactory(verification_status=VerificationStatus.PENDING)
    rejected = f.OrganisationFactory(
        verification_status=VerificationStatus.REJECTED, verification_reason="No address"
    )
    response = verify(admin_client, [waiting, rejected])
    assert "2 organisations verified." in response.text
    for organisation in (waiting, rejected):
        organisation.refresh_from_db()
        assert organisation.verification_status == VerificationStatus.VERIFIED
        assert organisation.verified_by == admin_user
        assert organisation.verified_at is not None
        assert organisation.verification_reason == ""
        assert organisation.version == 2
    assert waiting.history.first().history_user == admin_user


def test_the_bulk_action_leaves_organisations_already_verified_as_they_were(admin_client, officer):
    earlier = f.OrganisationFactory(verification_status=VerificationStatus.PENDING)
    earlier.verify(by=officer)
    verified_at = earlier.verified_at
    response = verify(admin_client, [earlier])
    assert "0 organisations verified." in response.text
    assert "1 was already verified" in response.text
    earlier.refresh_from_db()
    assert (earlier.verified_by, earlier.verified_at) == (officer, verified_at)


def test_only_someone_who_may_change_organisations_can_verify_them(admin_user):
    from tests.factories import UserFactory

    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_organisation"))
    waiting = f.OrganisationFactory(verification_status=VerificationStatus.PENDING)
    client = staff_client_for(viewer)
    response = client.get(reverse("admin:mapping_organisation_changelist"))
    assert response.status_code == 200
    assert "verify_organisations" not in response.text
    verify(client, [waiting])
    waiting.refresh_from_db()
    assert waiting.verification_status == VerificationStatus.PENDING


def test_an_admin_edit_moves_the_version_on(admin_client):
    offer = f.CapacityOfferFactory()
    url = reverse("admin:mapping_capacityoffer_change", args=[offer.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("wards", "skills", "support_needed")
    }
    data |= {
        "wards": [w.pk for w in offer.wards.all()] or [f.WardFactory().pk],
        "volunteer_hours_per_month": 55,
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    offer.refresh_from_db()
    assert (offer.volunteer_hours_per_month, offer.version) == (55, 2)


# Consultation responses are evidence ----------------------------------------------------------


@pytest.fixture
def response_row():
    answer = f.ConsultationAnswerFactory(comfort=2)
    return answer.response


def test_a_response_is_shown_read_only(admin_client, response_row):
    url = reverse("admin:mapping_consultationresponse_change", args=[response_row.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert 'name="_save"' not in page.text
    assert page.context["inline_admin_formsets"][0].has_change_permission is False


def test_nobody_may_change_or_add_a_response_through_the_admin(admin_client, response_row):
    url = reverse("admin:mapping_consultationresponse_change", args=[response_row.pk])
    response = admin_client.post(url, {"gives_time": "on", "comment": "changed"})
    assert response.status_code == 403
    response_row.refresh_from_db()
    assert response_row.comment == ""
    add = reverse("admin:mapping_consultationresponse_add")
    assert admin_client.get(add).status_code == 403
    answer = response_row.answers.get()
    answer_url = reverse("admin:mapping_consultationanswer_change", args=[answer.pk])
    assert admin_client.post(answer_url, {"comfort": 5}).status_code == 403
    answer.refresh_from_db()
    assert answer.comfort == 2


def test_a_superuser_may_delete_a_response_and_its_answers(admin_client, response_row):
    url = reverse("admin:mapping_consultationresponse_delete", args=[response_row.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not ConsultationResponse.objects.exists()


def test_staff_with_every_permission_but_not_superuser_may_not_delete_a_response(response_row):
    staff = f.UserFactory(is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__endswith="response"))
    client = staff_client_for(staff)
    url = reverse("admin:mapping_consultationresponse_delete", args=[response_row.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert ConsultationResponse.objects.exists()


def test_the_admin_refuses_people_who_are_not_staff(member_a_client, officer_client):
    url = reverse("admin:mapping_organisation_changelist")
    for client in (member_a_client, officer_client):
        response = client.get(url)
        assert response.status_code == 302
        assert "/admin/login/" in response.url


def test_an_organisation_page_shows_its_members_and_offers(admin_client, member_a, group_a):
    offer = f.CapacityOfferFactory(organisation=group_a, service=f.ServiceFactory(name="Litter"))
    url = reverse("admin:mapping_organisation_change", args=[group_a.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "Alice Member" in page.text
    assert "Litter" in page.text
    assert CapacityOffer.objects.get() == offer
    assert Organisation.objects.get() == group_a
