from django.contrib import admin
from django.urls import include, path

from mjadmin import views

admin.site.site_header = "mjadmin team admin"
admin.site.site_title = "mjadmin"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path("admin/", admin.site.urls),
    # The platform, then the two features.
    path("", include("mjadmin.team.urls")),
    path("", include("mjadmin.keys.urls")),
    path("", include("mjadmin.audit.urls")),
    path("", include("accounts.urls")),
    path("", include("tasks.urls")),
]
