"""Benchmark: a landlord's participation indicators, 50 residences and two years of activity.

One landlord, 50 residences with declared dwellings, 30 to 60 members each (joined over the two
years, some before, a few left or waiting), and two years of what they did, made in bulk
(``bulk_create``, timestamps back-dated, fixed seed): visits and sign-ins, messages in the
residence room and in direct conversations, exchanges with responses, help requests taken and
done, notices with their reads, members' news, events with attendances, reported messages.
Then the nightly table is filled as the backfill command does (``actions.store_range``, timed),
``ANALYZE``, and the landlord page is requested by the landlord's staff through Django's test
client for the last 30 days, the last 12 months and two years (``from``/``to``), with the JSON
API for 30 days, against a static page as baseline. Then the cost of what is not stored:
today alone (computed live in every request), the 12-month page when one residence's rows
start only 90 days ago (a residence added after the backfill), and the pages without stored
rows at all, to show what the nightly table saves. The number of queries is
asserted: the same for a landlord of 5 residences as for 50. Run with ``make bench``; the
figures go in ``tests/bench/README.md``.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import random
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pytest
from django.db import connection
from django.db.models import Model
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.bench.stats import Summary, env_count, print_table, summarise
from tests.conftest import make_user

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

DAYS = env_count("BENCH_INDICATORS_DAYS", 730)  # two years of activity, ending now
RESIDENCES = env_count("BENCH_INDICATORS_RESIDENCES", 50)
SMALL = 5  # the other landlord, for the query count
SMALL_DAYS = 60
BATCH = 5000
# Queries of the landlord page, whatever the number of residences and the period: session,
# user, the two access checks, the residences, the stored cells, compute_days's 27 for today,
# and the layout's three (staff menu, unread notifications, unread messages).
EXPECTED_QUERIES = 36
HOUR = 3600.0
DAY = 86400.0
M = TypeVar("M", bound=Model)


@contextlib.contextmanager
def backdated(*fields: tuple[type[Model], str]) -> Iterator[None]:
    """Timestamps as given, not now (``auto_now_add`` overrides them, bulk_create included)."""
    found: list[Any] = [model._meta.get_field(name) for model, name in fields]
    for f in found:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f in found:
            f.auto_now_add = True


@dataclass
class Member:
    uid: int
    rid: int
    role: str
    joined: datetime.datetime
    left: datetime.datetime | None
    rate: float  # chance of using Voisinage on a given day
    senior: bool
    days: list[int] = field(default_factory=list)  # indexes of the days of their visits

    def member_at(self, moment: datetime.datetime) -> bool:
        return self.joined <= moment and (self.left is None or moment < self.left)


class Clock:
    """The window's local days as UTC instants (exact across daylight-saving changes)."""

    def __init__(self, days: int, rng: random.Random) -> None:
        from apps.insights.compute import day_start

        self.rng = rng
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.first = self.today - datetime.timedelta(days=days - 1)
        self.dates = [self.first + datetime.timedelta(days=n) for n in range(days)]
        starts = [day_start(d).astimezone(datetime.UTC) for d in self.dates]
        ends = [*starts[1:], day_start(self.today + datetime.timedelta(days=1))]
        # The last day stops now: nothing is made in the future.
        self.spans = [
            (s, (min(e, self.now) - s).total_seconds()) for s, e in zip(starts, ends, strict=True)
        ]
        self.start = starts[0]

    def moment(self, index: int) -> datetime.datetime:
        """A random instant of the day ``index``."""
        start, seconds = self.spans[index]
        return start + datetime.timedelta(seconds=seconds * self.rng.random())

    def index(self, moment: datetime.datetime) -> int:
        return (timezone.localtime(moment).date() - self.first).days

    def later(self, moment: datetime.datetime, low_h: float, high_h: float) -> datetime.datetime:
        return moment + datetime.timedelta(seconds=self.rng.uniform(low_h, high_h) * HOUR)


class Sink:
    """Rows waiting to be inserted, by model, counted."""

    def __init__(self) -> None:
        self.rows: dict[type[Model], list[Model]] = {}
        self.made: Counter[str] = Counter()

    def add(self, row: Model) -> None:
        self.rows.setdefault(type(row), []).append(row)

    def save(self, rows: Sequence[M]) -> list[M]:
        """Insert now (the caller needs the primary keys)."""
        if not rows:
            return []
        model = type(rows[0])
        self.made[model.__name__] += len(rows)
        return list(model._default_manager.bulk_create(rows, batch_size=BATCH))

    def flush(self) -> None:
        for rows in self.rows.values():
            self.save(rows)
        self.rows = {}


def landlord_with_activity(
    name: str, residences: int, days: int, staff: Any, rng: random.Random, sink: Sink
) -> tuple[Any, list[int]]:
    """A landlord with ``residences`` residences and ``days`` days of activity (see the module's
    docstring); returns the landlord and its residences' ids."""
    from apps.accounts.models import SignIn, User, Visit
    from apps.community.models import Notice, NoticeRead, Post
    from apps.events.models import Attendance, Event
    from apps.exchanges.models import Category, Exchange, Response
    from apps.exchanges.models import Kind as ExchangeKind
    from apps.exchanges.models import Status as ExchangeStatus
    from apps.messaging.models import Conversation, Message
    from apps.moderation.models import Case, Reason, Report
    from apps.residences.models import Landlord, LandlordStaff, Membership, Residence, Role, Status
    from apps.seniors.models import Contact, HelpRequest
    from apps.seniors.models import Kind as HelpKind
    from apps.seniors.models import Status as HelpStatus

    clock = Clock(days, rng)
    landlord = Landlord.objects.create(name=name)
    LandlordStaff.objects.create(landlord=landlord, user=staff)
    homes = sink.save(
        [
            Residence(
                landlord=landlord,
                name=f"{name} {n:02d}",
                address=f"{n} rue des Bancs",
                postcode="69000",
                city="Lyon",
                dwellings=rng.randint(60, 160),
                invitation_code=f"{name[:3].upper()}{n:05d}",
            )
            for n in range(residences)
        ]
    )

    # People: 30 to 60 members per residence, a co-animator first; a few waiting or declined.
    sizes = [rng.randint(30, 60) for _ in homes]
    extra = [rng.randint(1, 3) for _ in homes]  # pending or declined requests
    users = sink.save(
        [
            User(
                email=f"{name[:3].lower()}{h}-{i}@bench.test", first_name=f"B{h}", last_name=str(i)
            )
            for h, n in enumerate(sizes)
            for i in range(n + extra[h])
        ]
    )
    people: dict[int, list[Member]] = {}
    memberships = []
    u = 0
    for h, home in enumerate(homes):
        people[home.pk] = []
        for i in range(sizes[h] + extra[h]):
            user = users[u]
            u += 1
            if i >= sizes[h]:  # a join request still waiting (or declined)
                requested = clock.moment(rng.randrange(max(0, days - 20), days))
                declined = i == sizes[h] + extra[h] - 1 and extra[h] > 1
                memberships.append(
                    Membership(
                        user_id=user.pk,
                        residence_id=home.pk,
                        role=Role.RESIDENT,
                        status=Status.DECLINED if declined else Status.PENDING,
                        requested_at=requested,
                        decided_at=clock.later(requested, 1, 48) if declined else None,
                    )
                )
                continue
            if i == 0 or rng.random() < 0.35:  # there before the window
                decided = clock.start - datetime.timedelta(seconds=rng.uniform(1, 365) * DAY)
            else:
                decided = clock.moment(rng.randrange(days))
            left = None
            if rng.random() < 0.08 and i > 0:
                left = clock.later(decided, 30 * 24, 500 * 24)
                left = left if left < clock.now else None
            status = Status.LEFT if left else Status.ACTIVE
            if left is None and rng.random() < 0.01:
                status = Status.SUSPENDED
            role = Role.CO_ANIMATOR if i == 0 else Role.RESIDENT
            memberships.append(
                Membership(
                    user_id=user.pk,
                    residence_id=home.pk,
                    role=role,
                    status=status,
                    requested_at=decided - datetime.timedelta(seconds=rng.uniform(0.2, 96) * HOUR),
                    decided_at=decided,
                    left_at=left,
                    charter_accepted_at=decided,
                )
            )
            member = Member(
                user.pk,
                home.pk,
                role,
                decided,
                left,
                rate=rng.choices([0.03, 0.1, 0.25, 0.5, 0.8], [25, 25, 25, 15, 10])[0],
                senior=rng.random() < 0.15,
            )
            first = max(0, clock.index(decided))
            last = days - 1 if left is None else clock.index(left) - 1
            if last >= first:
                span = range(first, last + 1)
                count = min(len(span), round(member.rate * len(span) * rng.uniform(0.7, 1.3)))
                member.days = sorted(rng.sample(span, count))
            people[home.pk].append(member)
    sink.save(memberships)

    for home in homes:
        members = people[home.pk]
        animator = members[0]
        at_time = members_at(members)
        room = Conversation.objects.create(
            residence_id=home.pk, kind=Conversation.Kind.ROOM, created_at=clock.start
        )
        directs: dict[int, list[Conversation]] = {}
        pairs = set()
        for _ in range(len(members) // 2):
            one, two = sorted(rng.sample(members, 2), key=lambda m: m.uid)
            pairs.add((one.uid, two.uid))
        conversations = sink.save(
            [
                Conversation(
                    residence_id=home.pk,
                    kind=Conversation.Kind.DIRECT,
                    direct_key=f"{a}-{b}",
                    created_by_id=a,
                    created_at=clock.start,
                )
                for a, b in sorted(pairs)
            ]
        )
        for conversation, (a, b) in zip(conversations, sorted(pairs), strict=True):
            directs.setdefault(a, []).append(conversation)
            directs.setdefault(b, []).append(conversation)

        messages: list[Message] = []
        exchanges: list[Exchange] = []
        helps: list[HelpRequest] = []
        posts: list[Post] = []
        for m in members:
            for d in m.days:
                sink.add(Visit(user_id=m.uid, day=clock.dates[d]))
                if rng.random() < 0.4:
                    sink.add(SignIn(user_id=m.uid, at=clock.moment(d)))
                for _ in range(rng.choice((0, 1, 1, 1, 2, 2, 3))):
                    mine = directs.get(m.uid)
                    where = rng.choice(mine) if mine and rng.random() < 0.4 else room
                    messages.append(
                        Message(
                            conversation_id=where.pk,
                            author_id=m.uid,
                            body="Bonjour à tous, quelqu’un a vu le gardien ?",
                            created_at=clock.moment(d),
                        )
                    )
                if rng.random() < 0.05:
                    exchanges.append(
                        exchange(clock, home.pk, m.uid, clock.moment(d), ExchangeStatus)
                    )
                    exchanges[-1].kind = rng.choice(ExchangeKind.values)
                    exchanges[-1].category = rng.choice(Category.values)
                if m.senior and rng.random() < 0.08:
                    helps.append(
                        help_request(clock, home.pk, m, clock.moment(d), animator, HelpStatus)
                    )
                    helps[-1].kind = rng.choice(HelpKind.values)
                    helps[-1].contact = Contact.MESSAGE
                if rng.random() < 0.01:
                    posts.append(
                        Post(
                            residence_id=home.pk,
                            kind="news",
                            author_id=m.uid,
                            title="Vide-grenier",
                            body="Dimanche dans la cour.",
                            created_at=clock.moment(d),
                        )
                    )
        for request in helps:
            if request.taken_at is not None:
                request.volunteer_id = rng.choice(
                    [v.uid for v in at_time(request.taken_at) if not v.senior] or [animator.uid]
                )
        messages = sink.save(messages)
        exchanges = sink.save(exchanges)
        sink.save(helps)

        # Responses: up to three neighbours on most exchanges, soon after.
        for ex in exchanges:
            if rng.random() < 0.3:
                continue
            others = [m for m in at_time(ex.created_at) if m.uid != ex.author_id]
            for responder in rng.sample(others, min(len(others), rng.randint(1, 3))):
                when = clock.later(ex.created_at, 0.2, 48)
                if when < clock.now:
                    sink.add(
                        Response(
                            exchange_id=ex.pk,
                            responder_id=responder.uid,
                            message="Je peux vous aider.",
                            created_at=when,
                        )
                    )

        # Notices (about one a week) and events (two a month), from the landlord and the
        # co-animator.
        notices = [
            Post(
                residence_id=home.pk,
                kind="notice",
                author_id=staff.pk,
                signed_as=name,
                title="Coupure d’eau",
                body="Mardi de 9 h à 12 h.",
                created_at=clock.moment(rng.randrange(days)),
            )
            for _ in range(days // 7)
        ]
        events = [
            Post(
                residence_id=home.pk,
                kind="event",
                author_id=animator.uid,
                title="Repas partagé",
                body="Chacun apporte un plat.",
                created_at=clock.moment(rng.randrange(days)),
            )
            for _ in range(days // 15)
        ]
        sink.save(posts)
        notices = sink.save(notices)
        events = sink.save(events)
        for post in notices:
            sink.add(
                Notice(
                    post_id=post.pk,
                    category="water",
                    valid_from=post.created_at,
                    valid_until=post.created_at + datetime.timedelta(days=14),
                )
            )
            for m in at_time(post.created_at):
                if rng.random() < min(0.95, 0.15 + 1.5 * m.rate):
                    read = post.created_at + datetime.timedelta(
                        seconds=rng.expovariate(1 / (1.5 * DAY))
                    )
                    if read < clock.now:
                        sink.add(NoticeRead(post_id=post.pk, user_id=m.uid, read_at=read))
        for post in events:
            starts = clock.later(post.created_at, 3 * 24, 20 * 24)
            sink.add(
                Event(
                    post_id=post.pk,
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=2),
                    place="Salle commune",
                    cancelled_at=clock.later(post.created_at, 1, 48)
                    if rng.random() < 0.05
                    else None,
                )
            )
            around = at_time(post.created_at)
            for m in rng.sample(around, min(len(around), rng.randint(4, 15))):
                when = clock.later(post.created_at, 0.5, (starts - post.created_at).days * 24)
                if when < clock.now:
                    going = "going" if rng.random() < 0.9 else "waiting"
                    sink.add(
                        Attendance(event_id=post.pk, user_id=m.uid, status=going, created_at=when)
                    )

        # Reported messages, about one every two weeks, most handled within days.
        chats = [x for x in messages if x.author_id != animator.uid]
        cases = []
        for x in rng.sample(chats, min(len(chats), days // 14)):
            opened = clock.later(x.created_at, 0.1, 48)
            if opened >= clock.now:
                continue
            closed = clock.later(opened, 1, 120) if rng.random() < 0.9 else None
            closed = closed if closed and closed < clock.now else None
            cases.append(
                Case(
                    residence_id=home.pk,
                    target_type="message",
                    target_id=x.pk,
                    author_id=x.author_id,
                    status=Case.Status.CLOSED if closed else Case.Status.OPEN,
                    opened_at=opened,
                    closed_at=closed,
                )
            )
        for case in sink.save(cases):
            others = [m for m in at_time(case.opened_at) if m.uid != case.author_id]
            for k, reporter in enumerate(rng.sample(others, min(len(others), rng.randint(1, 3)))):
                sink.add(
                    Report(
                        case_id=case.pk,
                        reporter_id=reporter.uid,
                        reason=rng.choice(Reason.values),
                        created_at=case.opened_at + datetime.timedelta(minutes=37 * k),
                    )
                )
        sink.flush()
    return landlord, [home.pk for home in homes]


def members_at(members: list[Member]) -> Callable[[datetime.datetime], list[Member]]:
    """Who was a member of the residence at a given moment."""

    def at(moment: datetime.datetime) -> list[Member]:
        return [m for m in members if m.member_at(moment)]

    return at


def exchange(clock: Clock, rid: int, author: int, created: datetime.datetime, status: Any) -> Any:
    """An exchange and what became of it: most done or closed, open or in progress if young."""
    from apps.exchanges.models import Exchange

    rng = clock.rng
    taken: datetime.datetime | None = None
    closed: datetime.datetime | None = None
    r = rng.random()
    if r < 0.55:
        state, taken = status.DONE, clock.later(created, 1, 72)
        closed = clock.later(taken, 2, 240)
    elif r < 0.7:
        state, closed = status.CANCELLED, clock.later(created, 1, 240)
    elif r < 0.85:
        state, closed = status.EXPIRED, created + datetime.timedelta(days=30)
    elif r < 0.93:
        state, taken = status.IN_PROGRESS, clock.later(created, 1, 72)
    else:
        state = status.OPEN
    if closed is not None and closed >= clock.now:  # has not happened yet
        state, closed = (status.IN_PROGRESS if taken else status.OPEN), None
    if taken is not None and taken >= clock.now:
        state, taken = status.OPEN, None
    if closed is None and clock.now - created > datetime.timedelta(days=60):
        state, closed = status.EXPIRED, max(taken or created, created + datetime.timedelta(30))
    return Exchange(
        residence_id=rid,
        author_id=author,
        title="Prêt d’une perceuse",
        description="Pour un après-midi.",
        status=state,
        moderation="hidden" if rng.random() < 0.01 else "",
        taken_at=taken,
        closed_at=closed,
        created_at=created,
    )


def help_request(
    clock: Clock,
    rid: int,
    senior: Member,
    created: datetime.datetime,
    animator: Member,
    status: Any,
) -> Any:
    from apps.seniors.models import HelpRequest

    rng = clock.rng
    taken: datetime.datetime | None = None
    done: datetime.datetime | None = None
    r = rng.random()
    if r < 0.1:
        state = status.CANCELLED
    else:
        state, taken = status.TAKEN, clock.later(created, 0.5, 48)
        if r < 0.85:
            state, done = status.DONE, clock.later(taken, 2, 120)
    if done is not None and done >= clock.now:
        state, done = status.TAKEN, None
    if taken is not None and taken >= clock.now:
        state, taken = status.OPEN, None
    return HelpRequest(
        residence_id=rid,
        senior_id=senior.uid,
        posted_by_id=animator.uid if rng.random() < 0.1 else senior.uid,
        when_text="samedi matin",
        details="Des courses au marché.",
        status=state,
        taken_at=taken,
        done_at=done,
        created_at=created,
    )


def fill(rng: random.Random) -> tuple[Any, Any, list[int], Any, list[int], Sink]:
    """The staff member, the big landlord and its residences, the small one and its residences."""
    from apps.community.models import NoticeRead, Post
    from apps.events.models import Attendance
    from apps.exchanges.models import Exchange, Response
    from apps.messaging.models import Conversation, Message
    from apps.moderation.models import Report
    from apps.residences.models import Membership
    from apps.seniors.models import HelpRequest

    staff = make_user("claire@bench.test", "Claire", "Fontaine")
    sink = Sink()
    with backdated(
        (Membership, "requested_at"),
        (Conversation, "created_at"),
        (Message, "created_at"),
        (Exchange, "created_at"),
        (Response, "created_at"),
        (HelpRequest, "created_at"),
        (Post, "created_at"),
        (NoticeRead, "read_at"),
        (Attendance, "created_at"),
        (Report, "created_at"),
    ):
        big, big_ids = landlord_with_activity("Grand Habitat", RESIDENCES, DAYS, staff, rng, sink)
        small, small_ids = landlord_with_activity(
            "Petit Habitat", SMALL, SMALL_DAYS, staff, rng, sink
        )
    return staff, big, big_ids, small, small_ids, sink


class SqlTimer:
    """Time spent in the database (execute wrapper) during a request."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def get(client: Client, url: str) -> tuple[float, float, Any]:
    """One request: wall ms, SQL ms, response (asserted 200)."""
    timer = SqlTimer()
    with connection.execute_wrapper(timer):
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, timer.seconds * 1000, response


def queries_of(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def measure(client: Client, label: str, url: str, requests: int, warmup: int) -> Summary:
    for _ in range(warmup):
        get(client, url)
    count = queries_of(client, url)
    samples, sql = [], []
    for _ in range(requests):
        elapsed, in_sql, _response = get(client, url)
        samples.append(elapsed)
        sql.append(in_sql)
    return summarise(label, samples, note=f"{count} queries, SQL p50 {median(sql):.0f} ms")


def live_summary(label: str, samples: Sequence[tuple[float, float, Any]]) -> Summary:
    return summarise(
        label,
        [wall for wall, _sql, _response in samples],
        note=f"SQL p50 {median([sql for _wall, sql, _response in samples]):.0f} ms",
    )


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else float("nan")


def explain_all(client: Client, url: str) -> None:
    """EXPLAIN ANALYZE of every SELECT of one request: the slow ones, and their scans."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    print(f"\nEvery query of GET {url}, EXPLAIN ANALYZE (slowest first):")
    lines = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            if connection.vendor != "postgresql":
                return
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = [row[0] for row in cursor.fetchall()]
        ms = next((float(p.split(":")[1].split()[0]) for p in plan if "Execution Time" in p), 0.0)
        rows = next((p for p in plan if "actual time" in p), "").split("rows=")
        scans = sorted({p.strip().split(" on ")[1].split()[0] for p in plan if "Seq Scan on" in p})
        table = next(iter(re.findall(r'FROM "(\w+)"', sql)), "?")
        out = rows[2].split()[0] if len(rows) > 2 else "?"
        lines.append((ms, f"  {ms:9.2f} ms  {table:32} rows {out:>7}  seq: {', '.join(scans)}"))
    for _ms, line in sorted(lines, reverse=True):
        print(line)
    print(f"  total {sum(ms for ms, _ in lines):.1f} ms in {len(lines)} SELECTs")


def test_landlord_indicators() -> None:
    from apps.insights import actions, compute
    from apps.insights.models import DailyFigures

    rng = random.Random(2026)
    started = time.perf_counter()
    staff, big, big_ids, small, small_ids, sink = fill(rng)
    fill_s = time.perf_counter() - started
    total = sum(sink.made.values())
    print(
        f"\n{RESIDENCES} residences over {DAYS} days (+ {SMALL} over {SMALL_DAYS} days for the "
        f"query count): {total:,} rows made in bulk in {fill_s:.1f} s:\n  "
        + ", ".join(f"{k} {v:,}" for k, v in sink.made.most_common())
    )

    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    first = today - datetime.timedelta(days=DAYS - 1)
    started = time.perf_counter()
    stored = actions.store_range(first, yesterday, big_ids)
    backfill_s = time.perf_counter() - started
    stored += actions.store_range(
        today - datetime.timedelta(days=SMALL_DAYS - 1), yesterday, small_ids
    )
    size = ""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("SELECT pg_total_relation_size('insights_dailyfigures')")
            size = f", table {cursor.fetchone()[0] / 2**20:.0f} MiB"
    print(
        f"Backfill (actions.store_range) of {DAYS - 1} days x {RESIDENCES} residences: "
        f"{backfill_s:.1f} s, {(DAYS - 1) * RESIDENCES:,} rows "
        f"({backfill_s / ((DAYS - 1) / actions.CHUNK_DAYS):.2f} s per {actions.CHUNK_DAYS}-day "
        f"chunk){size}"
    )
    assert (
        stored == DailyFigures.objects.count() == (DAYS - 1) * RESIDENCES + (SMALL_DAYS - 1) * SMALL
    )

    client = Client()
    client.force_login(staff)
    page = f"/indicators/landlords/{big.pk}/"
    api = f"/api/v1/landlords/{big.pk}/indicators"
    two_years = f"from={first.isoformat()}&to={today.isoformat()}"
    last_30 = f"from={(today - datetime.timedelta(days=29)).isoformat()}&to={today.isoformat()}"

    # The page shows every residence, and the figures are there.
    html = client.get(f"{page}?period=30d").content.decode()
    assert html.count("data-residence=") == RESIDENCES
    payload = json.loads(client.get(f"{api}?{last_30}").content)
    assert len(payload["residences"]) == RESIDENCES
    members = next(f["value"] for f in payload["total"] if f["key"] == "members")
    assert members > 30 * RESIDENCES * 0.8, members

    # Same number of queries for 5 residences as for 50, whatever the period.
    for query in ("period=30d", "period=12m", two_years):
        small_count = queries_of(client, f"/indicators/landlords/{small.pk}/?{query}")
        big_count = queries_of(client, f"{page}?{query}")
        assert small_count == big_count == EXPECTED_QUERIES, (query, small_count, big_count)

    requests = env_count("BENCH_INDICATORS_REQUESTS", 40)
    long_requests = env_count("BENCH_INDICATORS_LONG_REQUESTS", 30)
    warmup = 3
    rows = [
        measure(client, "baseline: /charter/ (static page)", "/charter/", requests, warmup),
        measure(client, "landlord page, last 30 days", f"{page}?period=30d", requests, warmup),
        measure(client, "API JSON, last 30 days", f"{api}?{last_30}", requests, warmup),
        measure(client, "landlord page, last 12 months", f"{page}?period=12m", long_requests, 2),
        measure(client, f"landlord page, 2 years ({DAYS} days)", f"{page}?{two_years}", 10, 1),
    ]
    explain_all(client, f"{page}?period=30d")

    # What the page pays live: today, for every request (compute_days alone).
    live = env_count("BENCH_INDICATORS_LIVE", 3)
    ids = sorted(big_ids)
    direct = []
    for _ in range(live):
        started = time.perf_counter()
        compute.compute_days(ids, today, today)
        direct.append((time.perf_counter() - started) * 1000)
    rows.append(summarise("  compute_days(today) alone, every request", direct))

    # One residence whose stored rows start 90 days ago (added after the backfill: the nightly
    # task stores the last 31 days only; or nights the task did not run): load_days computes
    # live from the first day missing anywhere, for every residence.
    gap_start = today - datetime.timedelta(days=90)
    DailyFigures.objects.filter(residence_id=ids[0], day__lt=gap_start).delete()
    rows.append(
        live_summary(
            "landlord page, 12 months, 1 residence gap",
            [get(client, f"{page}?period=12m") for _ in range(live)],
        )
    )
    actions.store_range(first, gap_start - datetime.timedelta(days=1), [ids[0]])

    # Without the nightly table: the days not stored are computed live.
    DailyFigures.objects.filter(
        residence_id__in=ids, day__gte=today - datetime.timedelta(days=29)
    ).delete()
    samples = [get(client, f"{api}?{last_30}") for _ in range(live)]
    assert json.loads(samples[-1][2].content) == payload  # live figures = stored figures
    rows.append(live_summary("API JSON, last 30 days, NOT stored", samples))
    rows.append(
        live_summary(
            "landlord page, last 30 days, NOT stored",
            [get(client, f"{page}?period=30d") for _ in range(live)],
        )
    )
    DailyFigures.objects.filter(residence_id__in=ids).delete()
    rows.append(
        live_summary(
            "landlord page, 2 years, NOT stored (once)", [get(client, f"{page}?{two_years}")]
        )
    )
    print_table(
        f"Landlord indicators, {RESIDENCES} residences, {DAYS} days, {total:,} rows, "
        f"Django test client, {connection.vendor}",
        rows,
        rows[0],
    )
