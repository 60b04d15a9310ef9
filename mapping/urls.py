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
    path("officer/consultations/", consultation.consultation_list, name="consultation_list"),
    path(
        "officer/consultations/new/", consultation.consultation_create, name="consultation_create"
    ),
    path(
        "officer/consultations/<int:pk>/edit/",
        consultation.consultation_edit,
        name="consultation_edit",
    ),
    path(
        "officer/consultations/<int:pk>/",
        consultation.consultation_results,
        name="consultation_results",
    ),
    path(
        "have-your-say/",
        consultation.consultation_public_list,
        name="consultation_public_list",
    ),
    path(
        "have-your-say/<slug:slug>/",
        consultation.consultation_start,
        name="consultation_start",
    ),
    path(
        "have-your-say/<slug:slug>/results/",
        consultation.consultation_public_results,
        name="consultation_public_results",
    ),
    path(
        "have-your-say/<slug:slug>/done/",
        consultation.consultation_done,
        name="consultation_done",
    ),
    path(
        "have-your-say/<slug:slug>/<slug:step>/",
        consultation.consultation_respond,
        name="consultation_respond",
    ),
    # Public directory of verified groups (issue 6)
    path("directory/", public.public_directory, name="public_directory"),
    path("directory/<int:pk>/", public.public_organisation, name="public_organisation"),
    # Import upload pages (issue 8)
    path("officer/imports/", imports.import_list, name="import_list"),
    path("officer/imports/new/<slug:kind>/", imports.import_upload, name="import_upload"),
    path("officer/imports/<int:pk>/", imports.import_run, name="import_run"),
]
