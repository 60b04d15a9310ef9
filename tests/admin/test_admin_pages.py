"""Every model in the admin: its pages load for a superuser, and a changelist costs the
same number of queries for 10 rows as for 500."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from tests.admin.rows import add_rows, can_build

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def label(model):
    return model._meta.label


# Kept out of the admin on purpose: the binary pieces of an upload waiting for the
# import worker, deleted once it has run (the import run itself is in the admin).
NOT_IN_ADMIN = {"mapping.ImportChunk"}


def test_every_model_of_the_apps_is_in_the_admin():
    from django.apps import apps

    missing = [
        model._meta.label
        for app in ("accounts", "mapping", "services")
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
        and model not in admin.site._registry
        and model._meta.label not in NOT_IN_ADMIN
    ]
    assert not missing


def test_every_registered_model_has_a_row_builder():
    missing = [label(model) for model in REGISTERED if not can_build(model)]
    assert not missing


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_a_changelist_costs_the_same_queries_for_10_rows_as_for_500(admin_client, model):
    url = admin_url(model, "changelist")
    add_rows(model, 10)
    admin_client.get(url)  # the session and content types are cached after the first page
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(url).status_code == 200

    add_rows(model, 490)
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(url)
    assert response.status_code == 200
    # 100 rows a page: a query per row would add 90 here.
    assert len(response.context["cl"].result_list) >= min(100, model.objects.count())
    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_every_change_form_opens_for_a_superuser(admin_client, model):
    add_rows(model, 3)
    obj = model._default_manager.order_by("-pk").first()
    response = admin_client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200
    assert response.context["original"] == obj


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_every_add_form_opens_unless_the_model_is_read_only(admin_client, model):
    model_admin = admin.site._registry[model]
    response = admin_client.get(admin_url(model, "add"))
    can_add = model_admin.has_add_permission(response.wsgi_request)
    assert response.status_code == (200 if can_add else 403)


# Every ModelAdmin has Django's own history page; these show django-simple-history's
# record of every change, wherever it was made.
HISTORY = [
    model for model in REGISTERED if isinstance(admin.site._registry[model], SimpleHistoryAdmin)
]


def test_domain_models_with_history_show_it_in_the_admin():
    with_history = {label(model) for model in HISTORY}
    assert {"mapping.Organisation", "mapping.CapacityOffer", "services.Service"} <= with_history
    for model in REGISTERED:
        if hasattr(model, "history") and model._meta.app_label in ("mapping", "services"):
            assert label(model) in with_history


@pytest.mark.django_db
@pytest.mark.parametrize("model", HISTORY, ids=label)
def test_the_history_page_opens(admin_client, model):
    add_rows(model, 1)
    obj = model._default_manager.order_by("-pk").first()
    obj.save()  # bulk_create writes no history; a save does
    response = admin_client.get(admin_url(model, "history", obj.pk))
    assert response.status_code == 200
    assert response.context["object"] == obj
    # The save above is listed, at least.
    assert len(response.context["page_obj"].object_list) >= 1


@pytest.mark.django_db
def test_autocomplete_answers_with_bounded_queries(admin_client, django_assert_max_num_queries):
    from mapping.models import Organisation

    add_rows(Organisation, 60)
    url = reverse("admin:autocomplete")
    params = {
        "term": "Bulk",
        "app_label": "mapping",
        "model_name": "capacityoffer",
        "field_name": "organisation",
    }
    with django_assert_max_num_queries(8):
        response = admin_client.get(url, params)
    assert response.status_code == 200
    assert len(response.json()["results"]) == 20
