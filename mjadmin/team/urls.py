from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from mjadmin.team import views

app_name = "team"

urlpatterns = [
    path("login/", views.TeamLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="team/password_change_form.html",
            success_url=reverse_lazy("team:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="team/password_change_done.html"),
        name="password_change_done",
    ),
    path("setup/<str:token>/", views.setup, name="setup"),
    path("team/locks/", views.sign_in_locks, name="locks"),
]
