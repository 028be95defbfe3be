from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The local fake of both vendors and the demo user: what `make demo` runs on."""

    name = "mjadmin.demo"
    label = "demo"
    verbose_name = "Offline demo"
