from django.urls import path  # noqa: F401

from mapping.views import consultation, groups, imports, officer, public, review  # noqa: F401

app_name = "mapping"

urlpatterns = [
    # Community groups: registration, dashboard, profile, members, offers (issue 4)
    #
    # Officer review of groups (issue 4)
    #
    # Officer mapping: directory, gap matrix, ward map, drill-downs, support needs (issue 5)
    #
    # Resident consultation, officer and public pages (issue 6)
    #
    # Public directory of verified groups (issue 6)
    #
    # Import upload pages (issue 8)
    #
]
