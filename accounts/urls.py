from django.urls import path, re_path

from accounts import action_views, vendor_views, views

app_name = "accounts"
# Only channel-id characters, so nothing like ".." can reach the upstream URL.
CHANNEL = r"(?P<channel>[A-Za-z0-9_-]{1,64})"
# A proxy's account ids are GUIDs: only their characters reach its address.
ACCOUNT_ID = r"(?P<account_id>[A-Za-z0-9-]{1,64})"

urlpatterns = [
    path("accounts/", views.dashboard, name="dashboard"),
    # Before the channel pattern, which "add" would match too.
    path("accounts/add/", action_views.add, name="add"),
    # A vendor's own account list (midjourney-proxy), before the channel patterns too.
    path("accounts/vendor/<slug:vendor>/", vendor_views.account_list, name="vendor_accounts"),
    re_path(
        rf"^accounts/vendor/(?P<vendor>[a-z_]{{1,32}})/{ACCOUNT_ID}/(?P<action>enable|disable|sync)/$",
        vendor_views.account_action,
        name="vendor_account_action",
    ),
    re_path(rf"^accounts/{CHANNEL}/$", views.detail, name="detail"),
    re_path(rf"^accounts/{CHANNEL}/reset/$", action_views.reset, name="reset"),
    re_path(rf"^accounts/{CHANNEL}/max-jobs/$", action_views.max_jobs, name="max_jobs"),
    re_path(rf"^accounts/{CHANNEL}/delete/$", action_views.delete, name="delete"),
]
