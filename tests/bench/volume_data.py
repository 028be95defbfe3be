"""A year of a busy team's lookups, made up, for measuring the pages at that size (README:
Performance; `python -m tests.tool seed_volume`).

Lookups are mostly a handful of IDs with a long tail up to the most a lookup may hold; each draws
its prompts from a few prompt "families" (a prompt and its variations and upscales), whose words
follow a Zipf curve, so a search by a prompt word meets words in most lookups and words in a few.
Some IDs are looked up again in later lookups. Everything comes from one seeded random generator:
the same seed makes the same data.
"""

import bisect
import itertools
import json
import math
import random
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.db import connection, models, transaction

from tasks.models import Lookup, PromptWord, TaskResult
from tasks.statuses import ERROR, FAILED, FINISHED, NOT_FOUND, PENDING, RUNNING
from tasks.storage import prompt_words

TEAMMATES = ("ana", "ben", "chloe", "dev", "eli", "fay", "gus", "hana", "ivo", "jun", "kai", "lea")
YEAR = timedelta(days=365)
# Of the IDs in a lookup, this share is a task some earlier lookup already held.
REPEATED_SHARE = 0.08
# Repeats are drawn from the tasks of the most recent lookups, as a team looks up again what it
# ran lately.
REPEAT_POOL = 50_000
# Lookups are written this many at a time: memory stays flat whatever the volume.
CHUNK = 1_000
# Lookups younger than this may hold tasks still running; older ones hold only outcomes.
RECENT = timedelta(days=1)

Weighted = tuple[tuple[str, ...], tuple[float, ...]]


def _weighted(*pairs: tuple[str, float]) -> Weighted:
    """Values and their cumulative weights."""
    values, weights = zip(*pairs, strict=True)
    return values, tuple(itertools.accumulate(weights))


def _zipf(words: Sequence[str]) -> Weighted:
    return _weighted(*((word, 1 / rank) for rank, word in enumerate(words, 1)))


def _draw(rng: random.Random, weighted: Weighted) -> str:
    # random.choices does the same, several times slower, and this runs for every result.
    values, cumulative = weighted
    return values[bisect.bisect(cumulative, rng.random() * cumulative[-1])]


_OLD_STATES = _weighted((FINISHED, 86), (FAILED, 6), (NOT_FOUND, 8))
_RECENT_STATES = _weighted(
    (FINISHED, 76), (RUNNING, 8), (PENDING, 4), (FAILED, 5), (NOT_FOUND, 6), (ERROR, 1)
)
_TASK_TYPES = _weighted(
    ("imagine", 50),
    ("upscale#1", 8),
    ("upscale#2", 6),
    ("upscale-subtle", 4),
    ("upscale-creative", 3),
    ("variation-1", 6),
    ("variation-2", 5),
    ("variation-3", 4),
    ("reroll", 5),
    ("blend", 3),
    ("imagine-video", 3),
    ("describe", 2),
    ("seed", 1),
)


def _listed(text: str, separator: str | None = None) -> tuple[str, ...]:
    return tuple(item.strip() for item in text.split(separator))


# What prompts are made of, most used first in each list (their weights fall as 1 / rank).
_SUBJECTS = _listed(
    "portrait woman man cat dog fox owl dragon robot astronaut city forest mountain lake castle "
    "car bicycle ship lighthouse garden temple village street market cafe kitchen library bedroom "
    "sneaker watch bottle perfume chair lamp sofa house bridge tower island desert waterfall "
    "samurai knight witch wizard warrior princess child girl boy family couple horse wolf tiger "
    "lion whale jellyfish butterfly hummingbird mushroom flower rose tulip sunflower cactus tree "
    "spaceship planet moon galaxy nebula train motorcycle guitar piano violin teapot cake burger"
)
_ADJECTIVES = _listed(
    "beautiful red blue golden old young tiny giant ancient futuristic cute dark bright white "
    "black green purple pink silver wooden glass colorful minimal elegant cozy abandoned "
    "mysterious magical floating glowing rusty neon pastel vintage modern rainy snowy foggy "
    "sunny stormy quiet busy lonely happy serious majestic delicate fierce"
)
_PLACES = _listed(
    "snow forest city beach desert ocean mountains jungle space night sunset sunrise rain fog "
    "meadow river street rooftop studio garden cave ruins harbor valley canyon volcano glacier "
    "marketplace subway"
)
_STYLES = _listed(
    "cinematic, photorealistic, illustration, watercolor, anime, oil painting, octane render, "
    "unreal engine, 35mm film photography, studio lighting, volumetric light, golden hour, "
    "bokeh, highly detailed, intricate, sharp focus, concept art, digital art, isometric, "
    "low poly, pixel art, ukiyo-e, baroque, impressionist, surreal, minimalist, vaporwave, "
    "cyberpunk, steampunk, fantasy, editorial, fashion, product shot, macro, wide angle, "
    "aerial view, symmetrical, dramatic, soft pastel tones, moody, hdr, matte",
    ",",
)
_PARAMETERS = ("--ar 16:9", "--ar 1:1", "--ar 2:3", "--ar 9:16", "--stylize 250", "--chaos 20")
_VERSIONS = ("--v 6.1", "--v 6", "--v 7", "--niji 6")
_NAME_WORDS = _listed(
    "spring summer autumn winter campaign client moodboard product shots launch storyboard "
    "covers posters banners social thumbnails concept review friday monday retouch batch"
)
# Made-up names (an artist, a brand) that only a few prompts hold.
_RARE_WORDS = 4_000
_RARE_SHARE = 0.1  # of prompt families
_SYLLABLES = _listed("ka ze ri vo lu na mi to sa re ko ba di fu go ha je li mo nu pa ro su ta")


@dataclass(frozen=True)
class Plan:
    lookups: int
    results: int
    users: int = 10
    seed: int = 1
    biggest: int = 2_000  # the largest lookup; exactly one is made this size


@dataclass(frozen=True)
class Seeded:
    lookups: int
    results: int
    words: int
    users: int


def check(plan: Plan) -> str | None:
    """Why the plan cannot be made, if it cannot."""
    if plan.lookups < 1 or plan.users < 1 or plan.biggest < 1:
        return "Give at least one lookup, one teammate and a largest lookup of at least one ID."
    if not plan.lookups <= plan.results <= plan.lookups * plan.biggest:
        return (
            f"{plan.lookups:,} lookups hold between {plan.lookups:,} and "
            f"{plan.lookups * plan.biggest:,} results (1 to {plan.biggest:,} IDs each)."
        )
    return None


def lookup_sizes(rng: random.Random, plan: Plan) -> list[int]:
    """How many IDs each lookup holds: log-normal around the mean, so most are a handful and a few
    are big; one is exactly `plan.biggest` (or as big as the total allows); they add up exactly."""
    biggest = min(plan.biggest, plan.results - (plan.lookups - 1))
    others = plan.lookups - 1
    big_at = rng.randrange(plan.lookups)
    if others == 0:
        return [biggest]
    left = plan.results - biggest
    sigma = 1.4
    mu = math.log(left / others) - sigma**2 / 2
    drawn = [rng.lognormvariate(mu, sigma) for _ in range(others)]
    scale = left / sum(drawn)
    sizes = [min(plan.biggest, max(1, round(size * scale))) for size in drawn]
    # Rounding and the bounds leave the sum a little off: move it one ID at a time.
    missing = left - sum(sizes)
    step = 1 if missing > 0 else -1
    while missing:
        at = rng.randrange(others)
        if 1 <= sizes[at] + step <= plan.biggest:
            sizes[at] += step
            missing -= step
    sizes.insert(big_at, biggest)
    return sizes


@dataclass(frozen=True)
class _Prompt:
    text: str
    words: list[str]  # as the app indexes them


@dataclass(frozen=True)
class _Task:
    task_id: str
    task_type: str
    prompt: _Prompt
    started: str  # when the vendor says it began, as it writes it
    number: int  # the vendor's CDN names images by a number


class _Generator:
    def __init__(self, plan: Plan, now: datetime) -> None:
        self.now = now
        # Made-up data, the same from the same seed: nothing here needs to be unpredictable.
        self.rng = random.Random(plan.seed)
        self.subjects = _zipf(_SUBJECTS)
        self.adjectives = _zipf(_ADJECTIVES)
        self.places = _zipf(_PLACES)
        self.styles = _zipf(_STYLES)
        self.rare = [self._made_up_word() for _ in range(_RARE_WORDS)]
        self.pool: list[_Task] = []
        self.pool_next = 0

    def _pick(self, weighted: Weighted) -> str:
        return _draw(self.rng, weighted)

    def _made_up_word(self) -> str:
        return "".join(self.rng.choice(_SYLLABLES) for _ in range(self.rng.randint(3, 4)))

    def prompt(self) -> _Prompt:
        rng = self.rng
        subject = f"{self._pick(self.adjectives)} {self._pick(self.subjects)}"
        if rng.random() < 0.6:
            subject += f" in the {self._pick(self.places)}"
        styles = ", ".join(self._pick(self.styles) for _ in range(rng.randint(1, 4)))
        prompt = f"a {subject}, {styles}"
        if rng.random() < _RARE_SHARE:
            prompt += f", in the style of {rng.choice(self.rare)}"
        if rng.random() < 0.5:
            prompt += f" {rng.choice(_PARAMETERS)}"
        text = f"{prompt} {rng.choice(_VERSIONS)}"
        return _Prompt(text, prompt_words(text))

    def task_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def _remember(self, task: _Task) -> None:
        if len(self.pool) < REPEAT_POOL:
            self.pool.append(task)
        else:
            self.pool[self.pool_next] = task
            self.pool_next = (self.pool_next + 1) % REPEAT_POOL

    def tasks(self, size: int, created_at: datetime) -> list[_Task]:
        """A lookup's tasks: a few prompt families, some tasks looked up before."""
        rng = self.rng
        families = [self.prompt() for _ in range(1 + int(math.sqrt(size) / 2))]
        chosen: list[_Task] = []
        held: set[str] = set()
        while len(chosen) < size:
            if self.pool and rng.random() < REPEATED_SHARE:
                # Lookups are made oldest first, so whatever the pool holds was looked up before.
                task = rng.choice(self.pool)
                if task.task_id in held:
                    continue
            else:
                started = created_at - timedelta(seconds=rng.uniform(30, 3 * 24 * 3600))
                task = _Task(
                    self.task_id(),
                    _draw(rng, _TASK_TYPES),
                    rng.choice(families),
                    started.isoformat().replace("+00:00", "Z"),
                    rng.randrange(10**17, 10**18),
                )
            held.add(task.task_id)
            chosen.append(task)
        for task in chosen:
            self._remember(task)
        return chosen

    def state(self, created_at: datetime) -> str:
        states = _RECENT_STATES if self.now - created_at < RECENT else _OLD_STATES
        return _draw(self.rng, states)

    def name(self) -> str:
        if self.rng.random() >= 0.15:
            return ""
        return " ".join(self.rng.sample(_NAME_WORDS, self.rng.randint(1, 3))).capitalize()


def task_data(task: _Task, state: str) -> dict[str, Any] | None:
    """The task as Apiframe would have sent it in that state (None: Apiframe did not know it)."""
    if state in (NOT_FOUND, ERROR):
        return None
    data: dict[str, Any] = {
        "task_id": task.task_id,
        "task_type": task.task_type,
        "status": {RUNNING: "processing"}.get(state, state),
        "prompt": task.prompt.text,
        "created_at": task.started,
    }
    if state == RUNNING:
        data["percentage"] = str(task.number % 9 * 10 + 10)
    elif state == FAILED:
        data["message"] = "Banned prompt detected."
    elif state == FINISHED:
        data["percentage"] = 100
        data |= _outputs(task)
    return data


def _outputs(task: _Task) -> dict[str, Any]:
    base = f"https://cdn.apiframe.pro/images/{task.number}"
    if task.task_type.startswith("upscale"):
        return {"image_url": f"{base}-u.png"}
    if "video" in task.task_type:
        return {"video_urls": [f"{base}-1.mp4", f"{base}-2.mp4"]}
    if task.task_type == "seed":
        return {"seed": str(task.number % 4_294_967_296)}
    if task.task_type == "describe":
        return {"content": task.prompt.text}
    return {
        "original_image_url": f"{base}.png",
        "image_urls": [f"{base}-{n}.png" for n in range(4)],
    }


@dataclass
class _Chunk:
    lookups: list[tuple[Any, ...]]
    results: list[tuple[Any, ...]]
    words: list[tuple[Any, ...]]


_LOOKUP_FIELDS = (
    "id",
    "owner",
    "created_at",
    "name",
    "duplicates",
    "not_ids",
    "total",
    "counts",
    "filling_until",
    "api",
)
_RESULT_FIELDS = ("lookup", "position", "task_id", "state", "data", "error", "fetched_at")
_WORD_FIELDS = ("lookup", "word")


def _chunks(plan: Plan, owners: list[int], now: datetime) -> Iterator[_Chunk]:
    generator = _Generator(plan, now)
    rng = generator.rng
    sizes = lookup_sizes(rng, plan)
    # Some teammates run far more lookups than others.
    busy = tuple(itertools.accumulate(1 / math.sqrt(rank) for rank in range(1, len(owners) + 1)))
    # Oldest first, so a repeated task was always looked up before.
    ages = sorted((rng.uniform(0, YEAR.total_seconds()) for _ in sizes), reverse=True)
    chunk = _Chunk([], [], [])
    for size, age in zip(sizes, ages, strict=True):
        created_at = now - timedelta(seconds=age)
        # Not from the seeded generator: seeding again (--force) must not repeat a lookup's key.
        lookup_id = uuid.uuid4()
        fetched_at = created_at + timedelta(seconds=rng.uniform(0.3, 5))
        states: Counter[str] = Counter()
        words: dict[str, None] = {}
        for position, task in enumerate(generator.tasks(size, created_at)):
            state = generator.state(created_at)
            states[state] += 1
            data = task_data(task, state)
            error = "Apiframe did not answer in time." if state == ERROR else ""
            chunk.results.append(
                (lookup_id, position, task.task_id, state, data, error, fetched_at)
            )
            if data is not None:
                words.update(dict.fromkeys(task.prompt.words))
        chunk.words += [(lookup_id, word) for word in words]
        owner = rng.choices(owners, cum_weights=busy)[0]
        name, counts = generator.name(), dict(states)
        chunk.lookups.append((lookup_id, owner, created_at, name, [], [], size, counts, None, "v1"))
        if len(chunk.lookups) == CHUNK:
            yield chunk
            chunk = _Chunk([], [], [])
    if chunk.lookups:
        yield chunk


def _columns(model: type[models.Model], names: Iterable[str]) -> "list[models.Field[Any, Any]]":
    by_name = {field.name: field for field in model._meta.concrete_fields}
    return [by_name[name] for name in names]


def _write(model: type[models.Model], names: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    fields = _columns(model, names)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    # Concrete fields always have a column.
    columns = ", ".join(quote(cast(str, field.column)) for field in fields)
    if connection.vendor == "postgresql":
        # COPY is several times faster than INSERT for millions of rows.
        encode: list[Callable[[Any], Any]] = [
            _json_text if isinstance(f, models.JSONField) else _as_is for f in fields
        ]
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row([code(value) for code, value in zip(encode, row, strict=True)])
        return
    # Raw rows rather than bulk_create: created_at is set on creation (auto_now_add), and here it
    # is a year of history.
    marks = ", ".join(["%s"] * len(fields))
    prepared = [
        [f.get_db_prep_save(value, connection) for f, value in zip(fields, row, strict=True)]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", prepared)  # noqa: S608


def _as_is(value: Any) -> Any:
    return value


def _json_text(value: Any) -> str | None:
    return None if value is None else json.dumps(value, separators=(",", ":"))


def teammates(count: int) -> list[int]:
    """The team's user ids, made when missing (without a usable password: nobody signs in as
    them)."""
    users = get_user_model().objects
    names = [
        TEAMMATES[n] if n < len(TEAMMATES) else f"{TEAMMATES[n % len(TEAMMATES)]}{n}"
        for n in range(count)
    ]
    ids = []
    for name in names:
        user = users.filter(username=name).first()
        if user is None:
            user = users.create_user(name, password=None)
        ids.append(user.pk)
    return ids


def seed(plan: Plan, now: datetime, progress: Callable[[int, int], None] | None = None) -> Seeded:
    """Write the plan's lookups, results and prompt words in one transaction."""
    made = Seeded(0, 0, 0, plan.users)
    with transaction.atomic():
        owners = teammates(plan.users)
        for chunk in _chunks(plan, owners, now):
            _write(Lookup, _LOOKUP_FIELDS, chunk.lookups)
            _write(TaskResult, _RESULT_FIELDS, chunk.results)
            _write(PromptWord, _WORD_FIELDS, chunk.words)
            made = Seeded(
                made.lookups + len(chunk.lookups),
                made.results + len(chunk.results),
                made.words + len(chunk.words),
                plan.users,
            )
            if progress is not None:
                progress(made.lookups, made.results)
    if connection.vendor == "postgresql":
        # As autovacuum would have done over a year: planner statistics and the visibility map
        # (VACUUM cannot run inside a transaction, as under a test).
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            for model in (Lookup, TaskResult, PromptWord):
                cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
    return made
