from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "mjadmin.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        # Sign-ins, lock-outs and changes to teammates are recorded wherever they happen.
        from mjadmin.audit import receivers  # noqa: F401
