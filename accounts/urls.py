from django.urls import path, re_path

from accounts import action_views, views

app_name = "accounts"
# Only channel-id characters, so nothing like ".." can reach the upstream URL.
CHANNEL = r"(?P<channel>[A-Za-z0-9_-]{1,64})"

urlpatterns = [
    path("accounts/", views.dashboard, name="dashboard"),
    # Before the channel pattern, which "add" would match too.
    path("accounts/add/", action_views.add, name="add"),
    re_path(rf"^accounts/{CHANNEL}/$", views.detail, name="detail"),
    re_path(rf"^accounts/{CHANNEL}/reset/$", action_views.reset, name="reset"),
    re_path(rf"^accounts/{CHANNEL}/max-jobs/$", action_views.max_jobs, name="max_jobs"),
    re_path(rf"^accounts/{CHANNEL}/delete/$", action_views.delete, name="delete"),
]
