"""import_organisations: registers and the council's own list, matched on org-id identifiers."""

import pytest

from mapping.imports import run_import
from mapping.models import LegalForm, Organisation, VerificationStatus
from tests.factories import OrganisationFactory, WardFactory
from tests.imports.conftest import SHARED, needs_shared_data, only_message, problems, write_csv

pytestmark = pytest.mark.django_db

CHARITIES = SHARED / "trafford" / "registered_charities_ccew_2022.csv"
GRANTS = SHARED / "trafford" / "vcs_grants_360giving.csv"
CC_HEADER = (
    "registered_charity_number,charity_company_registration_number,charity_name,charity_type,"
    "charity_activities,date_of_registration,charity_contact_address,charity_contact_postcode,"
    "charity_contact_phone,charity_contact_email,charity_contact_web\n"
)


@needs_shared_data
@pytest.mark.shared_data
def test_it_imports_the_real_charity_register_extract():
    report = run_import("organisations", CHARITIES, format="charity-commission")
    assert report.ok, problems(report)
    assert (report.rows_read, report.created) == (736, 736)
    trust = Organisation.objects.get(charity_number="214927")
    assert trust.name == "THE CHESHIRE WILDLIFE TRUST LIMITED"
    assert trust.company_number == "00738693"
    assert trust.legal_form == LegalForm.CHARITABLE_COMPANY
    assert trust.postcode == "SY14 8EF"
    assert trust.website == "https://www.cheshirewildlifetrust.co.uk"
    # A register entry is not an officer's check of what a group offers.
    assert trust.verification_status == VerificationStatus.PENDING
    assert not trust.publish_contact
    # A postcode with a letter O for a zero is left out, with a note; the row still imports.
    assert ("postcode", "'WA15 OHF' is not a UK postcode: left out.") in [
        (w.field, w.message) for w in report.warnings
    ]
    again = run_import("organisations", CHARITIES, format="charity-commission")
    assert (again.created, again.updated) == (0, 0)
    assert Organisation.objects.count() == 736


@needs_shared_data
@pytest.mark.shared_data
def test_the_real_grants_data_matches_the_register_rather_than_duplicating_it():
    assert run_import("organisations", CHARITIES, format="charity-commission").ok
    report = run_import("organisations", GRANTS, format="360giving")
    assert report.ok, problems(report)
    assert report.rows_read == 555
    # 323 recipients, 36 of them charities already imported from the register.
    assert (report.created, report.updated + report.unchanged) == (287, 36)
    assert Organisation.objects.count() == 736 + 287
    # The grants data writes the charity number 512710 with a leading zero.
    assert Organisation.objects.filter(charity_number="512710").count() == 1


@needs_shared_data
@pytest.mark.shared_data
def test_it_imports_the_real_grants_data_on_its_own():
    report = run_import("organisations", GRANTS, format="360giving")
    assert report.ok, problems(report)
    assert report.created == 323
    assert Organisation.objects.filter(other_identifier__startswith="360G-trafford").count() == 215


def test_it_fills_in_what_is_empty_and_keeps_what_people_wrote(tmp_path):
    group = OrganisationFactory(
        name="Friends of Hilly Fields",
        charity_number="1100001",
        postcode="",
        description="We look after the park.",
        verification_status=VerificationStatus.VERIFIED,
    )
    path = write_csv(
        tmp_path / "cc.csv",
        CC_HEADER
        + "1100001,NA,FRIENDS OF HILLY FIELDS,Other,Parks,2001-01-01,1 Road,SE4 1AA,NA,NA,NA\n",
    )
    report = run_import("organisations", path, format="charity-commission")
    assert (report.created, report.updated) == (0, 1)
    group.refresh_from_db()
    assert group.name == "Friends of Hilly Fields"
    assert group.description == "We look after the park."
    assert group.postcode == "SE4 1AA"
    assert group.verification_status == VerificationStatus.VERIFIED
    assert group.history.first().history_change_reason is None  # the change is in its history
    assert group.history.count() == 2


def test_the_councils_own_list_matches_by_name_and_sets_wards(tmp_path):
    ward = WardFactory(code="E05000001", name="Ashgrove")
    group = OrganisationFactory(name="Ashgrove Allotments", volunteers=3)
    path = write_csv(
        tmp_path / "own.csv",
        "Group,Legal form,Identifiers,Wards served,Volunteers,Income\n"
        "Ashgrove allotments,'Friends of' group,,Ashgrove,12,\"Under £10,000 a year\"\n"
        "New Lunch Club,Informal group,GB-COH-1234567,E05000001,4,\n",
    )
    report = run_import("organisations", path, format="csv")
    assert report.ok, problems(report)
    assert (report.created, report.updated) == (1, 1)
    group.refresh_from_db()
    assert (group.volunteers, group.legal_form) == (12, LegalForm.FRIENDS_OF)
    assert list(group.wards_served.all()) == [ward]
    lunch = Organisation.objects.get(company_number="01234567")
    assert lunch.legal_form == LegalForm.INFORMAL
    assert list(lunch.wards_served.all()) == [ward]


def test_scottish_and_northern_irish_charities_are_matched_on_their_own_org_ids(tmp_path):
    scottish = OrganisationFactory(name="Glasgow Friends", charity_number="SC012345")
    northern_irish = OrganisationFactory(name="Belfast Friends", charity_number="NIC100012")
    path = write_csv(
        tmp_path / "own.csv",
        "Group,Identifiers,Volunteers\n"
        "Glasgow Friends of the Park,GB-SC-SC012345,7\n"
        "Belfast Friends of the Park,GB-NIC-100012,8\n"
        "Derry Lunch Club,GB-NIC-100099,9\n"
        "Dundee Lunch Club,GB-SC-SC054321,10\n",
    )
    report = run_import("organisations", path, format="csv")
    assert report.ok, problems(report)
    assert (report.created, report.updated) == (2, 2)
    scottish.refresh_from_db()
    northern_irish.refresh_from_db()
    assert (scottish.volunteers, northern_irish.volunteers) == (7, 8)
    assert Organisation.objects.get(name="Derry Lunch Club").charity_number == "NIC100099"
    assert Organisation.objects.get(name="Dundee Lunch Club").charity_number == "SC054321"
    assert Organisation.objects.get(name="Dundee Lunch Club").identifiers == ["GB-SC-SC054321"]


def test_it_refuses_identifiers_that_belong_to_two_organisations(tmp_path, unchanged):
    OrganisationFactory(name="Alpha", charity_number="1100001")
    OrganisationFactory(name="Beta", company_number="09000009")
    unchanged.mark()
    path = write_csv(
        tmp_path / "cc.csv",
        CC_HEADER + "1100001,09000009,ALPHA,Charitable company,NA,NA,NA,NA,NA,NA,NA\n",
    )
    message = only_message(run_import("organisations", path, format="charity-commission"))
    assert "belong to different organisations" in message
    assert "charity number 1100001 is Alpha" in message
    assert "company number 09000009 is Beta" in message
    unchanged()


def test_it_refuses_duplicate_charity_numbers_in_a_register(tmp_path, unchanged):
    path = write_csv(
        tmp_path / "cc.csv",
        CC_HEADER
        + "1100001,NA,ALPHA,Other,NA,NA,NA,NA,NA,NA,NA\n"
        + "1100001,NA,ALPHA AGAIN,Other,NA,NA,NA,NA,NA,NA,NA\n"
        + "12AB,NA,BAD,Other,NA,NA,NA,NA,NA,NA,NA\n",
    )
    report = run_import("organisations", path, format="charity-commission")
    assert problems(report) == [
        (3, "charity number", "The charity number 1100001 appears twice: lines 2 and 3."),
        (
            4,
            "charity number",
            "'12AB' is not a registered charity number (5 to 8 digits, or SC or NIC and "
            "6 digits).",
        ),
    ]
    unchanged()


def test_it_refuses_a_file_without_the_columns_of_its_format(tmp_path, unchanged):
    path = write_csv(tmp_path / "x.csv", "name,postcode\nA,SE6 4RU\n")
    message = only_message(run_import("organisations", path, format="charity-commission"))
    assert message.startswith("The file has no column for: charity number")
    assert "Its columns are: 'name', 'postcode'." in message
    unchanged()


def test_it_refuses_an_unknown_legal_form_naming_the_choices(tmp_path, unchanged):
    path = write_csv(tmp_path / "own.csv", "name,legal form\nA,Limited partnership\n")
    message = only_message(run_import("organisations", path, format="csv"))
    assert "'Limited partnership' is not a legal form" in message
    assert "Charitable incorporated organisation (CIO)" in message
    unchanged()


def test_it_names_every_bad_column_of_a_row(tmp_path, unchanged):
    path = write_csv(
        tmp_path / "own.csv", "name,legal form,wards,volunteers\nA,Partnership,Nowhere,lots\n"
    )
    report = run_import("organisations", path, format="csv")
    assert [(row, column) for row, column, _m in problems(report)] == [
        (2, "legal form"),
        (2, "volunteers"),
        (2, "wards"),
    ]
    unchanged()


def test_a_group_can_serve_the_whole_borough(tmp_path):
    path = write_csv(
        tmp_path / "own.csv", "Group,Wards served\nBorough Befrienders,Whole borough\n"
    )
    assert run_import("organisations", path, format="csv").ok
    group = Organisation.objects.get()
    assert group.serves_whole_borough
    assert not group.wards_served.exists()
