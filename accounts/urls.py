from django.urls import path

from accounts.views import api_settings, dashboard

app_name = "accounts"

urlpatterns = [
    path("accounts/", dashboard.dashboard, name="dashboard"),
    path("accounts/<str:channel>/", dashboard.detail, name="detail"),
    path("settings/", api_settings.api_settings, name="settings"),
]
