"""Back up and restore the database: PostgreSQL with pg_dump and pg_restore, SQLite with
its online backup API (a consistent copy while the site keeps running).

Backups hold everyone's personal data: files are readable by their owner only. Keep them
as the privacy notice says, and delete them when their time is up.
"""

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.utils import timezone


class BackupError(Exception):
    """The backup or restore could not be done; the message says why."""


def _is_postgresql(connection):
    return connection.vendor == "postgresql"


def _postgres_environment(connection):
    """libpq's environment variables for the connection, so no password is on a command
    line where other users of the machine could see it."""
    settings = connection.settings_dict
    env = os.environ.copy()
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if settings.get(key):
            env[variable] = str(settings[key])
    return env


def _tool(name):
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found. Install the PostgreSQL client tools (for example the "
            "postgresql-client package), in the same major version as the server or newer."
        )
    return path


def _run(command, env):
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(result.stderr.strip() or f"{command[0]} failed")
    return result


def backup_file_name(connection, now=None):
    """ "bigsociety-20261121-150405.dump": the database's name and the time."""
    now = timezone.localtime(now)
    stem = Path(str(connection.settings_dict["NAME"]).split("?")[0]).stem
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-") or "database"
    suffix = "dump" if _is_postgresql(connection) else "sqlite3"
    return f"{name}-{now:%Y%m%d-%H%M%S}.{suffix}"


def backup(connection, directory):
    """Copy the whole database into a new file in ``directory``; return its path."""
    directory = Path(directory)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = directory / backup_file_name(connection)
    # Create it readable by its owner only before anything is written into it.
    path.touch(mode=0o600, exist_ok=False)
    try:
        if _is_postgresql(connection):
            _run(
                [
                    _tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--file={path}",
                ],
                _postgres_environment(connection),
            )
        elif connection.vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(path)
            try:
                connection.connection.backup(target)
                # A single self-contained file: reading it later makes no -wal or -shm.
                target.execute("PRAGMA journal_mode=DELETE")
            finally:
                target.close()
        else:
            raise BackupError(f"Backups of {connection.vendor} databases are not supported.")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def _read_only(path):
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)


def check_backup(connection, path):
    """Refuse a file that is not a whole backup of this kind of database."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no file {path}.")
    if _is_postgresql(connection):
        listing = _run([_tool("pg_restore"), "--list", str(path)], os.environ.copy()).stdout
        if "django_migrations" not in listing:
            raise BackupError(f"{path} is not a backup of this site's database.")
        return
    try:
        source = _read_only(path)
        try:
            (status,) = source.execute("PRAGMA integrity_check").fetchone()
            tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master")}
        finally:
            source.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not an SQLite database: {error}") from None
    if status != "ok" or "django_migrations" not in tables:
        raise BackupError(f"{path} is not a whole backup of this site's database.")


def restore(connection, path):
    """Replace everything in the database with the backup in ``path``, in one transaction.

    Stop the site first: requests made during a restore would see it half done (SQLite)
    or wait for it (PostgreSQL). Afterwards run ``manage.py migrate`` in case the backup
    is older than the code.
    """
    check_backup(connection, path)
    if _is_postgresql(connection):
        # Our own connection may hold locks that pg_restore would wait for.
        connection.close()
        _run(
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={connection.settings_dict['NAME']}",
                str(path),
            ],
            _postgres_environment(connection),
        )
        return
    connection.ensure_connection()
    source = _read_only(path)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
