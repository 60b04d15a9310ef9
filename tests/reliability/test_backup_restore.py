"""The restore drill: back up, change things, restore, and find everything as it was.
Runs on whichever database the suite runs on (SQLite, or PostgreSQL with DATABASE_URL)."""

import stat
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from bigsociety.backups import BackupError, backup, restore
from mapping.models import Organisation
from services.models import Service
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def everything():
    """Every row that matters, as plain values, to compare before and after."""
    return {
        "services": sorted(Service.objects.values_list("pk", "name", "version")),
        "organisations": sorted(Organisation.objects.values_list("pk", "name")),
        "service history": Service.history.count(),
        "organisation history": Organisation.history.count(),
    }


def test_a_restore_brings_back_exactly_what_was_backed_up(tmp_path):
    library = f.ServiceFactory(name="Mobile library")
    f.OrganisationFactory(name="Friends of Hilly Fields")
    before = everything()

    path = backup(connection, tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # it holds personal data

    library.name = "Closed library"
    library.save()
    Organisation.objects.all().delete()
    f.OrganisationFactory(name="Made after the backup")
    assert everything() != before

    restore(connection, path)
    assert everything() == before
    # The site carries on using the restored database.
    f.ServiceFactory(name="Added after the restore")
    assert Service.objects.filter(name="Added after the restore").exists()


def test_the_commands_back_up_and_restore_with_a_safety_copy(tmp_path, settings):
    settings.BACKUP_DIR = tmp_path / "safety"
    f.ServiceFactory(name="Kept")
    out = StringIO()
    call_command("backup_database", directory=str(tmp_path), stdout=out)
    [path] = tmp_path.glob("*.*")
    assert f"Backed up to {path}" in out.getvalue()

    f.ServiceFactory(name="Lost in the restore")
    out = StringIO()
    call_command("restore_database", str(path), no_input=True, stdout=out)
    assert "Restored" in out.getvalue()
    assert set(Service.objects.values_list("name", flat=True)) == {"Kept"}
    # The database as it was just before is kept, in case the wrong file was chosen.
    [safety] = (tmp_path / "safety").glob("*.*")
    restore(connection, safety)
    assert set(Service.objects.values_list("name", flat=True)) == {"Kept", "Lost in the restore"}


def test_it_refuses_a_file_that_is_not_a_backup_and_changes_nothing(tmp_path):
    f.ServiceFactory(name="Untouched")
    junk = tmp_path / "notes.dump"
    junk.write_text("not a database")
    with pytest.raises(BackupError):
        restore(connection, junk)
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("restore_database", str(junk), no_input=True)
    with pytest.raises(CommandError, match="There is no file"):
        call_command("restore_database", str(tmp_path / "missing.dump"), no_input=True)
    assert list(Service.objects.values_list("name", flat=True)) == ["Untouched"]


def test_the_restore_asks_first(tmp_path, monkeypatch):
    f.ServiceFactory(name="Untouched")
    path = backup(connection, tmp_path)
    f.ServiceFactory(name="Still here")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("restore_database", str(path), no_safety_copy=True)
    assert Service.objects.count() == 2


def test_a_backup_is_one_self_contained_file(tmp_path):
    path = backup(connection, tmp_path)
    restore(connection, path)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
