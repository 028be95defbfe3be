from django.apps import AppConfig


class TeamConfig(AppConfig):
    name = "mjadmin.team"
    label = "team"
    verbose_name = "Team sign-in"
