from django.contrib import admin
from django.urls import include, path

from bigsociety import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("account/", include("accounts.urls")),
    path("", include("mapping.urls")),
    path("", include("services.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "bigsociety.views.bad_request"
handler403 = "bigsociety.views.permission_denied"
handler404 = "bigsociety.views.page_not_found"
handler500 = "bigsociety.views.server_error"
