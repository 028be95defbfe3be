"""midjourney-proxy's settings, read from the environment (.env.example); mjadmin/settings.py takes
them. The proxy's address is the operator's to set: a teammate never types a URL the server
will call."""

from mjadmin import config

# No default: a team without a proxy leaves it unset, and the vendor says so where it is used.
MJ_PROXY_BASE_URL = config.string("MJ_PROXY_BASE_URL", default="").rstrip("/")
# The header a token travels in: `mj-api-secret` (both proxies) or `authorization` (trueai-org's
# other spelling, the raw token, no "Bearer").
MJ_PROXY_AUTH_HEADER = config.choice(
    "MJ_PROXY_AUTH_HEADER", ("mj-api-secret", "authorization"), default="mj-api-secret"
)
