"""The read-replica router: off by default, reads to replicas when configured, writes and
requests that have just written go to the primary."""

import pytest
from django.test import Client

from bigsociety import routers
from bigsociety.routers import ReplicaRouter, pin_to_primary
from mapping.models import Ward


@pytest.fixture
def replicas(monkeypatch):
    """Pretend these replica aliases are configured (DATABASE_REPLICA_URLS)."""

    def configure(*aliases):
        monkeypatch.setattr(routers, "replica_aliases", lambda: list(aliases))

    return configure


def test_with_no_replicas_everything_uses_the_primary():
    # The test settings have no DATABASE_REPLICA_URLS: the router is off.
    assert routers.replica_aliases() == []
    router = ReplicaRouter()
    assert router.db_for_read(Ward) == "default"
    assert router.db_for_write(Ward) == "default"


def test_reads_go_to_a_replica_and_writes_to_the_primary(replicas):
    replicas("replica0", "replica1")
    router = ReplicaRouter()
    assert {router.db_for_read(Ward) for _ in range(50)} <= {"replica0", "replica1"}
    assert router.db_for_write(Ward) == "default"
    assert router.allow_migrate("replica0", "mapping") is False
    assert router.allow_migrate("default", "mapping") is True


def test_a_request_that_writes_reads_from_the_primary(replicas):
    replicas("replica0")
    router = ReplicaRouter()
    pin_to_primary(True)
    try:
        assert router.db_for_read(Ward) == "default"
    finally:
        pin_to_primary(False)
    assert router.db_for_read(Ward) == "replica0"


@pytest.mark.django_db
def test_the_middleware_pins_unsafe_requests_and_releases_after(monkeypatch):
    seen = []
    monkeypatch.setattr(routers, "pin_to_primary", lambda pinned=True: seen.append(pinned))
    from bigsociety import middleware

    monkeypatch.setattr(middleware, "pin_to_primary", routers.pin_to_primary)
    client = Client()
    client.get("/healthz")
    client.post("/account/sign-in/", {"username": "x@example.test", "password": "y"})
    assert seen == [False, False, True, False]


def test_sessions_and_the_database_cache_are_always_read_from_the_primary(replicas):
    from django.contrib.sessions.models import Session
    from django.core.cache.backends.db import DatabaseCache

    replicas("replica0")
    router = ReplicaRouter()
    assert router.db_for_read(Session) == "default"
    assert router.db_for_read(DatabaseCache("any_table", {}).cache_model_class) == "default"
    assert router.db_for_read(Ward) == "replica0"


def test_reading_from_the_primary_lasts_for_the_block_only(replicas):
    replicas("replica0")
    router = ReplicaRouter()
    with routers.reading_from_primary():
        assert router.db_for_read(Ward) == "default"
    assert router.db_for_read(Ward) == "replica0"
    # A request pinned because it wrote stays pinned after the block.
    pin_to_primary(True)
    try:
        with routers.reading_from_primary():
            pass
        assert router.db_for_read(Ward) == "default"
    finally:
        pin_to_primary(False)
