"""The import upload pages, the queue and the worker that runs uploads outside requests."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from mapping.actions import import_run_claim, import_run_process, import_runs_abandon
from mapping.models import ImportChunk, ImportKind, ImportRun, ImportStatus, Postcode
from tests.factories import WardFactory

pytestmark = pytest.mark.django_db

LIST = reverse("mapping:import_list")


def upload_url(kind="postcodes"):
    return reverse("mapping:import_upload", kwargs={"kind": kind})


def postcodes_file(body=b"pcds,WD22CD\nSE6 4RU,E05000001\n", name="postcodes.csv"):
    return SimpleUploadedFile(name, body, content_type="text/csv")


def upload(client, kind="postcodes", **data):
    data.setdefault("file", postcodes_file())
    data.setdefault("encoding", "utf-8")
    return client.post(upload_url(kind), data)


# The list page ---------------------------------------------------------------------------------


def test_it_lists_what_can_be_imported_and_the_runs_so_far(officer_client, officer):
    ImportRun.objects.create(kind=ImportKind.WARDS, filename="wards.geojson", started_by=officer)
    response = officer_client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    for kind in ImportKind.values:
        assert upload_url(kind) in html
    assert "wards.geojson" in html
    assert "Waiting to start" in html


def test_the_list_filters_by_status(officer_client):
    ImportRun.objects.create(kind=ImportKind.WARDS, filename="a.geojson", status="failed")
    ImportRun.objects.create(kind=ImportKind.WARDS, filename="b.geojson", status="succeeded")
    html = officer_client.get(LIST, {"status": "failed"}).content.decode()
    assert "a.geojson" in html and "b.geojson" not in html


def test_the_list_is_for_officers_only(anon_client, member_a_client, admin_client):
    assert anon_client.get(LIST).status_code == 302
    assert member_a_client.get(LIST).status_code == 403
    assert admin_client.get(LIST).status_code == 200


def test_the_list_refuses_a_post(officer_client):
    assert officer_client.post(LIST).status_code == 405


@pytest.mark.parametrize("runs", [2, 40])
def test_the_list_costs_the_same_queries_for_few_or_many_runs(
    officer_client, officer, django_assert_num_queries, runs
):
    ImportRun.objects.bulk_create(
        ImportRun(kind=ImportKind.POSTCODES, filename=f"{n}.csv", started_by=officer)
        for n in range(runs)
    )
    officer_client.get(LIST)  # warm the session
    # session, user, officer group check, count, page of runs with who started them
    with django_assert_num_queries(5):
        assert officer_client.get(LIST).status_code == 200


# Uploading -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ImportKind.values)
def test_every_upload_page_has_its_form(officer_client, kind):
    response = officer_client.get(upload_url(kind))
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_an_upload_is_stored_and_queued_not_run_in_the_request(officer_client, officer):
    WardFactory(code="E05000001")
    response = upload(officer_client, dry_run="on")
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("mapping:import_run", kwargs={"pk": run.pk})
    assert (run.status, run.kind, run.filename, run.dry_run) == (
        ImportStatus.QUEUED,
        "postcodes",
        "postcodes.csv",
        True,
    )
    assert run.started_by == officer
    assert run.options == {"encoding": "utf-8"}
    assert b"".join(bytes(c.data) for c in run.chunks.all()) == b"pcds,WD22CD\nSE6 4RU,E05000001\n"
    assert not Postcode.objects.exists()


def test_it_asks_for_a_file(officer_client):
    response = officer_client.post(upload_url(), {"encoding": "utf-8"})
    assert response.status_code == 200
    assert "Choose a file to import" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_it_says_what_an_organisation_file_is_must_be_chosen(officer_client):
    response = upload(officer_client, kind="organisations")
    assert "Say what the file is" in response.content.decode()
    assert not ImportRun.objects.exists()


@override_settings(IMPORT_MAX_UPLOAD_BYTES=1000)
def test_it_refuses_an_upload_over_the_limit_without_storing_it(officer_client):
    big = postcodes_file(b"pcds,WD22CD\n" + b"SE6 4RU,E05000001\n" * 200)
    response = upload(officer_client, file=big)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The file is larger than 1000\xa0bytes, the largest this page takes." in html
    assert "govuk-error-summary" in html
    assert not ImportRun.objects.exists()
    assert not ImportChunk.objects.exists()


def test_an_upload_needs_the_csrf_token(officer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    response = client.post(upload_url(), {"file": postcodes_file(), "encoding": "utf-8"})
    assert response.status_code == 403
    assert not ImportRun.objects.exists()


def test_an_unknown_kind_is_not_found(officer_client):
    assert officer_client.get(upload_url("badgers")).status_code == 404


def test_uploads_are_for_officers_only(anon_client, member_a_client):
    assert anon_client.post(upload_url(), {"file": postcodes_file()}).status_code == 302
    assert member_a_client.post(upload_url(), {"file": postcodes_file()}).status_code == 403
    assert not ImportRun.objects.exists()


def test_the_upload_page_refuses_other_methods(officer_client):
    assert officer_client.put(upload_url()).status_code == 405


# The worker and the run's page -----------------------------------------------------------------


def test_the_worker_runs_the_upload_and_the_page_shows_the_report(officer_client):
    WardFactory(code="E05000001")
    upload(
        officer_client, file=postcodes_file(b"pcds,WD22CD\nSE6 4RU,E05000001\nnope,E05000001\n")
    )
    run = ImportRun.objects.get()
    page = reverse("mapping:import_run", kwargs={"pk": run.pk})
    waiting = officer_client.get(page).content.decode()
    assert "import-status.js" in waiting
    assert "Waiting to start" in waiting

    call_command("run_imports", "--once")

    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED
    assert run.errors == [
        {"row": 3, "field": "postcode", "message": "'nope' is not a UK postcode."}
    ]
    assert not ImportChunk.objects.exists()  # the upload is not kept
    assert not Postcode.objects.exists()
    html = officer_client.get(page).content.decode()
    assert "import-status.js" not in html
    assert "Found 1 problem. Nothing was written" in html
    assert "&#x27;nope&#x27; is not a UK postcode." in html
    download = officer_client.get(page, {"export": "csv"})
    assert b"'nope' is not a UK postcode." in b"".join(download.streaming_content)


def test_a_good_upload_is_imported_by_the_worker(officer_client):
    ward = WardFactory(code="E05000001")
    upload(officer_client)
    call_command("run_imports", "--once")
    run = ImportRun.objects.get()
    assert (run.status, run.rows_created) == (ImportStatus.SUCCEEDED, 1)
    assert Postcode.objects.get().ward == ward


def test_a_deprivation_upload_takes_its_lookup_file(officer_client):
    ward = WardFactory(code="E05000001", imd_rank=None, imd_decile=None)
    officer_client.post(
        upload_url("deprivation"),
        {
            "file": SimpleUploadedFile("imd.csv", b"LSOA11CD,IMD_rank\nE01000001,100\n"),
            "lookup": SimpleUploadedFile("lookup.csv", b"LSOA11CD,WD22CD\nE01000001,E05000001\n"),
            "encoding": "utf-8",
        },
    )
    call_command("run_imports", "--once")
    ward.refresh_from_db()
    assert (ward.imd_rank, ward.imd_decile) == (100, 1)


def test_a_run_is_taken_by_one_worker_only(officer_client):
    upload(officer_client)
    first = import_run_claim()
    assert first is not None and first.status == ImportStatus.RUNNING
    assert import_run_claim() is None


def test_an_import_left_running_by_a_stopped_worker_is_marked_failed(officer_client):
    upload(officer_client)
    run = import_run_claim()
    ImportRun.objects.filter(pk=run.pk).update(
        started_at=timezone.now() - datetime.timedelta(hours=2)
    )
    assert import_runs_abandon(older_than=datetime.timedelta(hours=1)) == 1
    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED
    assert "stopped before it finished" in run.summary
    assert not run.chunks.exists()


def test_an_error_in_the_app_ends_the_run_as_failed(officer_client, monkeypatch):
    upload(officer_client)
    run = import_run_claim()

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("mapping.imports.run_import", broken)
    import_run_process(run)
    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED
    assert "error in the app (RuntimeError)" in run.errors[0]["message"]


def test_a_run_page_is_for_officers_only(anon_client, member_a_client, officer):
    run = ImportRun.objects.create(kind=ImportKind.WARDS, filename="w.geojson", started_by=officer)
    page = reverse("mapping:import_run", kwargs={"pk": run.pk})
    assert anon_client.get(page).status_code == 302
    assert member_a_client.get(page).status_code == 403


def test_a_missing_run_is_not_found(officer_client):
    assert officer_client.get(reverse("mapping:import_run", kwargs={"pk": 999})).status_code == 404


def test_a_run_page_refuses_a_post(officer_client, officer):
    run = ImportRun.objects.create(kind=ImportKind.WARDS, filename="w.geojson")
    assert (
        officer_client.post(reverse("mapping:import_run", kwargs={"pk": run.pk})).status_code
        == 405
    )


@pytest.mark.parametrize("count", [1, 300])
def test_a_run_page_costs_the_same_queries_for_few_or_many_problems(
    officer_client, officer, django_assert_num_queries, count
):
    run = ImportRun.objects.create(
        kind=ImportKind.POSTCODES,
        filename="p.csv",
        status=ImportStatus.FAILED,
        started_by=officer,
        errors=[{"row": n, "field": "postcode", "message": "bad"} for n in range(count)],
        problem_count=count,
    )
    page = reverse("mapping:import_run", kwargs={"pk": run.pk})
    officer_client.get(page)
    # session, user, officer group check, the run with who started it
    with django_assert_num_queries(4):
        assert officer_client.get(page).status_code == 200
