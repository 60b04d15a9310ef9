from django.urls import path

from mapping.views import consultation, groups, imports, officer, public, review

app_name = "mapping"

urlpatterns = [
    # Community groups: registration, dashboard, profile, members, offers (issue 4)
    path("groups/", groups.my_groups, name="my_groups"),
    path("groups/register/", groups.group_register, name="organisation_register"),
    path("groups/invitations/<str:token>/", groups.invitation_accept, name="invitation_accept"),
    path("groups/<int:pk>/", groups.group_dashboard, name="group_dashboard"),
    path("groups/<int:pk>/details/", groups.group_profile_edit, name="group_profile_edit"),
    path("groups/<int:pk>/members/", groups.group_members, name="group_members"),
    path("groups/<int:pk>/members/invite/", groups.member_invite, name="member_invite"),
    path("groups/<int:pk>/members/<int:member_pk>/role/", groups.member_role, name="member_role"),
    path(
        "groups/<int:pk>/members/<int:member_pk>/remove/",
        groups.member_remove,
        name="member_remove",
    ),
    path(
        "groups/<int:pk>/invitations/<int:invitation_pk>/cancel/",
        groups.invitation_cancel,
        name="invitation_cancel",
    ),
    path("groups/<int:pk>/leave/", groups.group_leave, name="group_leave"),
    path("groups/<int:pk>/offers/", groups.offer_list, name="offer_list"),
    path("groups/<int:pk>/offers/new/", groups.offer_choose_service, name="offer_choose_service"),
    path("groups/<int:pk>/offers/new/<int:service_pk>/", groups.offer_create, name="offer_create"),
    path("groups/<int:pk>/offers/<int:offer_pk>/", groups.offer_edit, name="offer_edit"),
    path(
        "groups/<int:pk>/offers/<int:offer_pk>/withdraw/",
        groups.offer_withdraw,
        name="offer_withdraw",
    ),
    #
    # Officer review of groups (issue 4)
    path("officer/groups/review/", review.review_queue, name="review_queue"),
    path(
        "officer/groups/review/<int:pk>/",
        review.review_organisation,
        name="review_organisation",
    ),
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
