"""Which tables hold the council's domain data, and how to empty them quickly."""

from django.apps import apps
from django.db import connection, transaction

# Reference data every council starts with (loaded by migrations): kept by a flush.
REFERENCE_MODELS = {"services.ServiceCategory", "mapping.Skill", "mapping.SupportNeed"}


def _tables(models):
    tables = []
    for model in models:
        tables.append(model._meta.db_table)
        for m2m in model._meta.local_many_to_many:
            if m2m.remote_field.through._meta.auto_created:
                tables.append(m2m.remote_field.through._meta.db_table)
    return tables


def domain_models(*, with_history=True):
    """The models of mapping/ and services/ that hold data rather than reference data."""
    models = []
    for label in ("mapping", "services"):
        for model in apps.get_app_config(label).get_models():
            historical = model.__name__.startswith("Historical")
            if historical and not with_history:
                continue
            original = model.instance_type._meta.label if historical else model._meta.label
            if original not in REFERENCE_MODELS:
                models.append(model)
    return models


def has_domain_data():
    return any(model.objects.exists() for model in domain_models(with_history=False))


def row_counts():
    """{table: rows} for every domain table, many-to-many tables included."""
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(_tables(domain_models())):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


@transaction.atomic
def delete_domain_data():
    """Empty every domain table (and its history); users and reference data stay.

    Plain DELETEs rather than the ORM's: deleting 100,000 offers one by one, each
    writing a history row, would take far longer than creating them. Foreign keys are
    checked at the end of the transaction, so the order does not matter.
    """
    deleted = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table in _tables(domain_models()):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
            deleted += max(cursor.rowcount, 0)
    return deleted
