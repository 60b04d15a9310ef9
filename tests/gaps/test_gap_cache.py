"""The gap analysis kept in the shared cache, and made stale by every kind of write to
what it reads (mapping.gapcache).

Inside a test's transaction the cache is never used (as inside any transaction), so the
other gap tests see it neither hit nor miss. Here most tests let it be used there and
play each write as committed the next time the cache is read (the ``as_if_committed``
fixture), to check what each kind of write does quickly; the tests marked
``transaction=True`` commit for real, as production does, to check when.
"""

import io
import pickle

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.urls import reverse

from bigsociety import routers
from mapping import gapcache
from mapping.gaps import GapClass, _cache_name, analyse
from mapping.models import (
    CapacityOffer,
    Consultation,
    ConsultationAnswer,
    ConsultationResponse,
    Organisation,
    VerificationStatus,
    Ward,
    Willingness,
)
from services.models import Service, ServiceCategory
from tests.factories import (
    CapacityOfferFactory,
    ConsultationAnswerFactory,
    ConsultationResponseFactory,
    OrganisationFactory,
    ServiceFactory,
    SkillFactory,
    UserFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db

committing = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def as_if_committed(request, monkeypatch):
    cache.clear()
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        yield
        return

    def replace_pending(**kwargs):
        for each in connections.all(initialized_only=True):
            if getattr(each, gapcache.PENDING, False):
                gapcache._replace_pending(each)

    monkeypatch.setattr(gapcache, "usable", lambda using="default": settings.GAP_CACHE_SECONDS > 0)
    monkeypatch.setattr(
        gapcache, "_after_commit", lambda conn: setattr(conn, gapcache.PENDING, True)
    )
    monkeypatch.setattr(gapcache, "replace_pending", replace_pending)
    yield
    setattr(connection, gapcache.PENDING, False)


@pytest.fixture
def borough():
    """Two wards and a library covering both. Two groups are ready to help in the north
    (covered); in the south only a group still waiting for review (no capacity)."""
    north = WardFactory(name="North", imd_decile=1)
    south = WardFactory(name="South", imd_decile=9)
    library = ServiceFactory(name="Library", volunteer_hours_needed=40, wards=[north, south])
    offers = [
        CapacityOfferFactory(
            organisation=OrganisationFactory(name=name, verification_status=status),
            service=library,
            wards=[ward],
            willingness=Willingness.ALREADY_DELIVERING,
            volunteer_hours_per_month=20,
        )
        for name, status, ward in (
            ("Friends of the Library", VerificationStatus.VERIFIED, north),
            ("Readers Group", VerificationStatus.VERIFIED, north),
            ("Waiting Group", VerificationStatus.PENDING, south),
        )
    ]
    return north, south, library, offers


def cached_analysis():
    """The analysis, read from the cache: filled first if need be."""
    analyse()
    with_hit = analyse()
    return with_hit


def generation():
    gapcache.replace_pending()
    return cache.get(gapcache.GENERATION_KEY)


def counting(statements):
    def wrapper(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    return wrapper


def queries_to_analyse():
    """The statements run by an analysis without residents' demand (always one query
    more, read fresh)."""
    statements = []
    with connection.execute_wrapper(counting(statements)):
        analyse(with_demand=False)
    return statements


# Hit and miss ---------------------------------------------------------------------------


def test_a_second_analysis_is_read_from_the_cache_in_one_query(borough):
    first = queries_to_analyse()
    assert len(first) > 5  # the cache, the four queries of the analysis, storing it
    again = queries_to_analyse()
    assert len(again) == 1
    assert "bigsociety_cache" in again[0]


@pytest.mark.parametrize("size", [3, 12])
def test_a_hit_costs_one_query_whatever_the_size(size):
    wards = [WardFactory() for _ in range(size)]
    for i in range(size):
        service = ServiceFactory(wards=wards)
        CapacityOfferFactory(service=service, wards=wards[: i + 1])
    analyse()
    assert len(queries_to_analyse()) == 1
    assert len(analyse().cells) == size * size


def test_the_cache_gives_the_same_analysis_as_computing_it(borough):
    north, south, library, _offers = borough
    computed = analyse()  # a miss: computed, then stored
    read = analyse()  # a hit
    assert read.cells == computed.cells
    assert read.services == computed.services
    assert read.cell(library.pk, north.pk).gap_class == GapClass.COVERED
    assert read.cell(library.pk, south.pk).gap_class == GapClass.NO_CAPACITY


def test_narrowed_analyses_come_from_the_one_cached_analysis(borough):
    north, south, library, _offers = borough
    other = ServiceFactory(name="Park", wards=[south])
    analyse()
    statements = []
    with connection.execute_wrapper(counting(statements)):
        one = analyse(services=[library.pk], wards=[north.pk], with_demand=False)
        ward = analyse(wards=[south.pk], with_demand=False)
    assert len(statements) == 2  # one read of the cache each, nothing computed
    assert [s.name for s in one.services] == ["Library"]
    assert list(one.cells) == [(library.pk, north.pk)]
    assert {s.id for s, _cell in ward.ward_cells(south.pk)} == {library.pk, other.pk}


def test_residents_answers_are_read_fresh_and_never_empty_the_cache(borough):
    north, _south, library, _offers = borough
    analyse()
    before = generation()
    for _ in range(3):
        ConsultationAnswerFactory(
            response=ConsultationResponseFactory(ward=north), service=library, comfort=4
        )
    assert generation() == before
    assert analyse().cell(library.pk, north.pk).demand.responses == 3
    assert len(queries_to_analyse()) == 1


def test_demand_is_left_off_when_not_asked_for_even_from_the_cache(borough):
    north, _south, library, _offers = borough
    for _ in range(5):
        ConsultationAnswerFactory(
            response=ConsultationResponseFactory(ward=north), service=library, comfort=5
        )
    analyse()
    assert analyse().cell(library.pk, north.pk).demand.responses == 5
    assert analyse(with_demand=False).cell(library.pk, north.pk).demand is None


def test_the_entry_is_in_the_shared_cache_table_for_every_process(borough):
    analyse()
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM bigsociety_cache")
        keys = {row[0] for row in cursor.fetchall()}
    assert any("gaps:analysis:verified" in key for key in keys)
    assert any(gapcache.GENERATION_KEY in key for key in keys)


def test_the_default_cache_is_shared_between_processes(settings):
    # Never a per-process cache of shared state: the database table, or Redis.
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend.endswith(("DatabaseCache", "RedisCache"))


def test_counting_pending_groups_is_cached_apart(borough):
    _north, south, library, _offers = borough
    analyse()
    analyse(include_pending=True)
    assert analyse().cell(library.pk, south.pk).organisations == 0
    assert analyse(include_pending=True).cell(library.pk, south.pk).organisations == 1


def test_changing_the_rules_never_reads_an_entry_made_under_other_rules(borough, settings):
    north, _south, library, _offers = borough
    assert cached_analysis().cell(library.pk, north.pk).capacity == 40
    settings.GAP_ANALYSIS = {
        **settings.GAP_ANALYSIS,
        "WEIGHTS": {**settings.GAP_ANALYSIS["WEIGHTS"], "already_delivering": "0.5"},
    }
    assert analyse().cell(library.pk, north.pk).capacity == 20


def test_a_cache_time_of_zero_turns_the_cache_off(borough, settings):
    settings.GAP_CACHE_SECONDS = 0
    analyse()
    assert len(queries_to_analyse()) == 4
    assert cache.get(f"gaps:{_cache_name(False)}") is None


def test_the_analysis_pickles_small_without_its_cells_made_on_demand(borough):
    analysis = analyse()
    assert analysis.cells  # makes and keeps the Cell objects
    copy = pickle.loads(pickle.dumps(analysis))
    assert "cells" not in copy.__dict__
    assert copy.cells == analysis.cells


# The rules that keep it fresh -------------------------------------------------------------


def test_an_entry_computed_while_the_data_changed_is_never_used():
    calls = []

    def racing_write():
        # A write commits (and the generation moves on) while this is being computed.
        calls.append("computed")
        gapcache.new_generation()
        return "before the write"

    assert gapcache.fetch("test", racing_write) == "before the write"
    assert gapcache.fetch("test", lambda: "after the write") == "after the write"
    assert gapcache.fetch("test", lambda: "not computed") == "after the write"


def test_a_cache_that_is_down_never_turns_a_write_into_an_error(monkeypatch, caplog):
    def down(*args, **kwargs):
        raise ConnectionError("the cache is down")

    monkeypatch.setattr(cache, "set", down)
    gapcache.new_generation()  # no exception: the write it follows has committed
    assert "expires within 3600 seconds" in caplog.text


def test_a_lost_generation_never_revives_an_old_entry():
    assert gapcache.fetch("test", lambda: "old") == "old"
    cache.delete(gapcache.GENERATION_KEY)  # evicted, or the cache was emptied
    assert gapcache.fetch("test", lambda: "new") == "new"


@committing
def test_inside_a_transaction_the_cache_is_neither_read_nor_filled(borough):
    north, _south, library, (offer, *_others) = borough
    analyse()
    with transaction.atomic():
        offer.withdraw()
        # Our own write, not yet committed: seen here, never cached for others.
        assert analyse().cell(library.pk, north.pk).organisations == 1
        assert len(queries_to_analyse()) == 4
    assert analyse().cell(library.pk, north.pk).organisations == 1


@committing
def test_a_rolled_back_write_leaves_the_cache_as_it_was(borough):
    _north, _south, _library, (offer, *_others) = borough
    analyse()
    before = generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        offer.withdraw()
        raise RuntimeError("changed my mind")
    assert generation() == before
    assert len(queries_to_analyse()) == 1


@committing
def test_a_transaction_of_many_writes_makes_the_cache_stale_once(borough, monkeypatch):
    north, _south, library, _offers = borough
    replaced = []
    monkeypatch.setattr(gapcache, "new_generation", lambda: replaced.append(1))
    with transaction.atomic():
        for _ in range(5):
            CapacityOfferFactory(service=library, wards=[north])
    assert replaced == [1]


def test_the_cache_is_filled_from_the_primary_even_with_replicas(monkeypatch):
    router = routers.ReplicaRouter()

    def where_reads_go():
        # Replicas configured (only while computing: this test database has none).
        with monkeypatch.context() as patch:
            patch.setattr(routers, "replica_aliases", lambda: ["replica0"])
            return router.db_for_read(Ward)

    assert where_reads_go() == "replica0"
    assert gapcache.fetch("test", where_reads_go) == "default"
    assert where_reads_go() == "replica0"


def test_writes_to_other_tables_leave_the_cache_alone(borough):
    analyse()
    before = generation()
    UserFactory()
    SkillFactory()
    assert generation() == before
    assert len(queries_to_analyse()) == 1


@pytest.mark.parametrize(
    ("sql", "watched"),
    [
        ('INSERT INTO "mapping_capacityoffer_wards" ("capacityoffer_id") VALUES (1)', True),
        ('INSERT OR IGNORE INTO "services_service_wards" ("service_id") VALUES (1)', True),
        ('UPDATE "mapping_organisation" SET "verification_status" = %s', True),
        ("delete from mapping_ward where id = 3", True),
        ('TRUNCATE "accounts_user", "mapping_ward"', True),
        ('WITH x AS (SELECT 1) UPDATE "services_servicecategory" SET name = %s', True),
        ('INSERT INTO "mapping_capacityoffer_skills" ("capacityoffer_id") VALUES (1)', False),
        ('UPDATE "mapping_historicalcapacityoffer" SET "history_user_id" = 1', False),
        ('INSERT INTO "bigsociety_cache" ("cache_key") VALUES (%s)', False),
        # Residents' answers are read fresh for each page, never cached.
        ('INSERT INTO "mapping_consultationanswer" ("comfort") VALUES (4)', False),
        ('SELECT * FROM "mapping_capacityoffer" WHERE "id" = 1', False),
        ('UPDATE "django_session" SET "session_data" = %s', False),
    ],
)
def test_it_knows_which_statements_write_what_the_analysis_reads(sql, watched):
    assert gapcache.writes_watched_table(sql) is watched


# Every kind of write makes it stale ------------------------------------------------------------

# Each prepares what it needs, yields (the analysis is cached then), writes in its own way
# and yields what must now be true of the analysis: false of the one cached before.


def withdraw_an_offer(north, south, library, offers):
    yield
    offers[0].withdraw()
    yield lambda a: a.cell(library.pk, north.pk).organisations == 1


def save_an_offer(north, south, library, offers):
    yield
    offers[0].volunteer_hours_per_month = 100
    offers[0].save()
    yield lambda a: a.cell(library.pk, north.pk).capacity == 120


def add_an_offer(north, south, library, offers):
    yield
    CapacityOfferFactory(service=library, wards=[south])
    yield lambda a: a.cell(library.pk, south.pk).organisations == 1


def delete_an_offer(north, south, library, offers):
    yield
    offers[0].delete()
    yield lambda a: a.cell(library.pk, north.pk).organisations == 1


def add_a_ward_to_an_offer(north, south, library, offers):
    yield
    offers[0].wards.add(south)
    yield lambda a: a.cell(library.pk, south.pk).capacity == 10


def remove_a_ward_from_an_offer(north, south, library, offers):
    yield
    offers[0].wards.remove(north)
    yield lambda a: a.cell(library.pk, north.pk).organisations == 1


def clear_an_offers_wards(north, south, library, offers):
    yield
    offers[0].wards.clear()
    yield lambda a: a.cell(library.pk, north.pk).organisations == 1


def add_an_offer_from_the_wards_side(north, south, library, offers):
    yield
    south.offers.add(offers[1])
    yield lambda a: a.cell(library.pk, south.pk).organisations == 1


def write_the_offer_wards_table_directly(north, south, library, offers):
    yield
    CapacityOffer.wards.through.objects.bulk_create(
        [CapacityOffer.wards.through(capacityoffer_id=offers[0].pk, ward_id=south.pk)]
    )
    yield lambda a: a.cell(library.pk, south.pk).organisations == 1


def update_offers_in_bulk(north, south, library, offers):
    yield
    CapacityOffer.objects.filter(service=library).update(willingness=Willingness.EXPLORING)
    yield lambda a: a.cell(library.pk, north.pk).capacity == 8


def bulk_create_services(north, south, library, offers):
    yield
    Service.objects.bulk_create(
        [
            Service(
                name="Youth club",
                category_id=library.category_id,
                statutory_duty=False,
                risk_tier="low",
            )
        ]
    )
    yield lambda a: [s.name for s in a.services] == ["Library", "Youth club"]


def bulk_update_offers(north, south, library, offers):
    yield
    for offer in offers:
        offer.willingness = Willingness.NOT_INTERESTED
    CapacityOffer.objects.bulk_update(offers, ["willingness"])
    yield lambda a: a.cell(library.pk, north.pk).gap_class == GapClass.NO_CAPACITY


def delete_offers_in_bulk(north, south, library, offers):
    yield
    CapacityOffer.objects.filter(pk=offers[0].pk).delete()
    yield lambda a: a.cell(library.pk, north.pk).organisations == 1


def reject_a_group(north, south, library, offers):
    yield
    offers[0].organisation.reject(by=None, reason="Not a real group")
    yield lambda a: a.cell(library.pk, north.pk).organisations == 1


def verify_a_group(north, south, library, offers):
    yield
    offers[2].organisation.verify(by=None)
    yield lambda a: a.cell(library.pk, south.pk).organisations == 1


def update_groups_in_bulk(north, south, library, offers):
    yield
    Organisation.objects.update(verification_status=VerificationStatus.PENDING)
    yield lambda a: a.cell(library.pk, north.pk).gap_class == GapClass.NO_CAPACITY


def delete_a_group(north, south, library, offers):
    yield
    offers[0].organisation.delete()  # its offers go with it
    yield lambda a: a.cell(library.pk, north.pk).organisations == 1


def rename_a_service(north, south, library, offers):
    yield
    library.name = "Central Library"
    library.save()
    yield lambda a: a.services[0].name == "Central Library"


def change_the_hours_a_service_needs(north, south, library, offers):
    yield
    Service.objects.filter(pk=library.pk).update(volunteer_hours_needed=400)
    yield lambda a: a.cell(library.pk, north.pk).gap_class == GapClass.FRAGILE


def take_a_ward_off_a_service(north, south, library, offers):
    yield
    library.wards.remove(south)
    yield lambda a: a.cell(library.pk, south.pk) is None


def add_a_service(north, south, library, offers):
    yield
    ServiceFactory(name="Youth club", wards=[south])
    yield lambda a: [s.name for s in a.services] == ["Library", "Youth club"]


def delete_a_service(north, south, library, offers):
    yield
    CapacityOffer.objects.all().delete()
    library.delete()
    yield lambda a: a.services == ()


def rename_a_category(north, south, library, offers):
    yield
    ServiceCategory.objects.filter(pk=library.category_id).update(name="Books")
    yield lambda a: a.services[0].category_name == "Books"


def change_a_wards_deprivation(north, south, library, offers):
    yield
    Ward.objects.filter(pk=north.pk).update(imd_decile=10)
    yield lambda a: a.wards[0].imd_decile == 10


def add_a_ward(north, south, library, offers):
    yield
    WardFactory(name="Middle")
    yield lambda a: [w.name for w in a.wards] == ["Middle", "North", "South"]


def answer_a_consultation(north, south, library, offers):
    yield
    ConsultationAnswerFactory(response=ConsultationResponseFactory(ward=north), service=library)
    yield lambda a: getattr(a.cell(library.pk, north.pk).demand, "responses", 0) == 1


def unpublish_a_consultation(north, south, library, offers):
    answer = ConsultationAnswerFactory(
        response=ConsultationResponseFactory(ward=north), service=library
    )
    yield
    Consultation.objects.filter(pk=answer.response.consultation_id).update(is_published=False)
    yield lambda a: a.cell(library.pk, north.pk).demand is None


def delete_a_response(north, south, library, offers):
    answer = ConsultationAnswerFactory(
        response=ConsultationResponseFactory(ward=north), service=library
    )
    yield
    ConsultationResponse.objects.filter(pk=answer.response_id).delete()
    yield lambda a: a.cell(library.pk, north.pk).demand is None


def delete_an_answer(north, south, library, offers):
    answer = ConsultationAnswerFactory(
        response=ConsultationResponseFactory(ward=north), service=library
    )
    yield
    ConsultationAnswer.objects.filter(pk=answer.pk).delete()
    yield lambda a: a.cell(library.pk, north.pk).demand is None


def write_raw_sql(north, south, library, offers):
    yield
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {CapacityOffer._meta.db_table} SET withdrawn_at = %s WHERE id = %s",
            ["2026-01-01 00:00:00", offers[0].pk],
        )
    yield lambda a: a.cell(library.pk, north.pk).organisations == 1


WRITES = [
    withdraw_an_offer,
    save_an_offer,
    add_an_offer,
    delete_an_offer,
    add_a_ward_to_an_offer,
    remove_a_ward_from_an_offer,
    clear_an_offers_wards,
    add_an_offer_from_the_wards_side,
    write_the_offer_wards_table_directly,
    update_offers_in_bulk,
    bulk_create_services,
    bulk_update_offers,
    delete_offers_in_bulk,
    reject_a_group,
    verify_a_group,
    update_groups_in_bulk,
    delete_a_group,
    rename_a_service,
    change_the_hours_a_service_needs,
    take_a_ward_off_a_service,
    add_a_service,
    delete_a_service,
    rename_a_category,
    change_a_wards_deprivation,
    add_a_ward,
    answer_a_consultation,
    unpublish_a_consultation,
    delete_a_response,
    delete_an_answer,
    write_raw_sql,
]


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.__name__)
def test_every_kind_of_write_makes_the_cached_analysis_stale(borough, write):
    steps = write(*borough)
    next(steps)
    before = cached_analysis()
    changed = next(steps)
    assert not changed(before), "the write must change what the analysis shows"
    assert changed(analyse())


@committing
@pytest.mark.parametrize(
    "write",
    [save_an_offer, add_a_ward_to_an_offer, update_groups_in_bulk, write_raw_sql],
    ids=lambda w: w.__name__,
)
def test_committed_writes_make_the_cached_analysis_stale(borough, write):
    steps = write(*borough)
    next(steps)
    before = cached_analysis()
    changed = next(steps)
    assert not changed(before)
    assert changed(analyse())


@committing
def test_a_write_in_autocommit_is_seen_by_the_end_of_the_request(borough):
    from django.core.signals import request_finished

    north, *_rest = borough
    analyse()
    before = cache.get(gapcache.GENERATION_KEY)
    # Committed at once (one statement, no history); the cache is not written during it.
    Ward.objects.filter(pk=north.pk).update(name="Middle")
    assert getattr(connection, gapcache.PENDING)
    request_finished.send(sender=None)
    assert not getattr(connection, gapcache.PENDING)
    assert cache.get(gapcache.GENERATION_KEY) != before


# Writes through the pages, the admin and the commands ----------------------------------------


@committing
def test_an_officer_editing_a_service_sees_the_change_on_the_matrix(borough, officer_client):
    from tests.gaps.test_service_pages import form_data

    _north, _south, library, _offers = borough
    matrix = reverse("mapping:gap_matrix")
    assert "Central Library" not in officer_client.get(matrix).text
    before = cache.get(gapcache.GENERATION_KEY)
    edit = reverse("services:service_edit", args=[library.pk])
    assert officer_client.post(edit, form_data(library, name="Central Library")).status_code == 302
    assert cache.get(gapcache.GENERATION_KEY) != before  # replaced when the edit committed
    assert "Central Library" in officer_client.get(matrix).text


def test_the_admins_bulk_verification_makes_the_cache_stale(borough, admin_client):
    _north, south, library, offers = borough
    assert cached_analysis().cell(library.pk, south.pk).organisations == 0
    response = admin_client.post(
        reverse("admin:mapping_organisation_changelist"),
        {"action": "verify_organisations", "_selected_action": [offers[2].organisation_id]},
    )
    assert response.status_code == 302
    assert analyse().cell(library.pk, south.pk).organisations == 1


def test_deleting_an_offer_in_the_admin_makes_the_cache_stale(borough, admin_client):
    north, _south, library, (offer, *_others) = borough
    assert cached_analysis().cell(library.pk, north.pk).organisations == 2
    url = reverse("admin:mapping_capacityoffer_delete", args=[offer.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert analyse().cell(library.pk, north.pk).organisations == 1


def test_generating_scale_data_makes_the_cache_stale(borough):
    cached_analysis()
    call_command(
        "generate_scale_data",
        "--flush",
        "--no-input",
        "--wards=3",
        "--organisations=4",
        "--services=2",
        "--offers=6",
        stdout=io.StringIO(),
    )
    assert {w.name for w in analyse().wards} == set(Ward.objects.values_list("name", flat=True))
    assert len(analyse().services) == 2


# Pages with the analysis read from the cache ---------------------------------------------------

# The session, the user and whether the user is an officer; the cache; the ids of the
# services the filters choose; the choices of category.
WARM_MATRIX = 3 + 1 + 1 + 1


@pytest.mark.parametrize("size", [5, 50])
def test_with_a_warm_cache_the_matrix_takes_the_same_queries_whatever_the_size(
    size, officer_client, django_assert_num_queries
):
    from tests.gaps.conftest import build_borough

    build_borough(size, size)
    url = reverse("mapping:gap_matrix")
    officer_client.get(url)  # fills the cache
    with django_assert_num_queries(WARM_MATRIX):
        response = officer_client.get(url)
    assert len(response.context["rows"]) == min(size, settings.PAGE_SIZE)
