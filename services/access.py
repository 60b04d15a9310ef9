"""Access helpers for the service catalogue: every view looks a service up through one.

404 for what the person may not see, 403 for what they may see but not change.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from services.models import Service


def get_service_for_user(request, pk, *, write=False, queryset=None):
    """A service. Officers see and change every service; anyone else sees only the
    published ones and changes none."""
    user = request.user
    queryset = queryset if queryset is not None else Service.objects.all()
    if user.is_authenticated and user.is_officer:
        return get_object_or_404(queryset, pk=pk)
    service = get_object_or_404(queryset.published(), pk=pk)
    if write:
        raise PermissionDenied
    return service


def get_public_service(request, pk, *, queryset=None):
    """A service on the public catalogue: published services only, 404 for any other."""
    queryset = queryset if queryset is not None else Service.objects.all()
    return get_object_or_404(queryset.published(), pk=pk)
