from django.contrib.auth import views as auth_views
from django.urls import path

from mjadmin.team import link_views, member_views, profile_views, views

app_name = "team"

urlpatterns = [
    path("login/", views.TeamLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", profile_views.profile, name="profile"),
    path("password/", profile_views.ChangePasswordView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="team/password_change_done.html"),
        name="password_change_done",
    ),
    path("setup/<str:token>/", views.setup, name="setup"),
    path("join/", link_views.join, name="join_form"),
    path("join/<str:token>/", link_views.join, name="join"),
    path("reset/<uidb64>/<token>/", link_views.ResetPasswordView.as_view(), name="reset"),
    path("team/", member_views.team, name="members"),
    path("team/invite/", member_views.invite, name="invite"),
    path(
        "team/invitations/<int:pk>/revoke/",
        member_views.revoke_invitation,
        name="revoke_invitation",
    ),
    path("team/members/<int:pk>/<slug:action>/", member_views.member_action, name="member_action"),
    path("team/locks/", views.sign_in_locks, name="locks"),
]
