"""A Discord token typed into the account forms is sent to useapi.net once per submission and
appears nowhere else: no page, header, log line, audit entry, session or exception."""

import logging
import sys

import pytest
from django.core.signals import got_request_exception
from django.test import Client
from django.views.debug import ExceptionReporter

from mjadmin.audit.models import AuditEvent
from mjadmin.vendors.useapi import client as useapi
from tests.fakes import fake_useapi_writes
from tests.fakes.fake_useapi_writes import channel_for
from tests.fakes.fake_vendors import CHANNEL_HELD

CANARY = "MTk5OTk5OTk5OTk5OTk5OTk5OQ.GcanRY.CanaryDiscordTokenZQW0000000000000"
MARK = "CanaryDiscordTokenZQW"
CANARY_CHANNEL = channel_for(CANARY)


def echoing(fake_, rec, token):
    """A careless vendor: its refusal quotes the Discord token it was sent."""
    return 400, {"error": f"Token {rec.json()['discord']} is invalid", "code": 400}


def sent(fake) -> int:
    return sum(1 for r in fake.requests if MARK.encode() in r.body)


@pytest.fixture
def raised():
    """Every exception a view let out, with the report Django would e-mail about it (every
    frame's local variables, less those marked sensitive)."""
    seen: list[tuple[BaseException, str]] = []

    def keep(sender, request=None, **kwargs):
        exc_type, exc, tb = sys.exc_info()
        report = ExceptionReporter(request, exc_type, exc, tb, is_email=True)
        seen.append((exc, report.get_traceback_html()))

    got_request_exception.connect(keep)
    yield seen
    got_request_exception.disconnect(keep)


def test_the_canary_is_sent_once_per_submission_and_never_comes_back(
    alice_client, alice_keys, fake, caplog, monkeypatch, raised
):
    caplog.set_level(logging.DEBUG)
    add = {"max_jobs": "3", "discord_token": CANARY}
    responses = []

    def submit(path: str, data: dict, client: Client = alice_client):
        responses.append(client.post(path, data, follow=True))

    submit("/accounts/add/", add)  # added
    submit("/accounts/add/", add)  # 400: nothing to change
    submit(f"/accounts/{CANARY_CHANNEL}/max-jobs/", {**add, "max_jobs": "4"})  # updated
    submit(f"/accounts/{CHANNEL_HELD}/max-jobs/", add)  # refused here: another account's
    fake.useapi_plan_max_jobs = 2
    submit("/accounts/add/", add)  # 400: more than the plan allows
    fake.useapi_plan_max_jobs = 15
    for kind in ("596", "429", "402", "500", "502", "non-json", "echo-key"):
        fake.set_fault(kind, path="/v2/account/midjourney", times=1)
        submit("/accounts/add/", add)
    monkeypatch.setattr(fake_useapi_writes, "_save", echoing)
    submit("/accounts/add/", add)
    monkeypatch.undo()

    # A crash after useapi.net answered, while the token is in the view's local variables.
    monkeypatch.setattr(useapi, "mask_discord_token", lambda value: 1 / 0)
    crashing = Client(raise_request_exception=False)
    crashing.force_login(_alice(alice_client))
    submit("/accounts/add/", {**add, "max_jobs": "5"}, crashing)

    assert responses[-1].status_code == 500
    ((crash, report),) = raised
    assert isinstance(crash, ZeroDivisionError)
    # The report does show local variables (so the check below means something)...
    assert "max_jobs" in report and "sensitive_variables_wrapper" in report
    # Each submission that passed the form's own checks sent it once; none sent it twice.
    assert sent(fake) == 13
    for response in responses:
        assert MARK not in response.content.decode()
        assert MARK not in str(response.headers)
    assert MARK not in caplog.text
    for event in AuditEvent.objects.all():
        assert MARK not in f"{event.subject} {event.detail} {event.actor_name}"
    # Every submission but the crash is recorded, with its outcome.
    assert AuditEvent.objects.filter(action__startswith="account_").count() == 12
    # ...but never the token, nor does the exception itself.
    assert MARK not in report
    assert MARK not in f"{crash!r} {vars(crash)}"
    assert MARK not in repr(dict(alice_client.session.items()))


def _alice(client: Client):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=client.session["_auth_user_id"])
