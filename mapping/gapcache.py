"""The shared cache of the gap analysis, emptied by every write to the data it reads.

The gap analysis of a county (400 services x 100 wards, 100,000 offers) takes about
half a second to compute and is the same for every officer until something changes, so
it is kept in the shared cache (Redis, or the database cache table: every app server
sees the same entries; never a per-process cache).

Freshness rests on a *generation*: a random token in the cache, replaced after every
committed write to a table the analysis reads. Each entry is stored with the generation
it was computed under and is used only while that is still the current one. Writes are
seen where they happen, in the database layer: an execute wrapper on every connection
looks at each INSERT, UPDATE, DELETE or TRUNCATE, so saves, deletes and cascades,
``QuerySet.update()``, ``bulk_create()``, many-to-many changes (either side, or straight
into the through table), the admin's bulk actions, imports and raw SQL all count alike.

The rules that keep it correct:

- The token is replaced after the transaction commits (``on_commit``), so a page that
  reads the data before the commit can only store its result under the old token. A
  write in autocommit mode is committed at once; its token is replaced just after, before
  the connection's next statement (or at the end of the request, or before this process
  next reads the cache), never from inside the write itself.
- An entry's token is read before its data, so an entry is never newer than its token.
- Inside a transaction the cache is not used at all: the data may include writes of
  our own not yet committed (or about to be rolled back) that nobody else must see.
- Entries are filled from the primary database, never from a replica that may lag.
- A missing token (a new cache, or evicted) becomes a new random one, so an old entry
  can never match it by chance. Entries also expire after ``GAP_CACHE_SECONDS``: the
  bound on staleness if a token cannot be replaced (the cache was down at the time).
"""

import logging
import re
import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connections, router, transaction

from bigsociety.routers import reading_from_primary

logger = logging.getLogger(__name__)

GENERATION_KEY = "gaps:generation"

# What the cached analysis reads (mapping.gaps). Not residents' answers: they are read
# fresh for each page, so a busy consultation never empties the cache.
WATCHED_MODELS = (
    "mapping.Ward",
    "mapping.Organisation",
    "mapping.CapacityOffer",
    "services.Service",
    "services.ServiceCategory",
)
WATCHED_RELATIONS = (("mapping.CapacityOffer", "wards"), ("services.Service", "wards"))

_WRITE = re.compile(r"\s*(?:insert|update|delete|truncate|replace|merge)\b", re.IGNORECASE)
# A write inside a WITH: "WITH ... UPDATE ...".
_WITH_WRITE = re.compile(r"\s*with\b.*\b(?:insert|update|delete)\b", re.IGNORECASE | re.DOTALL)
_tables = None


def watched_tables():
    models = [apps.get_model(label) for label in WATCHED_MODELS]
    through = [
        apps.get_model(label)._meta.get_field(name).remote_field.through
        for label, name in WATCHED_RELATIONS
    ]
    return sorted(model._meta.db_table for model in [*models, *through])


def _watched_table_pattern():
    global _tables
    if _tables is None:
        names = "|".join(re.escape(name) for name in watched_tables())
        _tables = re.compile(rf"\b(?:{names})\b", re.IGNORECASE)
    return _tables


def writes_watched_table(sql):
    """Whether a statement may change what the analysis reads. A false alarm (a write
    to another table that mentions a watched one) only costs a recomputation."""
    if not (_WRITE.match(sql) or _WITH_WRITE.match(sql)):
        return False
    return bool(_watched_table_pattern().search(sql))


def new_generation():
    """Make every cached entry stale. Runs after the write's transaction commits."""
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        if _cache_table_missing():
            return  # the first migrate, before createcachetable: nothing is cached yet
        # A committed write must not become an error page because the cache is down.
        logger.warning(
            "Could not mark the cached gap analysis stale; it expires within %s seconds",
            settings.GAP_CACHE_SECONDS,
            exc_info=True,
        )


def _cache_table_missing():
    table = getattr(cache, "_table", None)  # only the database cache has one
    if table is None:
        return False
    connection = connections[router.db_for_write(cache.cache_model_class)]
    try:
        return table not in connection.introspection.table_names()
    except Exception:
        return False  # the database itself is unreachable: say so in the warning


def _after_commit(connection):
    # Once per transaction is enough, however many rows it writes: skip if already due
    # when this savepoint (or one around it) commits.
    savepoints = set(connection.savepoint_ids)
    for ids, func, _robust in connection.run_on_commit:
        if func is new_generation and ids <= savepoints:
            return
    connection.on_commit(new_generation)


# Set on a connection (the Django wrapper) when a write committed in autocommit mode
# still has to replace the generation.
PENDING = "_gapcache_pending"


def watch_writes(execute, sql, params, many, context):
    """An execute wrapper (see ``install``): after a write to a watched table succeeds,
    replace the generation once it is committed."""
    connection = context["connection"]
    if getattr(connection, PENDING, False) and not connection.in_atomic_block:
        _replace_pending(connection)
    result = execute(sql, params, many, context)
    if writes_watched_table(sql):
        if connection.in_atomic_block:
            _after_commit(connection)
        else:
            # Committed already, but the statement's own results (INSERT ... RETURNING)
            # may not have been read yet, and the database cache must not run statements
            # in the middle of it: done before the next statement, at the end of the
            # request, or before the next read of the cache, whichever comes first.
            setattr(connection, PENDING, True)
    return result


def _replace_pending(connection):
    setattr(connection, PENDING, False)
    new_generation()


def replace_pending(**kwargs):
    """Replace the generation for autocommit writes still pending (see watch_writes).

    Connected to request_finished, and called at exit and before reading the cache.
    Never inside a transaction: the database cache would write as part of it.
    """
    for connection in connections.all(initialized_only=True):
        if getattr(connection, PENDING, False) and not connection.in_atomic_block:
            _replace_pending(connection)


def install(sender, connection, **kwargs):
    """Watch the writes of every new database connection (the connection_created signal)."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


def usable(using="default"):
    """Whether results may be read from and stored in the cache now."""
    if settings.GAP_CACHE_SECONDS <= 0:
        return False
    return not transaction.get_connection(using).in_atomic_block


def fetch(name, compute):
    """``compute()``, or its result kept in the cache under ``name`` if still fresh."""
    replace_pending()  # this process's own writes first
    key = f"gaps:{name}"
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, generation, timeout=None):
            generation = cache.get(GENERATION_KEY)  # another process set one first
    entry = found.get(key)
    if entry is not None and generation is not None and entry[0] == generation:
        return entry[1]
    with reading_from_primary():
        result = compute()
    cache.set(key, (generation, result), timeout=settings.GAP_CACHE_SECONDS)
    return result
