"""Benchmark: the residence feed with 20,000 items in one residence, through Django's test client.

The items are made in bulk (``bulk_create``, consistent rows: a Notice for each notice post, an
Initiative, a Poll with its answers, an Event...; comments and reactions on some posts),
back-dated every 40 minutes over about 18 months, kinds shuffled. Then ANALYZE (PostgreSQL), and
the first page of the feed, its JSON twin, a page filtered on one kind and a deep page
(``?before=`` about 500 days back) are requested as a resident, against a static page as
baseline. The community posts query is then run through EXPLAIN ANALYZE (PostgreSQL; a plain
EXPLAIN on SQLite) to see which indexes it uses. Run with ``make bench``.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime
import json
import random
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.models import Model
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.bench.stats import Summary, env_count, print_table, summarise
from tests.conftest import World, add_members, build_world, client_for

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

MEMBERS = 200
STEP = datetime.timedelta(minutes=40)  # between two items: 20,000 items span ~555 days
DEEP = datetime.timedelta(days=500)  # ?before= of the deep page
# Items of the residence, by feed kind (20,000 in all).
MIX = {
    "news": 5000,
    "notice": 1500,
    "initiative": 1500,
    "poll": 1000,
    "event": 2000,
    "exchange": 4000,
    "thanks": 2000,
    "help": 3000,
}
PINNED = 3  # the newest notices: urgent, pinned for a week
NEIGHBOUR_POSTS = 500  # in another residence of the landlord in the same city; 1 in 5 for the city
BATCH = 2000


@contextlib.contextmanager
def backdated(*models: type[Model]) -> Iterator[None]:
    """``created_at`` as given, not now (``auto_now_add`` overrides it, bulk_create included)."""
    fields: list[Any] = [m._meta.get_field("created_at") for m in models]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f in fields:
            f.auto_now_add = True


def fill(world: World, rng: random.Random) -> Counter[str]:
    """20,000 feed items in the world's residence (see MIX), and what goes with them."""
    from apps.accounts.models import User
    from apps.community.models import Audience, Comment, Initiative, Notice, Post, Reaction
    from apps.events.models import Attendance, Event
    from apps.exchanges.models import Category, Exchange, Thanks
    from apps.exchanges.models import Kind as ExchangeKind
    from apps.exchanges.models import Status as ExchangeStatus
    from apps.polls.models import Ballot, Choice, Poll, Vote
    from apps.residences.models import Residence
    from apps.seniors.models import Contact, HelpRequest
    from apps.seniors.models import Kind as HelpKind
    from apps.seniors.models import Status as HelpStatus

    now = timezone.now()
    residence = world.residence
    members = list(
        User.objects.filter(memberships__residence=residence, memberships__status="active")
    )
    viewer = world.alice.user
    staff, animator = world.claire, world.bob.user
    slots = [kind for kind, n in MIX.items() for _ in range(n)]
    rng.shuffle(slots)  # slot i: created i + 1 steps ago
    at = [now - (i + 1) * STEP for i in range(len(slots))]
    made: Counter[str] = Counter()

    posts: list[Post] = []
    post_slot: list[int] = []
    for i, kind in enumerate(slots):
        if kind not in ("news", "notice", "initiative", "poll", "event"):
            continue
        author = {
            "notice": staff,
            "news": animator if i % 2 else staff,
            "poll": animator,
            "event": animator,
        }.get(kind) or rng.choice(members)
        pinned = kind == "notice" and made["pinned"] < PINNED
        made["pinned"] += pinned
        posts.append(
            Post(
                residence=residence,
                kind=kind,
                author=author,
                signed_as="Habitat Test" if kind == "notice" else "",
                title=f"{kind} {i}",
                body=f"Texte du {kind} n°{i}. " * rng.randint(1, 12),
                pinned_until=now + datetime.timedelta(days=7) if pinned else None,
                moderation="hidden" if kind == "news" and i % 97 == 0 else "",
                created_at=at[i],
            )
        )
        post_slot.append(i)
    neighbour = Residence.objects.create(
        landlord=world.landlord,
        name="Les Acacias",
        address="3 rue C",
        postcode="69003",
        city=residence.city,
        invitation_code="ACACIAS3",
    )
    for j in range(NEIGHBOUR_POSTS):
        posts.append(
            Post(
                residence=neighbour,
                kind="news",
                author=staff,
                audience=Audience.CITY if j % 5 == 0 else Audience.RESIDENCE,
                title=f"Acacias {j}",
                body="Chez les voisins.",
                created_at=now - (j + 1) * STEP * (len(slots) / NEIGHBOUR_POSTS),
            )
        )
    with backdated(Post, Comment, Reaction, Exchange, Thanks, HelpRequest):
        Post.objects.bulk_create(posts, batch_size=BATCH)
        ours = posts[: len(post_slot)]
        by_kind: dict[str, list[Post]] = {}
        for post in ours:
            by_kind.setdefault(post.kind, []).append(post)
        notices = by_kind["notice"]
        Notice.objects.bulk_create(
            [
                Notice(
                    post=p,
                    category=rng.choice(Notice.Category.values),
                    urgency=Notice.Urgency.URGENT
                    if p.pinned_until or n % 10 == 0
                    else Notice.Urgency.INFO,
                    valid_from=p.created_at,
                    # Old notices have expired (the feed leaves them out); pinned: a week more.
                    valid_until=p.pinned_until or p.created_at + datetime.timedelta(days=14),
                )
                for n, p in enumerate(notices)
            ],
            batch_size=BATCH,
        )
        statuses = Initiative.Status.values
        initiatives = []
        for p in by_kind["initiative"]:
            status = rng.choice(statuses)
            initiatives.append(
                Initiative(
                    post=p,
                    status=status,
                    done_at=p.created_at + datetime.timedelta(days=30)
                    if status == "done"
                    else None,
                )
            )
        Initiative.objects.bulk_create(initiatives, batch_size=BATCH)
        polls = Poll.objects.bulk_create(
            [
                Poll(
                    post=p,
                    multiple=n % 4 == 0,
                    closes_at=p.created_at + datetime.timedelta(days=14),
                )
                for n, p in enumerate(by_kind["poll"])
            ],
            batch_size=BATCH,
        )
        choices = Choice.objects.bulk_create(
            [
                Choice(poll=poll, label=label, position=k)
                for poll in polls
                for k, label in enumerate(("Oui", "Non", "Sans avis"))
            ],
            batch_size=BATCH,
        )
        voted = [poll for n, poll in enumerate(polls) if n % 4 == 0]
        ballots = Ballot.objects.bulk_create(
            [Ballot(poll=poll, user=u) for poll in voted for u in rng.sample(members, 10)],
            batch_size=BATCH,
        )
        choices_of: dict[int, list[Choice]] = {}
        for choice in choices:
            choices_of.setdefault(choice.poll_id, []).append(choice)
        Vote.objects.bulk_create(
            [Vote(ballot=b, choice=rng.choice(choices_of[b.poll_id])) for b in ballots],
            batch_size=BATCH,
        )
        events = Event.objects.bulk_create(
            [
                Event(
                    post=p,
                    starts_at=p.created_at + datetime.timedelta(days=10),
                    ends_at=p.created_at + datetime.timedelta(days=10, hours=2),
                    place="Salle commune",
                    capacity=20 if n % 3 == 0 else None,
                )
                for n, p in enumerate(by_kind["event"])
            ],
            batch_size=BATCH,
        )
        Attendance.objects.bulk_create(
            [
                Attendance(event=e, user=u, status=Attendance.Status.GOING)
                for n, e in enumerate(events)
                if n % 4 == 0
                for u in rng.sample(members, 5)
            ],
            batch_size=BATCH,
        )
        comments, reactions = [], []
        for n, p in enumerate(ours):
            if n % 4 == 0:
                comments += [
                    Comment(
                        post=p,
                        author=rng.choice(members),
                        body="Merci pour l’info !",
                        created_at=p.created_at + datetime.timedelta(minutes=5 * (k + 1)),
                    )
                    for k in range(rng.randint(1, 6))
                ]
            if n % 3 == 0:
                reactions += [
                    Reaction(
                        post=p,
                        user=u,
                        kind=rng.choice(Reaction.Kind.values),
                        created_at=p.created_at + datetime.timedelta(minutes=k + 1),
                    )
                    for k, u in enumerate(rng.sample(members, rng.randint(1, 8)))
                ]
        Comment.objects.bulk_create(comments, batch_size=BATCH)
        Reaction.objects.bulk_create(reactions, batch_size=BATCH)

        exchange_slots = [i for i, k in enumerate(slots) if k == "exchange"]
        exchanges = Exchange.objects.bulk_create(
            [
                Exchange(
                    residence=residence,
                    author=rng.choice(members),
                    kind=rng.choice(ExchangeKind.values),
                    category=rng.choice(Category.values),
                    title=f"exchange {i}",
                    description="Je peux aider le samedi.",
                    status=rng.choice(ExchangeStatus.values),
                    created_at=at[i],
                )
                for i in exchange_slots
            ],
            batch_size=BATCH,
        )
        # Each thanks on an exchange older than itself (slots grow older), one thanks each.
        # (the oldest thanks, once no older exchange is left: the oldest exchange left).
        thanks: list[Thanks] = []
        unused = list(range(len(exchanges)))  # indexes in exchanges, newest first
        for i in (i for i, k in enumerate(slots) if k == "thanks"):
            at_or_after = bisect.bisect_left([exchange_slots[u] for u in unused], i)
            exchange = exchanges[unused.pop(min(at_or_after, len(unused) - 1))]
            giver = rng.choice([m for m in members[:20] if m.pk != exchange.author_id])
            thanks.append(
                Thanks(
                    exchange=exchange,
                    from_user=giver,
                    to_user=exchange.author,
                    text="Merci beaucoup !",
                    public=i % 10 != 0,
                    created_at=at[i],
                )
            )
        Thanks.objects.bulk_create(thanks, batch_size=BATCH)
        HelpRequest.objects.bulk_create(
            [
                HelpRequest(
                    residence=residence,
                    senior=(senior := rng.choice(members)),
                    posted_by=senior,
                    kind=rng.choice(HelpKind.values),
                    when_text="samedi matin",
                    details="Des courses au marché.",
                    contact=Contact.MESSAGE,
                    status=rng.choice(HelpStatus.values),
                    created_at=at[i],
                )
                for i, k in enumerate(slots)
                if k == "help"
            ],
            batch_size=BATCH,
        )
    made.update(slots)
    made["comments"] = len(comments)
    made["reactions"] = len(reactions)
    made["neighbour posts"] = NEIGHBOUR_POSTS
    assert Post.objects.filter(residence=residence).count() == sum(
        MIX[k] for k in ("news", "notice", "initiative", "poll", "event")
    )
    assert viewer in members
    return made


def measure(
    client: Client, url: str, requests: int, warmup: int
) -> tuple[list[float], int, int | None]:
    """Latencies in ms of ``requests`` GETs after ``warmup`` ones; queries of one request; items
    in the answer when it is the feed's JSON."""
    for _ in range(warmup):
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    query_count = len(queries)
    items = len(json.loads(response.content)) if url.startswith("/api/") else None
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return samples, query_count, items


def explain(sql: str, params: Any = None) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            return [row[0] for row in cursor.fetchall()]
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return [" ".join(str(c) for c in row) for row in cursor.fetchall()]


def print_plan(title: str, plan: list[str], top: int) -> None:
    print(f"\n{title}")
    for line in plan[:top]:
        print(f"  {line}")
    if len(plan) > top:
        print(f"  … {len(plan) - top} more lines")
    for line in plan[top:]:
        if "Execution Time" in line or "Planning Time" in line:
            print(f"  {line.strip()}")
    scans = [line.strip() for line in plan if "Seq Scan" in line or "SCAN " in line]
    print(f"  sequential scans: {scans or 'none'}")


def counts(post: Any) -> tuple[int, ...]:
    return (post.comment_count, post.thanks_count, post.join_count, post.idea_count, post.i_thanked)


def posts_ids(here: Any, viewer: Any, pinned: list[int]) -> Any:
    """The first page's ids with posts_for's filters only: what a two-step feed_source would
    ask first (then the annotated posts_for(...).filter(pk__in=ids), 20 rows)."""
    from django.db.models import Q

    from apps.community.models import Audience, Kind, Post

    residence = here.residence
    return (
        Post.objects.filter(
            Q(residence_id=residence.pk)
            | Q(
                audience=Audience.CITY,
                residence__landlord_id=residence.landlord_id,
                residence__city=residence.city,
            )
        )
        .filter(Q(moderation="") | Q(author_id=viewer.pk))
        .exclude(kind=Kind.NOTICE, notice__valid_until__lt=timezone.now())
        .exclude(pk__in=pinned)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)[:20]
    )


def proposed_posts_for(here: Any, viewer: Any) -> Any:
    """``selectors.posts_for`` with its counts as correlated subqueries instead of
    ``Count(..., distinct=True)`` over joins (the change recommended in the README): the same
    rows and counts, without grouping every post of the residence before the LIMIT."""
    from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
    from django.db.models.functions import Coalesce

    from apps.community.models import Audience, Comment, Kind, Post, Reaction
    from apps.residences.models import Role

    residence = here.residence
    rows = (
        Post.objects.filter(
            Q(residence_id=residence.pk)
            | Q(
                audience=Audience.CITY,
                residence__landlord_id=residence.landlord_id,
                residence__city=residence.city,
            )
        )
        .filter(Q(moderation="") | Q(author_id=viewer.pk))
        .exclude(kind=Kind.NOTICE, notice__valid_until__lt=timezone.now())
        .select_related("author", "organisation", "notice", "initiative")
    )
    if here.role == Role.PARTNER:
        rows = rows.filter(author_id=viewer.pk)

    def count(queryset: Any) -> Any:
        per_post = queryset.filter(post=OuterRef("pk")).order_by().values("post")
        return Coalesce(
            Subquery(per_post.annotate(n=Count("pk")).values("n")[:1]),
            0,
            output_field=IntegerField(),
        )

    mine = Reaction.objects.filter(post=OuterRef("pk"), user_id=viewer.pk)
    return rows.annotate(
        comment_count=count(Comment.objects.filter(moderation="")),
        thanks_count=count(Reaction.objects.filter(kind="thanks")),
        join_count=count(Reaction.objects.filter(kind="join")),
        idea_count=count(Reaction.objects.filter(kind="idea")),
        i_thanked=Exists(mine.filter(kind="thanks")),
        i_joined=Exists(mine.filter(kind="join")),
        i_liked=Exists(mine.filter(kind="idea")),
    )


def test_feed_latency() -> None:
    from apps.community import access, selectors

    world = build_world()
    add_members(world, MEMBERS, tag="bench", entrances="ABCD")
    started = time.perf_counter()
    made = fill(world, random.Random(6))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    fill_s = time.perf_counter() - started
    print(
        f"\nFeed of one residence: {sum(MIX.values()):,} items made in bulk in {fill_s:.1f} s "
        f"(ANALYZE included): "
        + ", ".join(f"{k} {made[k]:,}" for k in [*MIX, "pinned", "comments", "reactions"])
        + f"; {made['neighbour posts']} posts in a neighbour residence (1 in 5 for the city)"
    )

    client = client_for(world.alice)  # a resident
    requests = env_count("BENCH_FEED_REQUESTS", 100)
    warmup = 10
    residence = world.residence.pk
    before = (timezone.now() - DEEP).isoformat()
    feed = f"/r/{residence}/feed/"
    api = f"/api/v1/residences/{residence}/feed"
    pages = [
        ("baseline: /charter/ (static page)", "/charter/", None),
        ("feed page /r/<id>/feed/, first page", feed, api),
        ("API feed JSON, first page", api, None),
        ("feed page ?kind=news", f"{feed}?kind=news", f"{api}?kind=news"),
        ("API feed JSON ?kind=news", f"{api}?kind=news", None),
        ("feed page ?before=500 days ago", f"{feed}?before={before}", f"{api}?before={before}"),
        ("API feed JSON ?before=500 days ago", f"{api}?before={before}", None),
    ]
    assert client.get(feed).text.count('id="post-') >= 10  # the feed shows the bulk rows

    rows: list[Summary] = []
    for label, url, twin in pages:
        samples, queries, items = measure(client, url.replace("+", "%2B"), requests, warmup)
        if twin is not None:
            items = len(json.loads(client.get(twin.replace("+", "%2B")).content))
        note = f"{queries} queries" + (f", {items} items" if items is not None else "")
        rows.append(summarise(label, samples, note=note))
    print_table(
        f"Residence feed, {sum(MIX.values()):,} items, Django test client, {connection.vendor}, "
        f"{requests} requests each",
        rows,
        rows[0],
    )

    # The community posts query, as selectors.feed_source runs it for the first page.
    here = access.access_feed(world.alice.user, residence)
    now = timezone.now()
    posts = selectors.posts_for(here, world.alice.user)
    pinned = list(posts.filter(pinned_until__gt=now).values_list("pk", flat=True))
    latest = posts.exclude(pk__in=pinned).order_by("-created_at", "-pk")[: selectors.FEED_PAGE]
    deep = posts.filter(created_at__lt=timezone.now() - DEEP).order_by("-created_at", "-pk")[
        : selectors.FEED_PAGE
    ]
    proposed = proposed_posts_for(here, world.alice.user)
    proposed_latest = proposed.exclude(pk__in=pinned).order_by("-created_at", "-pk")[
        : selectors.FEED_PAGE
    ]
    assert [p.pk for p in proposed_latest] == [p.pk for p in latest]
    assert [counts(p) for p in proposed_latest] == [counts(p) for p in latest]
    for title, queryset in [
        ("community posts, first page (feed_source: latest)", latest),
        ("PROPOSED posts_for (counts as subqueries), first page", proposed_latest),
        (
            "PROPOSED alternative: the first page's ids only (no joins for counts nor cards)",
            posts_ids(here, world.alice.user, pinned),
        ),
        (
            "community posts, pinned (feed_source, first page only)",
            posts.filter(pinned_until__gt=now),
        ),
        ("community posts, ?before=500 days ago", deep),
    ]:
        sql, params = queryset.query.sql_with_params()
        print_plan(f"EXPLAIN of {title}:", explain(sql, params), top=14)

    # Every query of one first-page API request: its time in the database, its scans.
    with CaptureQueriesContext(connection) as captured:
        assert client.get(api).status_code == 200
    print(
        "\nEvery query of GET /api/v1/residences/<id>/feed (first page), EXPLAIN ANALYZE "
        "(first table named in the SQL, subqueries included):"
    )
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        plan = explain(sql)
        total = next((line for line in plan if "Execution Time" in line), "").strip()
        scans = sorted(
            {line.strip().split(" on ")[1].split()[0] for line in plan if "Seq Scan on" in line}
        )
        tables = sql.split(" FROM ", 1)[1].split()[0].strip('"') if " FROM " in sql else "?"
        print(f"  {tables:38} {total:28} seq scans: {', '.join(scans) or 'none'}")
