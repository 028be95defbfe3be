from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.views.first_run import setup
from mjadmin import views

admin.site.site_header = "mjadmin team admin"
admin.site.site_title = "mjadmin"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("login/", views.TeamLoginView.as_view(), name="login"),
    path("favicon.ico", views.favicon),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path("setup/<str:token>/", setup, name="setup"),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("", include("tasks.urls")),
]
