"""Apiframe's settings, read from the environment (.env.example); mjadmin/settings.py takes them."""

from mjadmin import config

APIFRAME_BASE_URL = config.http_url("APIFRAME_BASE_URL", default="https://api.apiframe.pro")
# How the original (v1) API is sent the key: `raw` as its docs and first client do
# (`Authorization: <key>`), or `bearer` as its newer SDK does (`Authorization: Bearer <key>`).
APIFRAME_AUTH_SCHEME = config.choice("APIFRAME_AUTH_SCHEME", ("raw", "bearer"), default="raw")
# Apiframe's second API (jobs), for teammates whose key is for it (their choice on Settings).
APIFRAME_V2_BASE_URL = config.http_url("APIFRAME_V2_BASE_URL", default="https://api.apiframe.ai")
