from django.urls import path, re_path

from accounts.views import api_settings, dashboard

app_name = "accounts"

urlpatterns = [
    path("accounts/", dashboard.dashboard, name="dashboard"),
    # Only channel-id characters, so nothing like ".." can reach the upstream URL.
    re_path(r"^accounts/(?P<channel>[A-Za-z0-9_-]{1,64})/$", dashboard.detail, name="detail"),
    path("settings/", api_settings.api_settings, name="settings"),
]
