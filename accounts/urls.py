from django.urls import path, re_path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("accounts/", views.dashboard, name="dashboard"),
    # Only channel-id characters, so nothing like ".." can reach the upstream URL.
    re_path(r"^accounts/(?P<channel>[A-Za-z0-9_-]{1,64})/$", views.detail, name="detail"),
]
