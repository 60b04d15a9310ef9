"""Who changed what and when: on every domain model, for bulk writes too, with the person
recorded, shown on officers' pages and in the admin."""

import ast

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import reverse

from bigsociety.history import WITHOUT_HISTORY, create_in_bulk, recent_changes, update_in_bulk
from mapping.models import Organisation, VerificationStatus
from services.models import ReviewStatus, Service
from tests import factories as f

DOMAIN_APPS = ("accounts", "mapping", "services")


def domain_models():
    return [
        model
        for app in DOMAIN_APPS
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
    ]


def test_every_domain_model_keeps_history():
    missing = [
        model._meta.label
        for model in domain_models()
        if not hasattr(model, "history") and model._meta.label not in WITHOUT_HISTORY
    ]
    assert missing == [], (
        "Add `history = HistoricalRecords()` to these models (and a migration), or say in "
        "bigsociety.history.WITHOUT_HISTORY why they keep none."
    )


def test_the_exemptions_are_still_true():
    for label in WITHOUT_HISTORY:
        assert not hasattr(apps.get_model(label), "history"), f"{label} has history now"


def test_every_model_with_history_has_the_history_button_in_the_admin():
    for model in domain_models():
        if hasattr(model, "history") and model in admin.site._registry:
            assert hasattr(admin.site._registry[model], "history_view"), model._meta.label


def test_the_user_history_never_copies_the_password():
    from accounts.models import User

    copied = {field.name for field in User.history.model._meta.fields}
    assert {"email", "is_staff", "is_superuser"} <= copied
    assert not {"password", "last_login"} & copied


# Bulk writes -------------------------------------------------------------------------------

# Raw bulk writes to models that keep history, allowed here and why. Anything else that
# bulk-writes such a model must use bigsociety.history.create_in_bulk / update_in_bulk.
RAW_BULK_WRITES = {
    ("mapping/management/commands/_demo.py", "model.objects.bulk_create"): (
        "create_all: only for models without history; the others go through "
        "bulk_create_with_history"
    ),
    ("mapping/management/commands/_demo.py", "through.objects.bulk_create"): (
        "many-to-many links between demo rows just created"
    ),
    ("mapping/management/commands/_demo.py", "m.Organisation.objects.bulk_update"): (
        "backdates the registration date of demo groups just created with history"
    ),
    ("mapping/management/commands/generate_scale_data.py", "model.objects.bulk_create"): (
        "scale data for benchmarks deliberately writes no history"
    ),
    ("mapping/management/commands/generate_scale_data.py", "through.objects.bulk_create"): (
        "scale data for benchmarks deliberately writes no history"
    ),
    ("mapping/imports.py", "through.objects.bulk_create"): (
        "the wards of services just imported: many-to-many links, which keep no history "
        "(the services themselves are created with bulk_create_with_history)"
    ),
}


def bulk_writes():
    """(path, receiver) of every bulk_create / bulk_update call in the application."""
    root = settings.BASE_DIR
    for path in sorted(root.glob("*/**/*.py")):
        relative = path.relative_to(root)
        if relative.parts[0] not in (*DOMAIN_APPS, "bigsociety") or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("bulk_create", "bulk_update")
            ):
                yield relative.as_posix(), ast.unparse(node.func), node.lineno


def names_a_model_without_history(receiver):
    """``m.Postcode.objects.bulk_create`` names Postcode, which keeps no history."""
    parts = receiver.split(".")
    if "objects" not in parts:
        return False
    name = parts[parts.index("objects") - 1]
    return any(label.endswith(f".{name}") for label in WITHOUT_HISTORY)


def test_bulk_writes_to_models_with_history_record_it():
    unexplained = [
        f"{path}:{line} {receiver}"
        for path, receiver, line in bulk_writes()
        if not names_a_model_without_history(receiver) and (path, receiver) not in RAW_BULK_WRITES
    ]
    assert unexplained == [], (
        "bulk_create and bulk_update write no history: use create_in_bulk / update_in_bulk "
        "from bigsociety.history, naming who and why."
    )


def test_the_guard_reads_the_source():
    found = {(path, receiver) for path, receiver, _line in bulk_writes()}
    assert ("mapping/actions.py", "ConsultationAnswer.objects.bulk_create") in found
    assert names_a_model_without_history("m.Postcode.objects.bulk_create")
    assert not names_a_model_without_history("m.Organisation.objects.bulk_create")


@pytest.mark.django_db
def test_bulk_helpers_record_who_and_why(officer):
    category = f.ServiceCategoryFactory()
    created = create_in_bulk(
        Service,
        [
            Service(name=f"Imported {n}", category=category, statutory_duty=False, risk_tier="low")
            for n in range(3)
        ],
        user=officer,
        reason="Imported from services.csv",
    )
    for service in created:
        service.review_status = ReviewStatus.UNDER_REVIEW
    update_in_bulk(Service, created, ["review_status"], user=officer, reason="Bulk review started")
    records = Service.history.filter(name__startswith="Imported").order_by("history_id")
    assert [r.history_type for r in records] == ["+"] * 3 + ["~"] * 3
    assert {r.history_user for r in records} == {officer}
    assert records.last().history_change_reason == "Bulk review started"


@pytest.mark.django_db
def test_the_demo_borough_writes_history():
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    assert Organisation.history.filter(history_change_reason="Demo data").exists()
    assert Service.history.exists()


# The person is recorded ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_change_made_on_a_page_records_who_made_it(officer_client, officer):
    from tests.gaps.test_service_pages import form_data

    service = f.ServiceFactory(wards=[f.WardFactory()])
    response = officer_client.post(
        reverse("services:service_edit", args=[service.pk]),
        form_data(service, review_status=ReviewStatus.OPEN_TO_EOI),
    )
    assert response.status_code == 302
    latest = service.history.latest()
    assert latest.history_user == officer
    assert latest.review_status == ReviewStatus.OPEN_TO_EOI


@pytest.mark.django_db
def test_a_role_given_in_the_admin_is_recorded(admin_client, admin_user, member_a):
    from django.contrib.auth.models import Group

    from accounts.models import OFFICERS_GROUP

    officers = Group.objects.get(name=OFFICERS_GROUP)
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[member_a.pk]),
        {
            "email": member_a.email,
            "full_name": member_a.full_name,
            "is_active": "on",
            "groups": [officers.pk],
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = member_a.history.latest()
    assert latest.history_user == admin_user
    assert list(latest.groups.values_list("group__name", flat=True)) == [OFFICERS_GROUP]


# Shown on officers' pages ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_summary_says_who_changed_what_and_when(officer):
    group = f.OrganisationFactory(verification_status=VerificationStatus.PENDING)
    group._history_user = officer
    group.verify(by=officer)
    newest, first = recent_changes(group)
    assert first.kind == "Created"
    assert first.who == "Not recorded (a command or an import)"
    assert newest.kind == "Changed"
    assert newest.who == "Olu Officer"
    changed = {c.label: (c.old, c.new) for c in newest.fields}
    assert changed["verification"] == ("Waiting for review", "Verified")
    assert "reviewed by" in changed  # a related row: named as changed, without a query


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("mapping:organisation_detail", lambda: f.OrganisationFactory()),
        ("services:service_detail", lambda: f.ServiceFactory()),
        ("mapping:consultation_results", lambda: f.ConsultationFactory()),
        ("mapping:ward_detail", lambda: f.WardFactory()),
    ],
)
def test_officer_pages_show_the_history(officer_client, officer, name, make):
    obj = make()
    obj._history_user = officer
    obj.save()
    key = obj.code if name == "mapping:ward_detail" else obj.pk
    page = officer_client.get(reverse(name, args=[key])).text
    assert "History of changes" in page
    assert "Olu Officer" in page
    assert "Every change, in the admin" not in page  # officers are not staff


@pytest.mark.django_db
@pytest.mark.parametrize("changes", [1, 40])
def test_the_history_costs_one_query_however_long(officer, django_assert_num_queries, changes):
    group = f.OrganisationFactory()
    for n in range(changes):
        group.volunteers = n
        group._history_user = officer
        group.save()
    with django_assert_num_queries(1):
        shown = recent_changes(group)
    assert len(shown) == min(changes + 1, 10)


@pytest.mark.django_db
@pytest.mark.parametrize("changes", [1, 40])
def test_the_group_page_costs_the_same_however_long_its_history(
    officer_client, officer, django_assert_num_queries, changes
):
    group = f.OrganisationFactory()
    for n in range(changes):
        group.volunteers = n
        group._history_user = officer
        group.save()
    url = reverse("mapping:organisation_detail", args=[group.pk])
    # session, user, officer check; membership check, the group, its wards; its offers
    # (none, so nothing is prefetched for them); its history
    with django_assert_num_queries(3 + 3 + 1 + 1):
        response = officer_client.get(url)
    assert response.status_code == 200


@pytest.mark.django_db
def test_staff_see_a_link_to_every_change(admin_client):
    group = f.OrganisationFactory()
    page = admin_client.get(reverse("mapping:organisation_detail", args=[group.pk])).text
    assert reverse("admin:mapping_organisation_history", args=[group.pk]) in page


@pytest.mark.django_db
def test_a_save_that_changes_no_recorded_detail_says_so(officer):
    group = f.OrganisationFactory()
    group.save()
    [again, created] = recent_changes(group)
    assert again.nothing_recorded and not again.fields
    assert not created.nothing_recorded
