"""/healthz for a load balancer: the database and the shared cache, nothing more."""

import pytest
from django.db import OperationalError, connection
from django.test import Client


def lines(response) -> list[str]:
    return response.content.decode().splitlines()


@pytest.mark.django_db
def test_all_is_well():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert lines(response) == ["ok", "database: ok", "cache: ok"]
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_cache_that_cannot_be_reached_is_a_503(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens on the discard port
        }
    }
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert lines(response) == ["unhealthy", "database: ok", "cache: unreachable"]


@pytest.mark.django_db
def test_a_database_that_cannot_be_reached_is_a_503(monkeypatch):
    def broken():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken)
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert lines(response) == ["unhealthy", "database: unreachable", "cache: ok"]
