from django.apps import AppConfig


class VendorsConfig(AppConfig):
    name = "mjadmin.vendors"
    label = "vendors"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The platform learns the vendors' key kinds and audit events once, at start.
        from mjadmin.vendors import registry

        registry.register()
