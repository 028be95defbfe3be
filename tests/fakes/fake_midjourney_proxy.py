"""The local fake's midjourney-proxy (shared/api/midjourney-proxy.md), trueai-org's flavour, under
the path prefix `/mjproxy`: MJ_PROXY_BASE_URL = `<fake base>/mjproxy`.

Tasks: `POST /mj/task/list-by-condition` (`{"ids": [...]}`), `GET /mj/task/{id}/fetch` (204 for an
unknown id). Accounts, for an admin token only: `GET /mj/admin/accounts`,
`PUT /mj/admin/account-reconnect/{id}` (enable or disable with the whole account body) and
`POST /mj/admin/account-sync/{id}`. A token travels as `mj-api-secret` or `Authorization` (raw);
a bad one is a 401 in plain text. The demo's v1 tasks exist here under 16-digit ids with the same
images, prompts and statuses, so the gallery looks the same.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from typing import Any

PREFIX = "/mjproxy"
DEMO_MJ_PROXY_TOKEN = "mjp-demo-mjadmin-0123456789abcdef"
ADMIN_MJ_PROXY_TOKEN = "mjp-admin-mjadmin-0123456789abcde"
# The first demo task's id; the rest count up from it.
FIRST_TASK_ID = 1732000000000123
_FROM_V1_STATUS = {
    "pending": "NOT_START",
    "staged": "SUBMITTED",
    "starting": "SUBMITTED",
    "processing": "IN_PROGRESS",
    "retry": "IN_PROGRESS",
    "retrying": "IN_PROGRESS",
    "finished": "SUCCESS",
    "completed": "SUCCESS",
    "failed": "FAILURE",
}
_ACTIONS = {"imagine": "IMAGINE", "reroll": "REROLL", "blend": "BLEND", "describe": "DESCRIBE"}
ACCOUNT_ENABLED_ID = "6f1c2b3a-9d8e-4f70-a1b2-c3d4e5f60718"
ACCOUNT_LOCKED_ID = "0a9b8c7d-6e5f-4a3b-9c2d-1e0f2a3b4c5d"
# Plain text, as the proxy answers a token it does not know (§2).
UNAUTHORIZED = "Authorization header missing."

Answer = tuple[int, Any, dict[str, str]]


def is_proxy_path(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


def task_id_for(position: int) -> str:
    return str(FIRST_TASK_ID + position)


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _action(v1_type: str) -> str:
    if v1_type.startswith("upscale"):
        return "UPSCALE"
    if v1_type.startswith("variation"):
        return "VARIATION"
    if "video" in v1_type or v1_type == "luma":
        return "VIDEO"
    return _ACTIONS.get(v1_type, "IMAGINE")


def task_from_v1(
    task_id: str, task: dict[str, Any], created: datetime, done_fields: dict[str, Any]
) -> dict[str, Any]:
    """The proxy task a v1 task is: its own 16-digit id, the same images, prompt and status."""
    v1_status = task.get("status")
    has_results = any(k in task for k in ("original_image_url", "image_urls", "image_url"))
    if isinstance(v1_status, str):
        status = _FROM_V1_STATUS.get(v1_status, "IN_PROGRESS")
    else:
        status = "SUCCESS" if has_results or "content" in task else "NOT_START"
    percentage = task.get("percentage")
    progress = {"SUCCESS": "100%", "FAILURE": "", "NOT_START": "0%", "SUBMITTED": "0%"}.get(
        status, f"{percentage}%" if isinstance(percentage, str) and percentage else "0%"
    )
    terminal = status in ("SUCCESS", "FAILURE")
    proxied: dict[str, Any] = {
        "id": task_id,
        "action": _action(str(task.get("task_type", ""))),
        "status": status,
        "prompt": task.get("prompt", ""),
        "promptEn": task.get("prompt", ""),
        "description": f"/imagine {task.get('prompt', '')}",
        "state": None,
        "submitTime": _ms(created),
        "startTime": None if status == "NOT_START" else _ms(created),
        "finishTime": _ms(created + timedelta(seconds=30)) if terminal else None,
        "progress": progress,
        "imageUrl": None,
        "imageUrls": None,
        "failReason": (task.get("message") or task.get("error")) if status == "FAILURE" else None,
        "properties": {"notifyHook": None, "finalPrompt": task.get("prompt")},
        "buttons": [],
        "mode": "FAST",
        "instanceId": "1170809721663422494",
    }
    _apply_results(proxied, {k: v for k, v in task.items() if k not in ("task_id", "status")})
    if task.get("_progresses"):
        proxied["_progresses"] = True
        proxied["_done_fields"] = copy.deepcopy(done_fields)
    return proxied


def _apply_results(task: dict[str, Any], fields: dict[str, Any]) -> None:
    if "original_image_url" in fields:
        task["imageUrl"] = fields["original_image_url"]
    if "image_urls" in fields:
        task["imageUrls"] = [{"url": u, "thumbnail": u} for u in fields["image_urls"]]
    if "image_url" in fields:
        task["imageUrl"] = fields["image_url"]
    videos = fields.get("video_urls") or ([fields["video_url"]] if "video_url" in fields else [])
    if videos:
        task["videoUrls"] = [{"url": u, "thumbnail": None} for u in videos]
    if "seed" in fields:
        task["seed"] = fields["seed"]
    if "content" in fields:
        task["properties"]["finalPrompt"] = fields["content"]
        task["prompt"] = fields["content"]


def _seed_accounts() -> dict[str, dict[str, Any]]:
    enabled = {
        "id": ACCOUNT_ENABLED_ID,
        "channelId": "1170809721663422494",
        "guildId": "1170809720543525024",
        "userToken": "MTE3MDgwOTcyMTY2MzQyMjQ5NA.Gh7x2K.q3Vt9LmZ8wKpR2yXc7NbHs4JdF1gEa6UoWi0Te",
        "enable": True,
        "lock": False,
        "disabledReason": None,
        "coreSize": 3,
        "queueSize": 10,
        "runningCount": 2,
        "queueCount": 1,
        "fastTimeRemaining": "11.52/15.0 hours",
        "remark": "main",
        "properties": {"Fast Time Remaining": "11.52/15.0 hours"},
    }
    locked = {
        "id": ACCOUNT_LOCKED_ID,
        "channelId": "1191564823071821915",
        "guildId": "1191564822501396530",
        "userToken": "MTE5MTU2NDgyMzA3MTgyMTkxNQ.Hb8y3L.r4Wu0MnA9xLqS3zYd8OcIt5KeG2hFb7VpXj1Uf",
        "enable": True,
        "lock": True,
        "disabledReason": "CF 人工验证...",
        "coreSize": 3,
        "queueSize": 10,
        "runningCount": 0,
        "queueCount": 0,
        "fastTimeRemaining": "",
        "remark": "backup",
        "properties": {},
    }
    return {a["id"]: a for a in (enabled, locked)}


class MidjourneyProxy:
    """The proxy's state: tokens (one admin), tasks by id, and its Discord accounts."""

    def __init__(self) -> None:
        self.tasks: dict[str, dict[str, Any]] = {}
        self.accounts: dict[str, dict[str, Any]] = {}
        self.tokens = {DEMO_MJ_PROXY_TOKEN: "USER", ADMIN_MJ_PROXY_TOKEN: "ADMIN"}
        self.steps_to_finish = 3
        # A novicezk proxy has no list-by-condition: the client falls back to one fetch an id.
        self.batch_route = True
        self.syncs: list[str] = []

    def reset(self, tasks: list[dict[str, Any]]) -> None:
        self.tasks = {}
        for task in tasks:
            self.add_task(task)
        self.accounts = _seed_accounts()
        self.batch_route = True
        self.syncs = []

    def add_task(self, task: dict[str, Any]) -> None:
        self.tasks[str(task["id"])] = task

    def handle(self, method: str, path: str, token: str | None, body: bytes) -> Answer:
        role = self.tokens.get(token or "")
        if role is None:
            return 401, UNAUTHORIZED, {}
        route = path[len(PREFIX) :]
        for mode in ("/mj-fast", "/mj-relax", "/mj-turbo"):
            if route.startswith(mode + "/mj/"):
                route = route[len(mode) :]
        if route.startswith("/mj/admin/"):
            if role != "ADMIN":
                return 401, "账号无权限", {}
            return self._admin(method, route.removeprefix("/mj/admin/"), body)
        if method == "POST" and route in ("/mj/task/list-by-condition", "/mj/task/list-by-ids"):
            if not self.batch_route:
                return 404, {"timestamp": 0, "status": 404, "error": "Not Found"}, {}
            try:
                asked = json.loads(body or b"{}")
            except ValueError:
                return 400, {"success": False, "code": -1, "message": "bad JSON"}, {}
            ids = asked.get("ids") if isinstance(asked, dict) else None
            found = []
            for task_id in ids if isinstance(ids, list) else []:
                task = self.tasks.get(str(task_id).strip())
                if task is not None:
                    self._advance(task)
                    found.append(deliver(task))
            found.reverse()  # order not guaranteed
            return 200, found, {}
        if method == "GET" and route.startswith("/mj/task/") and route.endswith("/fetch"):
            task = self.tasks.get(route.removeprefix("/mj/task/").removesuffix("/fetch"))
            if task is None:
                return 204, None, {}
            self._advance(task)
            return 200, deliver(task), {}
        return 404, {"timestamp": 0, "status": 404, "error": "Not Found"}, {}

    def _admin(self, method: str, route: str, body: bytes) -> Answer:
        if method == "GET" and route == "accounts":
            listed = [a for a in self.accounts.values() if a.get("enable")]
            return 200, copy.deepcopy(listed), {}
        if method == "POST" and route == "accounts":
            # The paged search: every account, disabled ones included.
            try:
                asked = json.loads(body or b"{}")
            except ValueError:
                asked = {}
            paging = asked.get("pagination") if isinstance(asked, dict) else None
            paging = paging if isinstance(paging, dict) else {}
            size = min(100, max(1, int(paging.get("pageSize") or 10)))
            current = max(1, int(paging.get("current") or 1))
            every = list(self.accounts.values())
            page = every[(current - 1) * size : current * size]
            pagination = {"current": current, "pageSize": size, "total": len(every)}
            return 200, {"list": copy.deepcopy(page), "pagination": pagination}, {}
        if method == "GET" and route.startswith("account/"):
            account = self.accounts.get(route.removeprefix("account/"))
            if account is None:
                return 200, _result(False, "账号不存在"), {}
            return 200, copy.deepcopy(account), {}
        if method == "PUT" and route.startswith("account-reconnect/"):
            account_id = route.removeprefix("account-reconnect/")
            try:
                sent = json.loads(body or b"null")
            except ValueError:
                sent = None
            if account_id not in self.accounts:
                return 200, _result(False, "账号不存在"), {}
            if not isinstance(sent, dict) or sent.get("id") != account_id:
                return 200, _result(False, "参数错误"), {}
            # Update, disconnect, reconnect: the whole account as sent (a masked token sent back
            # would break it, as on the real proxy).
            self.accounts[account_id].update(sent)
            return 200, _result(True, "操作成功"), {}
        if method == "POST" and route.startswith("account-sync/"):
            account_id = route.removeprefix("account-sync/")
            if account_id not in self.accounts:
                return 200, _result(False, "账号不存在"), {}
            self.syncs.append(account_id)
            return 200, _result(True, "操作成功"), {}
        return 404, {"timestamp": 0, "status": 404, "error": "Not Found"}, {}

    def _advance(self, task: dict[str, Any]) -> None:
        if not task.get("_progresses") or task.get("status") in ("SUCCESS", "FAILURE"):
            return
        returned = int(task.get("_returned", 0)) + 1
        task["_returned"] = returned
        if returned >= max(1, self.steps_to_finish):
            task["status"] = "SUCCESS"
            task["progress"] = "100%"
            task["finishTime"] = _ms(datetime.now(UTC))
            _apply_results(task, task.get("_done_fields") or {})
        else:
            task["status"] = "IN_PROGRESS"
            task["progress"] = "45%"
            task["startTime"] = task["submitTime"]


def _result(success: bool, message: str) -> dict[str, Any]:
    return {"success": success, "code": 0 if success else -1, "message": message, "timestamp": "0"}


def deliver(task: dict[str, Any]) -> dict[str, Any]:
    return {k: copy.deepcopy(v) for k, v in task.items() if not str(k).startswith("_")}
