from django.apps import AppConfig


class KeysConfig(AppConfig):
    name = "mjadmin.keys"
    label = "keys"
    verbose_name = "API keys"
