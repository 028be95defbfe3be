"""What the one outbound-HTTP module keeps of an answer besides its body: the vendor's Retry-After,
as seconds, on the error it raises; and a credential sent under the header a vendor wants."""

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from mjadmin import upstream
from tests.fakes.fake_vendors import DEMO_APIFRAME_V2_KEY, SEEDED_TASK_IDS


def job(fake, header: str = "X-API-Key"):
    return upstream.request_json(
        "GET",
        f"{fake.apiframe_v2_base_url}/v2/jobs/{SEEDED_TASK_IDS[0]}",
        service="Apiframe",
        credential="API key",
        authorization=DEMO_APIFRAME_V2_KEY,
        header=header,
    )


def test_the_credential_goes_under_the_header_asked_for_and_nowhere_else(fake):
    assert job(fake)["id"] == SEEDED_TASK_IDS[0]
    (sent,) = fake.requests
    assert sent.headers["x-api-key"] == DEMO_APIFRAME_V2_KEY
    assert "authorization" not in sent.headers


def test_the_same_credential_as_authorization_is_refused_by_v2(fake):
    with pytest.raises(upstream.UpstreamAuthError):
        job(fake, header="Authorization")


@pytest.mark.parametrize(
    ("kind", "retry_after"), [("429", 99999.0), ("429-retry", 1.0), ("503", 30.0), ("500", None)]
)
def test_an_error_carries_the_vendors_retry_after_in_seconds(fake, kind, retry_after):
    fake.set_fault(kind)
    with pytest.raises(upstream.UpstreamError) as excinfo:
        job(fake)
    assert excinfo.value.retry_after == retry_after


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("5", 5.0),
        (" 12 ", 12.0),
        ("0", 0.0),
        ("1.5", 1.5),
        ("-3", 0.0),
        (None, None),
        ("soon", None),
        ("nan", None),
        ("inf", None),
        ("9" * 80, None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # a date gone by: ask now
    ],
)
def test_retry_after_is_seconds_or_a_date(value, seconds):
    assert upstream.retry_after_seconds(value) == seconds


def test_retry_after_as_a_date_to_come_is_the_seconds_until_then():
    when = datetime.now(UTC) + timedelta(seconds=120)
    seconds = upstream.retry_after_seconds(format_datetime(when, usegmt=True))
    assert seconds is not None and 110 <= seconds <= 121
