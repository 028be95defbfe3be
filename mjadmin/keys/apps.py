from django.apps import AppConfig


class KeysConfig(AppConfig):
    name = "mjadmin.keys"
    label = "keys"
    verbose_name = "API keys"

    def ready(self) -> None:
        from mjadmin.keys import credentials
        from mjadmin.team import roster

        # The team page shows which keys each teammate has saved.
        roster.register_keys_saved(credentials.saved_by_user)
