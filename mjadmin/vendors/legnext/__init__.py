"""Legnext (legnext.ai), a commercial Midjourney API: one job by its id, and the key's balance
(shared/api/legnext.md)."""
