from django.urls import path

from services.views import accountability, catalogue, handover, oruk, public

app_name = "services"

urlpatterns = [
    # Officer service catalogue: list, detail with candidates, edit (issue 5)
    path("officer/services/", catalogue.service_list, name="service_list"),
    path("officer/services/<int:pk>/", catalogue.service_detail, name="service_detail"),
    path("officer/services/<int:pk>/edit/", catalogue.service_edit, name="service_edit"),
    #
    # Public service catalogue (issue 6)
    path("services/", public.public_catalogue, name="public_catalogue"),
    path("services/<int:pk>/", public.public_service, name="public_service"),
    # Handover: expressions of interest, pipeline, ACV, agreements, returns (issue 7)
    path("groups/<int:pk>/handover/", handover.group_handover, name="group_handover"),
    path("groups/<int:pk>/handover/new/", handover.eoi_new, name="eoi_new"),
    path("groups/<int:pk>/community-value/nominate/", handover.nominate, name="nominate"),
    path(
        "groups/<int:pk>/community-value/notices/<int:notice_pk>/intend-to-bid/",
        handover.intention_to_bid,
        name="intention_to_bid",
    ),
    path("handover/<int:pk>/", handover.eoi_detail, name="eoi_detail"),
    path("handover/<int:pk>/edit/", handover.eoi_edit, name="eoi_edit"),
    path("handover/<int:pk>/partners/", handover.eoi_partners, name="eoi_partners"),
    path(
        "handover/<int:pk>/partners/<int:partner_pk>/remove/",
        handover.partner_remove,
        name="partner_remove",
    ),
    path(
        "handover/<int:pk>/partners/<int:partner_pk>/answer/",
        handover.partner_respond,
        name="partner_respond",
    ),
    path("handover/<int:pk>/submit/", handover.eoi_submit, name="eoi_submit"),
    path("handover/<int:pk>/withdraw/", handover.eoi_withdraw, name="eoi_withdraw"),
    path("handover/<int:pk>/decide/", handover.eoi_decide, name="eoi_decide"),
    path("handover/<int:pk>/agreement/", handover.agreement_new, name="agreement_new"),
    path("agreements/<int:pk>/", handover.agreement_detail, name="agreement_detail"),
    path("returns/<int:pk>/", handover.return_detail, name="return_detail"),
    path("returns/<int:pk>/send/", handover.return_send, name="return_send"),
    path("returns/<int:pk>/review/", handover.return_review, name="return_review"),
    path(
        "community-value/nominations/<int:pk>/",
        handover.nomination_detail,
        name="nomination_detail",
    ),
    path("officer/handover/", handover.pipeline, name="pipeline"),
    path("officer/community-value/", handover.acv_officer, name="acv_officer"),
    path(
        "officer/community-value/nominations/<int:pk>/decide/",
        handover.nomination_decide_view,
        name="nomination_decide",
    ),
    path(
        "officer/community-value/assets/<int:pk>/notice-of-sale/",
        handover.sale_notice_new,
        name="sale_notice_new",
    ),
    # Public accountability (issue 7)
    path("who-runs-what/", accountability.accountability, name="accountability"),
    path(
        "who-runs-what/<int:pk>/",
        accountability.accountability_detail,
        name="accountability_detail",
    ),
    path("community-value/", accountability.acv_register, name="acv_register"),
    # Open Referral UK API (issue 8)
    path("api/oruk/", oruk.api_details, name="oruk_api_details"),
    path("api/oruk/organizations", oruk.organizations, name="oruk_organizations"),
    path("api/oruk/services", oruk.services, name="oruk_services"),
    path("api/oruk/services/<str:id>", oruk.service, name="oruk_service"),
]
