"""Every URL against every persona: who may see it, who may change anything through it,
and that a refused request changes nothing. The rows are in tests/security/matrix.py."""

from contextlib import contextmanager

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import client_for, staff_client_for
from tests.security.headers import header_problems
from tests.security.matrix import LOGIN, PERSONAS, REFUSED, ROWS, build_world, resident_client

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:sign_in")
# Tables a refused request may still write: the session, sign-in attempts (a refused
# sign-in is counted so that it can lock).
NOT_COMPARED = {
    "sessions.Session",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
}


@pytest.fixture
def world(group_a, group_b, officer, member_a, member_b, admin_user):
    return build_world(
        group_a=group_a,
        group_b=group_b,
        officer=officer,
        member_a=member_a,
        member_b=member_b,
        admin_user=admin_user,
    )


@pytest.fixture
def clients(world):
    from django.test import Client

    return {
        "anonymous": Client(),
        "resident": resident_client(world),
        "member_a": client_for(world.member_a),
        "member_b": client_for(world.member_b),
        "officer": client_for(world.officer),
        "admin": staff_client_for(world.admin_user),
    }


def snapshot():
    """The number of rows in every table, history tables included, in one query. Every
    domain model keeps history, so a changed row shows as a new history row."""
    models = [m for m in apps.get_models() if m._meta.label not in NOT_COMPARED]
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})" for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        row = cursor.fetchone()
    return {model._meta.label: count for model, count in zip(models, row, strict=True)}


def outcome(response):
    if response.status_code == 302 and response.url.split("?")[0] == SIGN_IN:
        return LOGIN
    return response.status_code


def changed_tables(before, after):
    return {
        label: (before[label], after[label]) for label in before if before[label] != after[label]
    }


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.name)
def test_each_persona_gets_what_the_matrix_says(row, world, clients):
    assert set(row.get) == set(row.post) == set(PERSONAS), f"{row.name}: name every persona"
    url = reverse(row.name, args=row.args(world)) + row.query
    wrong = []
    for persona in PERSONAS:
        client = clients[persona]
        with undone():  # what one persona does (removes a member, withdraws...) is undone
            got = outcome(client.get(url))
            if got != row.get[persona]:
                wrong.append(f"GET as {persona}: expected {row.get[persona]}, got {got}")

            data = row.data(world)
            before = snapshot() if row.post[persona] in REFUSED else None
            got = outcome(client.post(url, data))
            if got != row.post[persona]:
                wrong.append(f"POST as {persona}: expected {row.post[persona]}, got {got}")
            if before is not None:
                changes = changed_tables(before, snapshot())
                if changes:
                    wrong.append(f"POST as {persona} was refused but changed {changes}")
    assert not wrong, f"{url}\n" + "\n".join(wrong)


@contextmanager
def undone():
    """Roll back whatever happens inside, so that each persona (and each fuzzed request)
    meets the world as it was built, whatever the one before did."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# Every URL has a row ------------------------------------------------------------------------


def url_names(resolver=None, namespace=""):
    """(name, pattern) of every URL, namespaced ("mapping:gap_matrix"); the name is
    "admin:" alone for the admin's unnamed patterns (redirects and its catch-all)."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else namespace or None
            yield name, str(pattern.pattern)


def test_every_url_has_a_row_in_the_matrix():
    covered = {row.name for row in ROWS}
    missing = sorted(
        name
        for name, _pattern in url_names()
        if name and not name.startswith("admin:") and name not in covered
    )
    assert missing == [], (
        "Add a row for each of these to ROWS in tests/security/matrix.py: what each persona "
        "gets for GET and POST."
    )


def test_every_url_has_a_name():
    assert [pattern for name, pattern in url_names() if name is None] == []


def test_the_matrix_has_no_stale_rows():
    names = {name for name, _pattern in url_names()}
    assert [row.name for row in ROWS if row.name not in names] == []


# The admin, as one group ---------------------------------------------------------------------


def admin_urls(world):
    """An address for every admin URL name: each model's pages for a real row."""
    from tests.admin.rows import add_rows

    urls = {}
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            add_rows(model, 1)
            obj = model._default_manager.order_by("pk").first()
        urls[f"{prefix}_changelist"] = reverse(f"{prefix}_changelist")
        urls[f"{prefix}_add"] = reverse(f"{prefix}_add")
        for view in ("change", "delete", "history"):
            urls[f"{prefix}_{view}"] = reverse(f"{prefix}_{view}", args=[obj.pk])
        if hasattr(model_admin, "history_form_view"):
            obj.save()  # a history row to show
            record = obj.history.latest()
            urls[f"{prefix}_simple_history"] = reverse(
                f"{prefix}_simple_history", args=[obj.pk, record.history_id]
            )
        urls[f"admin:app_list:{opts.app_label}"] = reverse("admin:app_list", args=[opts.app_label])
    user = world.member_a
    device = apps.get_model("otp_totp", "TOTPDevice").objects.order_by("pk").first()
    extra = {
        "admin:otp_totp_totpdevice_config": [device.pk],
        "admin:otp_totp_totpdevice_qrcode": [device.pk],
        "admin:index": [],
        "admin:password_change": [],
        "admin:password_change_done": [],
        "admin:jsi18n": [],
        "admin:accounts_user_erase": [user.pk],
        "admin:accounts_user_export": [user.pk],
        "admin:auth_user_password_change": [user.pk],
        "admin:view_on_site": [
            apps.get_model("contenttypes", "ContentType").objects.first().pk,
            1,
        ],
        "admin:autocomplete": [],
    }
    for name, args in extra.items():
        urls[name] = reverse(name, args=args)
    return urls


def test_every_admin_url_is_in_the_group(world):
    built = {
        name.rsplit(":", 1)[0] if name.count(":") == 2 else name for name in admin_urls(world)
    }
    admin_names = {name for name, _ in url_names() if name and name.startswith("admin:")}
    assert admin_names - built - {"admin:", "admin:login", "admin:logout"} == set()


@pytest.mark.parametrize("persona", ["anonymous", "resident", "member_a", "officer"])
def test_the_admin_refuses_everyone_but_staff_and_changes_nothing(persona, world, clients):
    client = clients[persona]
    wrong = []
    for name, url in admin_urls(world).items():
        response = client.get(url)
        login = reverse("admin:login")
        if response.status_code != 302 or not response.url.startswith(login):
            wrong.append(f"GET {name}: {response.status_code}")
        before = snapshot()
        response = client.post(url, {"post": "yes", "name": "changed", "email": "x@x.test"})
        if response.status_code != 302 or not response.url.startswith(login):
            wrong.append(f"POST {name}: {response.status_code}")
        changes = changed_tables(before, snapshot())
        if changes:
            wrong.append(f"POST {name} changed {changes}")
    # Where the admin sends them: anonymous people sign in, anyone else is refused.
    final = client.get(reverse("admin:index"), follow=True)
    expected = 200 if persona in ("anonymous", "resident") else 403
    if final.status_code != expected or (expected == 200 and "Sign in" not in final.text):
        wrong.append(f"after the redirects: {final.status_code}")
    assert not wrong, "\n".join(wrong)


def test_the_admin_serves_its_pages_to_an_admin_with_the_security_headers(world, clients):
    from django.test import RequestFactory

    client = clients["admin"]
    request = RequestFactory().get("/admin/")
    request.user = world.admin_user
    wrong = []
    for name, url in admin_urls(world).items():
        model_admin = next(
            (
                ma
                for model, ma in admin.site._registry.items()
                if name.startswith(f"admin:{model._meta.app_label}_{model._meta.model_name}_")
            ),
            None,
        )
        expected = 200
        if name == "admin:autocomplete":
            expected = 403  # it needs the field it completes
        elif name == "admin:view_on_site":
            expected = 404  # a content type has no page on the site
        elif model_admin and name.endswith("_add"):
            expected = 200 if model_admin.has_add_permission(request) else 403
        elif model_admin and name.endswith("_delete"):
            expected = 200 if model_admin.has_delete_permission(request) else 403
        response = client.get(url, secure=True)
        if response.status_code != expected:
            wrong.append(f"{name}: expected {expected}, got {response.status_code}")
        elif expected == 200:
            wrong += [f"{name}: {problem}" for problem in header_problems(response)]
    assert not wrong, "\n".join(wrong)


def test_the_admin_without_a_two_factor_code_sends_staff_to_give_one(world):
    client = client_for(world.admin_user)
    response = client.get(reverse("admin:mapping_organisation_changelist"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:two_factor"))
    assert settings.ADMIN_REQUIRE_2FA
