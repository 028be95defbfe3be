"""The tests of the local fake share one fake server per module, reset before each test."""

from collections.abc import Iterator

import pytest

from tests.fakes.fake_vendors import FakeUpstream


@pytest.fixture(scope="module")
def server() -> Iterator[FakeUpstream]:
    with FakeUpstream() as fake:
        yield fake


@pytest.fixture
def fake(server: FakeUpstream) -> FakeUpstream:
    server.reset()
    return server
