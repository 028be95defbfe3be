from django.apps import AppConfig


class PlatformConfig(AppConfig):
    name = "mjadmin"
    verbose_name = "mjadmin"

    def ready(self) -> None:
        from mjadmin import sqlite_files  # noqa: F401
