from django.apps import AppConfig


class TeamConfig(AppConfig):
    name = "mjadmin.team"
    label = "team"
    verbose_name = "Team sign-in"

    def ready(self) -> None:
        # Adding, deactivating and reactivating teammates has consequences wherever it happens.
        # Sign-ins, sign-outs and lock-outs go to the audit log wherever they happen.
        from mjadmin.team import (
            lifecycle,  # noqa: F401
            sign_in_events,  # noqa: F401
        )
