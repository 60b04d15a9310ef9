"""Pagination and sortable columns for list pages."""

from django.conf import settings
from django.core.paginator import Paginator


def paginate(request, object_list, per_page=None):
    """The requested page; a page number out of range or not a number gives the nearest."""
    paginator = Paginator(object_list, per_page or settings.PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


class Sorter:
    """Sort a queryset by a whitelisted ``?sort=`` key, "-key" for descending.

    ``columns`` maps each key to the field (or list of fields) to order by. An unknown
    key falls back to the default, so a tampered URL never causes an error.
    """

    def __init__(self, request, columns, default):
        self.columns = columns
        requested = request.GET.get("sort", "")
        key = requested.removeprefix("-")
        if key not in columns:
            requested, key = default, default.removeprefix("-")
        self.key = key
        self.descending = requested.startswith("-")

    @property
    def value(self):
        return f"-{self.key}" if self.descending else self.key

    def order_by(self):
        fields = self.columns[self.key]
        fields = [fields] if isinstance(fields, str) else list(fields)
        if self.descending:
            fields = [f.removeprefix("-") if f.startswith("-") else f"-{f}" for f in fields]
        return fields

    def apply(self, queryset):
        # "pk" last: a stable order, so pages never repeat or skip rows.
        return queryset.order_by(*self.order_by(), "pk")

    def link(self, key):
        """The ?sort= value a column header links to: flips direction if already sorted."""
        if key == self.key and not self.descending:
            return f"-{key}"
        return key

    def aria_sort(self, key):
        if key != self.key:
            return "none"
        return "descending" if self.descending else "ascending"
