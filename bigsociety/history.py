"""Who changed what and when, from django-simple-history, for officers' pages and for
code that writes many rows at once.

Every domain model has ``history = HistoricalRecords()``; a test lists any that do not.
Saving a row through the ORM records a history row, with the signed-in person set by
``HistoryRequestMiddleware``. ``bulk_create`` and ``QuerySet.update`` record nothing, so
code that writes domain rows in bulk (imports, bulk changes) uses ``create_in_bulk`` and
``update_in_bulk`` here, naming who did it and why.
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from bigsociety.templatetags.bigsociety import longdate, longdatetime

# Domain models that deliberately keep no history, and why. A test fails for any other
# model in accounts, mapping or services without ``history = HistoricalRecords()``.
WITHOUT_HISTORY = {
    "mapping.Postcode": (
        "a lookup loaded in bulk from the ONS postcode directory (hundreds of thousands of "
        "rows); the import's own record says who loaded which file, and when"
    ),
    "mapping.ConsultationResponse": (
        "a resident's anonymous answers, never changed once sent; only an admin can "
        "delete one (the admin log records who), and a copy in history would keep a "
        "comment deleted as abusive"
    ),
    "mapping.ConsultationAnswer": "part of a consultation response (see above)",
    "mapping.ImportRun": "itself the record of an import: who ran it, when, what it did",
    "mapping.ImportChunk": (
        "a piece of an uploaded file, held only until the import worker has run it, then "
        "deleted; the import run records who uploaded what"
    ),
    "services.EoiTransition": (
        "itself the history of an expression of interest: who moved it on, when and why; "
        "never changed"
    ),
}

# Bookkeeping columns that change with every save: never worth listing.
UNINTERESTING = {"id", "created_at", "updated_at", "version"}
KINDS = {"+": gettext_lazy("Created"), "~": gettext_lazy("Changed"), "-": gettext_lazy("Deleted")}
LONGEST_VALUE = 80


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Change:
    when: datetime.datetime
    who: str
    kind: str
    reason: str
    fields: list[FieldChange]
    # Saved with none of the recorded details different (a many-to-many change, such as
    # the wards, or a save with nothing new).
    nothing_recorded: bool = False


def _shown(field, value):
    """A value as an officer reads it."""
    if value is None or value == "":
        return _("(empty)")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(field, models.DateTimeField):
        return longdatetime(value)
    if isinstance(field, models.DateField):
        return longdate(value)
    text = str(value)
    return text if len(text) <= LONGEST_VALUE else text[: LONGEST_VALUE - 1] + "…"


def _differences(new, old, fields):
    changes = []
    for field in fields:
        before, after = getattr(old, field.attname), getattr(new, field.attname)
        if before == after:
            continue
        if field.is_relation:
            # Naming the related rows would cost a query per change; say that it changed.
            changes.append(FieldChange(str(field.verbose_name), "", ""))
        else:
            changes.append(
                FieldChange(str(field.verbose_name), _shown(field, before), _shown(field, after))
            )
    return changes


def recent_changes(obj, *, limit=10):
    """The latest ``limit`` changes to ``obj``, newest first, in one query."""
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    fields = [
        field
        for field in obj.history.model.tracked_fields
        if field.name not in UNINTERESTING and field.editable
    ]
    changes = []
    for new, old in zip(records[:limit], [*records[1:], None], strict=False):
        differences = _differences(new, old, fields) if old and new.history_type == "~" else []
        user = new.history_user
        changes.append(
            Change(
                when=new.history_date,
                who=str(user) if user else _("Not recorded (a command or an import)"),
                kind=str(KINDS.get(new.history_type, new.history_type)),
                # The reasons the site writes itself are kept in English and marked
                # with gettext_noop; one typed by a person comes back unchanged.
                reason=_(new.history_change_reason) if new.history_change_reason else "",
                fields=differences,
                nothing_recorded=new.history_type == "~" and not differences,
            )
        )
    return changes


def create_in_bulk(model, objs, *, user=None, reason, batch_size=500):
    """``bulk_create`` that records a "Created" history row for each row, by ``user``."""
    return bulk_create_with_history(
        objs, model, batch_size=batch_size, default_user=user, default_change_reason=reason
    )


def update_in_bulk(model, objs, fields, *, user=None, reason, batch_size=500):
    """``bulk_update`` that records a "Changed" history row for each row, by ``user``."""
    return bulk_update_with_history(
        objs,
        model,
        fields,
        batch_size=batch_size,
        default_user=user,
        default_change_reason=reason,
    )
