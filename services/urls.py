from django.urls import path

from services.views import accountability, catalogue, handover, oruk, public  # noqa: F401

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
    #
    # Public accountability (issue 7)
    #
    # Open Referral UK API (issue 8)
    path("api/oruk/organizations", oruk.organizations, name="oruk_organizations"),
    path("api/oruk/services", oruk.services, name="oruk_services"),
    path("api/oruk/services/<str:id>", oruk.service, name="oruk_service"),
]
