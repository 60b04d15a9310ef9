from django.urls import path

from mapping.views import consultation, groups, imports, officer, public, review  # noqa: F401

app_name = "mapping"

urlpatterns = [
    # Community groups: registration, dashboard, profile, members, offers (issue 4)
    #
    # Officer review of groups (issue 4)
    #
    # Officer mapping: directory, gap matrix, ward map, drill-downs, support needs (issue 5)
    path("officer/groups/", officer.organisation_directory, name="organisation_directory"),
    path("officer/groups/<int:pk>/", officer.organisation_detail, name="organisation_detail"),
    path("officer/gaps/", officer.gap_matrix, name="gap_matrix"),
    path("officer/gaps/map/", officer.gap_map, name="gap_map"),
    path("officer/gaps/how-it-is-calculated/", officer.gap_method, name="gap_method"),
    path("officer/wards/<str:code>/", officer.ward_detail, name="ward_detail"),
    path("officer/support-needs/", officer.support_needs, name="support_needs"),
    #
    # Resident consultation, officer and public pages (issue 6)
    #
    # Public directory of verified groups (issue 6)
    #
    # Import upload pages (issue 8)
    #
]
