"""A lookup as CSV (for spreadsheets) and JSON (for scripts)."""

import csv
import io
from typing import Any

from tasks.models import Lookup, TaskResult

CSV_COLUMNS = [
    "position",
    "task_id",
    "mjadmin_status",
    "apiframe_status",
    "task_type",
    "percentage",
    "grid_image_url",
    "image_urls",
    "image_url",
    "video_urls",
    "seed",
    "sref",
    "message",
]


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # Third-party text must not turn into a formula when the CSV is opened in a spreadsheet.
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def _row(result: TaskResult) -> list[str]:
    task = result.task
    values: list[Any] = [result.position + 1, result.task_id, result.get_state_display()]
    if task is None:
        values += [""] * 9 + [result.error]
    else:
        values += [
            task.status,
            task.task_type,
            task.percentage,
            task.grid_url,
            " ".join(task.image_urls),
            task.image_url,
            " ".join(task.video_urls),
            task.seed,
            task.sref,
            task.message or result.error,
        ]
    return [_cell(v) for v in values]


def as_csv(results: list[TaskResult]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_row(r) for r in results)
    return buffer.getvalue()


def as_json(lookup: Lookup, results: list[TaskResult]) -> dict[str, Any]:
    return {
        "lookup": str(lookup.id),
        "created_at": lookup.created_at.isoformat(),
        "tasks": [
            {
                "task_id": r.task_id,
                "state": r.state,
                "error": r.error or None,
                "fetched_at": r.fetched_at.isoformat() if r.fetched_at else None,
                "task": r.data,
            }
            for r in results
        ],
    }


def image_urls(results: list[TaskResult]) -> str:
    """One line per image, in the lookup's order: https links only, as the page shows them."""
    lines = [thumb.url for result in results if result.task for thumb in result.task.thumbnails]
    return "".join(f"{url}\n" for url in dict.fromkeys(lines))
