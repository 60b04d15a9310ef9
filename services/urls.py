from django.urls import path  # noqa: F401

from services.views import accountability, catalogue, handover, oruk, public  # noqa: F401

app_name = "services"

urlpatterns = [
    # Officer service catalogue: list, detail with candidates, edit (issue 5)
    #
    # Public service catalogue (issue 6)
    #
    # Handover: expressions of interest, pipeline, ACV, agreements, returns (issue 7)
    #
    # Public accountability (issue 7)
    #
    # Open Referral UK API (issue 8)
    #
]
