from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "mjadmin.audit"
    label = "audit"
    verbose_name = "Audit log"
