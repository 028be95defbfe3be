"""What every outgoing request carries from the shared session, and that https calls (all of
them, in production) go through the same pooled adapter as the http ones the fake serves."""

from mjadmin import upstream
from tests.fakes.fake_vendors import DEMO_USEAPI_TOKEN


def test_every_request_names_mjadmin_and_asks_for_json(fake):
    upstream.request_json(
        "GET",
        f"{fake.base_url}/v2/jobs",
        service="useapi.net",
        credential="token",
        authorization=f"Bearer {DEMO_USEAPI_TOKEN}",
    )
    (sent,) = fake.requests
    assert sent.headers["user-agent"] == "mjadmin/0.1"
    assert sent.headers["accept"] == "application/json"


def test_https_calls_use_the_same_pooled_adapter_as_http_calls():
    session = upstream._session()
    adapter = session.get_adapter("http://127.0.0.1/fetch")
    assert session.get_adapter("https://api.apiframe.pro/fetch") is adapter


def test_https_connections_are_watched_by_the_deadline_like_http_ones():
    # The fake speaks http only; production is https. The watchdog that cuts a call at its
    # deadline can only reach connections of the watched class.
    pools = upstream._session().get_adapter("https://api.apiframe.pro/fetch").poolmanager
    assert pools.connection_from_url("https://api.apiframe.pro/fetch").ConnectionCls is (
        upstream._WatchedHTTPSConnection
    )
    assert pools.connection_from_url("http://127.0.0.1:1/fetch").ConnectionCls is (
        upstream._WatchedHTTPConnection
    )
