"""midjourney-proxy: the self-hosted proxies (trueai-org's and novicezk's, and relays that speak
their protocol) at the operator's MJ_PROXY_BASE_URL: batch task lookups, and on trueai-org's the
Discord account list with enable, disable and re-sync (shared/api/midjourney-proxy.md)."""
