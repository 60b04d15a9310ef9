"""The site gives up on an unreachable database quickly and recovers by itself. The full
drill, against a PostgreSQL that is stopped, hangs and comes back, is
scripts/outage_drill.sh; these check the pieces it relies on."""

import pytest
from django.conf import settings
from django.db import close_old_connections, connection
from django.test import Client

pytestmark = pytest.mark.django_db(transaction=True)

on_postgresql = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs PostgreSQL (run with DATABASE_URL=postgres://...)",
)


@on_postgresql
def test_a_silent_database_is_given_up_on_within_5_seconds():
    timeout = settings.DATABASES["default"]["OPTIONS"]["connect_timeout"]
    assert 0 < timeout < 5


def test_connections_are_checked_before_each_request_reuses_them():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


@on_postgresql
def test_a_connection_cut_by_a_database_restart_is_replaced_at_the_next_request():
    import psycopg

    from services.models import Service

    Service.objects.exists()  # the site holds a connection open between requests
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as other:
        # What a restart of the database does to every open connection.
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    # What Django does as each request starts: check the connection, replace a dead one.
    connection.health_check_done = False
    close_old_connections()
    assert Service.objects.exists() is False
    assert connection.connection.info.backend_pid != pid
    assert Client().get("/readyz").status_code == 200
