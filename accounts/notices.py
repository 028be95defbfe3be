"""What the Accounts pages show when useapi.net refused: the platform's notice, plus what only
useapi.net says (the account a 596 holds, the jobs a 429 lists)."""

from typing import Any

from django.urls import reverse

from mjadmin import upstream
from mjadmin.keys.credentials import CredentialProblem
from mjadmin.problems import Problem, describe
from mjadmin.vendors.useapi import client as useapi


def notice(exc: CredentialProblem | upstream.UpstreamError) -> dict[str, Any]:
    """Template context: `problem`, and `executing_jobs`/`more_jobs` after a 429."""
    if isinstance(exc, useapi.PendingModeration):
        reset = ""
        if exc.channel is not None:
            reset = reverse("accounts:reset", args=[exc.channel])
        label = f"Reset account {exc.channel}" if reset else ""
        return {"problem": Problem(exc.title, exc.message, exc.said, reset, label)}
    if isinstance(exc, useapi.AccountBusy):
        return {
            "problem": Problem(exc.title, exc.message),
            "executing_jobs": exc.executing_jobs,
            "more_jobs": exc.more_jobs,
        }
    return {"problem": describe(exc)}
