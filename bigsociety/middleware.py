from django.db import DatabaseError, InterfaceError, OperationalError

from bigsociety.routers import pin_to_primary
from bigsociety.views import database_unavailable


class DatabaseUnavailableMiddleware:
    """Answer 503 with a plain page when the database cannot be reached.

    The connection is retried on the next request (Django opens a new one), so the
    site recovers by itself when the database returns. Also pins the request's reads
    to the primary after an unsafe method, so a page shown after a save is never read
    from a lagging replica.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pin_to_primary(request.method not in ("GET", "HEAD", "OPTIONS"))
        try:
            return self.get_response(request)
        finally:
            pin_to_primary(False)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)) or (
            isinstance(exception, DatabaseError) and "connection" in str(exception).lower()
        ):
            return database_unavailable(request)
        return None
