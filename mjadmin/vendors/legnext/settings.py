"""Legnext's settings, read from the environment (.env.example); mjadmin/settings.py takes them."""

from mjadmin import config

LEGNEXT_BASE_URL = config.http_url("LEGNEXT_BASE_URL", default="https://api.legnext.ai/api")
