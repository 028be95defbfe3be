"""useapi.net's settings, read from the environment (.env.example); mjadmin/settings.py takes
them."""

from mjadmin import config

USEAPI_BASE_URL = config.http_url("USEAPI_BASE_URL", default="https://api.useapi.net")
