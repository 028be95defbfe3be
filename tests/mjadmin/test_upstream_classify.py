"""What a caller of the one HTTP module gets back for each kind of answer: the error class, its
message word for word, the vendor's own words, and the HTTP status it carries."""

import pytest

from mjadmin import upstream
from tests.fakes.fake_vendors import DEMO_APIFRAME_KEY, DEMO_USEAPI_TOKEN
from tests.html import all_of, notice, text


def jobs(fake, token: str = DEMO_USEAPI_TOKEN):
    return upstream.request_json(
        "GET",
        f"{fake.base_url}/v2/jobs",
        service="useapi.net",
        credential="token",
        authorization=f"Bearer {token}",
    )


def fetch(fake, key: str = DEMO_APIFRAME_KEY, task_id: str = "no-such-task"):
    return upstream.request_json(
        "POST",
        f"{fake.base_url}/fetch",
        service="Apiframe",
        credential="API key",
        authorization=key,
        json_body={"task_id": task_id},
    )


def failure(call, *args) -> upstream.UpstreamError:
    with pytest.raises(upstream.UpstreamError) as excinfo:
        call(*args)
    return excinfo.value


def classify(status: int, body: bytes = b"", secrets: tuple[str, ...] = ()):
    return upstream._classify(status, body, "useapi.net", "token", secrets)


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        ("401", 401),
        ("402", 402),
        ("404", 404),
        ("404-empty", 404),
        ("400", 400),
        ("429", 429),
        ("500", 500),
        ("502", 502),
        ("redirect", 302),
        ("non-json", 200),
    ],
)
def test_every_failure_carries_the_http_status_the_vendor_answered_with(fake, kind, status):
    fake.set_fault(kind, path="/v2/jobs")
    assert failure(jobs, fake).status == status


def test_a_404_says_the_vendors_own_words_and_keeps_them_as_details(fake):
    fake.set_fault("404", path="/v2/jobs")
    error = failure(jobs, fake)
    assert isinstance(error, upstream.UpstreamNotFound)
    said = "Configuration not found. To create configuration use POST account/midjourney."
    assert error.message == said
    assert error.details == [said]


def test_a_bare_404_says_nothing_was_found_and_has_no_details(fake):
    fake.set_fault("404-empty", path="/v2/jobs")
    error = failure(jobs, fake)
    assert isinstance(error, upstream.UpstreamNotFound)
    assert error.message == "useapi.net found nothing."
    assert error.details == []


def test_a_429_asks_the_user_to_wait_and_quotes_the_vendor(fake):
    fake.set_fault("429", path="/v2/jobs")
    error = failure(jobs, fake)
    assert type(error) is upstream.UpstreamUnavailable
    assert error.message == (
        "useapi.net is limiting how often it is asked (HTTP 429): Too many requests, please "
        "slow down. Wait a minute, then try again."
    )


def test_a_429_without_the_vendors_words_still_says_what_happened():
    with pytest.raises(upstream.UpstreamUnavailable) as excinfo:
        classify(429)
    assert excinfo.value.message == (
        "useapi.net is limiting how often it is asked (HTTP 429). Wait a minute, then try again."
    )


def test_a_400_lists_the_vendors_words_in_the_message_and_beneath_the_summary(fake):
    fake.set_fault("400", path="/fetch")
    error = failure(fetch, fake)
    assert isinstance(error, upstream.UpstreamBadRequest)
    assert error.message == (
        "Apiframe refused the request: Invalid request; task_ids must be an array."
    )
    assert error.summary == "Apiframe refused the request (HTTP 400)."
    assert error.details == ["Invalid request", "task_ids must be an array"]


def test_a_400_without_the_vendors_words_names_the_status():
    with pytest.raises(upstream.UpstreamBadRequest) as excinfo:
        classify(418)
    assert excinfo.value.message == "useapi.net refused the request: HTTP 418."
    assert excinfo.value.details == []
    assert excinfo.value.status == 418


def test_the_vendors_words_are_read_from_every_field_either_vendor_uses():
    body = b"""{
        "errors": [{"msg": " first "}, "second", {"msg": 5}, {"other": "x"}, "  ", 7],
        "error": "third",
        "errorDetails": "fourth",
        "message": "fifth",
        "code": 400
    }"""
    with pytest.raises(upstream.UpstreamBadRequest) as excinfo:
        classify(400, body)
    assert excinfo.value.details == ["first", "second", "third", "fourth", "fifth"]


def test_a_short_key_the_vendor_echoes_back_is_masked_in_its_words(fake):
    # Too short to look like a key on its own: only knowing the request's key masks it.
    short_key = "af_short_9x"
    fake.apiframe_keys.add(short_key)
    fake.set_fault("echo-key", path="/fetch")
    error = failure(fetch, fake, short_key)
    assert error.details == ["Invalid request for key ••••t_9x: check your plan"]
    assert short_key not in error.message


def test_a_short_token_echoed_back_is_masked_without_its_bearer_prefix(fake):
    short_token = "user:1-abc9"
    fake.useapi_tokens.add(short_token)
    fake.set_fault("echo-key", path="/v2/jobs")
    error = failure(jobs, fake, short_token)
    assert error.details == ["Invalid request for key ••••abc9: check your plan"]


def test_a_rejected_key_points_to_the_settings_page(fake):
    fake.set_fault("401", path="/fetch")
    error = failure(fetch, fake)
    assert isinstance(error, upstream.UpstreamAuthError)
    assert error.message == "Apiframe rejected your API key. Check it on the Settings page."


@pytest.mark.parametrize("status", [300, 301, 399])
def test_every_3xx_is_reported_as_a_redirect(status):
    with pytest.raises(upstream.UpstreamUnavailable) as excinfo:
        classify(status, b'{"tasks": []}')
    assert excinfo.value.message == (
        "useapi.net is unavailable right now (it answered with a redirect, HTTP "
        f"{status}). Try again in a minute."
    )
    assert excinfo.value.status == status


@pytest.mark.parametrize("status", [200, 201, 299])
def test_any_2xx_with_json_is_an_answer(status):
    assert classify(status, b'{"ok": 1}') == {"ok": 1}


def test_a_2xx_without_json_is_no_answer(fake):
    fake.set_fault("non-json", path="/v2/jobs")
    error = failure(jobs, fake)
    assert error.message == (
        "useapi.net is unavailable right now (it answered with something other than JSON). "
        "Try again in a minute."
    )


def test_a_5xx_names_its_status(fake):
    fake.set_fault("500", path="/v2/jobs")
    error = failure(jobs, fake)
    assert error.message == "useapi.net is unavailable right now (HTTP 500). Try again in a minute."


def test_nan_and_infinity_in_an_answer_become_null(fake):
    fake.set_fault("nan", path="/v2/jobs")
    answer = jobs(fake)
    assert answer[:-1] == fake.useapi_jobs[DEMO_USEAPI_TOKEN]
    assert answer[-1] is None


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def test_json_nested_64_levels_deep_is_an_answer():
    answer = classify(200, nested(64))
    for _ in range(63):
        (answer,) = answer
    assert answer == []


@pytest.mark.parametrize("depth", [65, 500])
def test_json_nested_deeper_than_64_levels_is_no_answer(depth):
    with pytest.raises(upstream.UpstreamUnavailable, match="something other than JSON"):
        classify(200, nested(depth))


def test_depth_counts_objects_and_the_values_inside_them():
    def objects(depth: int) -> bytes:
        return b'{"a": ' * depth + b"1" + b"}" * depth

    assert classify(200, objects(63)) is not None  # the 1 inside is at level 64
    with pytest.raises(upstream.UpstreamUnavailable, match="something other than JSON"):
        classify(200, objects(64))


def test_a_notice_for_a_failure_without_a_help_page_offers_no_link(alice_client, alice_keys, fake):
    fake.set_fault("500", path="/v2/account/midjourney")
    shown = notice(alice_client.get("/accounts/"))
    assert "(HTTP 500)" in text(shown)
    assert all_of(shown, "a") == []


def test_a_notice_for_an_unknown_account_offers_no_link(alice_client, alice_keys, fake):
    shown = notice(alice_client.get("/accounts/999/"))
    assert "no Midjourney account with channel 999" in text(shown)
    assert all_of(shown, "a") == []


def test_a_429_quotes_each_of_the_vendors_messages():
    body = b'{"errors": [{"msg": "Too many requests"}, {"msg": "Slow down"}]}'
    with pytest.raises(upstream.UpstreamUnavailable) as excinfo:
        classify(429, body)
    assert excinfo.value.message == (
        "useapi.net is limiting how often it is asked (HTTP 429): Too many requests; Slow down. "
        "Wait a minute, then try again."
    )


def test_nul_characters_are_dropped_from_every_string_of_an_answer():
    # PostgreSQL refuses NUL in JSON and text, and answers are stored.
    assert classify(200, b'"a\\u0000b"') == "ab"
    assert classify(200, b'[{"s": "x\\u0000y"}, 1, {"k\\u0000": ["z\\u0000"]}]') == [
        {"s": "xy"},
        1,
        {"k": ["z"]},
    ]
