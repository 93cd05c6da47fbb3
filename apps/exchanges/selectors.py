"""Reads of service exchanges, each built for a constant number of queries."""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from apps.exchanges.models import Category, Exchange, Kind, Response, Status, Thanks
from apps.moderation import registry as moderation

PAGE_SIZE = 20
MATCHES_LIMIT = 5

# Held and hidden exchanges (moderation) are left out of every list but their author's.
VISIBLE = Q(moderation=moderation.VISIBLE)


def seen_by(viewer_id: int | None) -> Q:
    """Exchanges a person may see in lists: visible ones, and their own held or hidden ones."""
    return VISIBLE | Q(author_id=viewer_id) if viewer_id else VISIBLE


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    category: str = ""
    status: str = ""
    text: str = ""


def _search(rows: QuerySet[Exchange], text: str) -> QuerySet[Exchange]:
    text = text.strip()[:200]
    if not text:
        return rows
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        return rows.annotate(search=SearchVector("title", "description", config="french")).filter(
            search=SearchQuery(text, config="french", search_type="websearch")
        )
    condition = Q()
    for word in text.split():
        condition &= Q(title__icontains=word) | Q(description__icontains=word)
    return rows.filter(condition)


def exchanges_in(
    residence_id: int, filters: Filters | None = None, *, viewer_id: int | None = None
) -> QuerySet[Exchange]:
    """A residence's exchanges, newest first, filtered; authors joined (one query a page).
    Held and hidden ones only for their author (``viewer_id``)."""
    filters = filters or Filters()
    rows = Exchange.objects.filter(seen_by(viewer_id), residence_id=residence_id).select_related(
        "author"
    )
    if filters.kind in Kind.values:
        rows = rows.filter(kind=filters.kind)
    if filters.category in Category.values:
        rows = rows.filter(category=filters.category)
    if filters.status in Status.values:
        rows = rows.filter(status=filters.status)
    rows = _search(rows, filters.text)
    return rows.order_by("-created_at", "-pk")


def page_of(rows: QuerySet[Exchange], page: int) -> tuple[list[Exchange], bool]:
    """One page of PAGE_SIZE rows (1-based), and whether there is a next one: one query."""
    page = max(page, 1)
    start = (page - 1) * PAGE_SIZE
    items = list(rows[start : start + PAGE_SIZE + 1])
    return items[:PAGE_SIZE], len(items) > PAGE_SIZE


def newest_open(residence_id: int, limit: int = 3) -> list[Exchange]:
    return list(
        Exchange.objects.filter(VISIBLE, residence_id=residence_id, status=Status.OPEN)
        .select_related("author")
        .order_by("-created_at", "-pk")[:limit]
    )


def with_responses(exchange: Exchange) -> list[Response]:
    return list(
        Response.objects.filter(exchange=exchange)
        .select_related("responder")
        .order_by("created_at", "pk")
    )


def response_of(exchange: Exchange, user: Any) -> Response | None:
    return Response.objects.filter(exchange=exchange, responder_id=user.pk).first()


# Words that point to a category in a skills text (French and English, accents removed).
CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    Category.DIY: ("bricolage", "bricoler", "reparation", "diy", "repair"),
    Category.SHOPPING: ("courses", "shopping"),
    Category.COMPUTERS: (
        "informatique",
        "demarches",
        "numerique",
        "ordinateur",
        "computer",
        "paperwork",
    ),
    Category.PETS: ("animaux", "chien", "chat", "pets", "dogs", "cats"),
    Category.GARDENING: ("jardinage", "jardin", "gardening", "garden"),
    Category.COOKING: ("cuisine", "cuisiner", "cooking"),
    Category.LENDING: ("pret", "outils", "lending", "tools"),
    Category.LESSONS: ("cours", "conversation", "langue", "lessons", "language"),
    Category.ACCOMPANYING: ("accompagnement", "accompagner", "accompanying"),
}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\W_]+", text.lower()) if len(w) >= 4][:10]


def matches_for(user: Any, residence_id: int) -> list[Exchange]:
    """ "Matches for you": open requests of others whose category label, title or description
    contains a word of my skills, and open offers of others in the categories of my open
    requests. Two queries whatever the number of exchanges."""
    condition = Q()
    words = _words(getattr(user, "skills", "") or "")
    if words:
        folded = {_fold(w) for w in words}
        categories = [
            value
            for value, keywords in CATEGORY_WORDS.items()
            if any(w.startswith(k) or k.startswith(w) for w in folded for k in keywords)
        ]
        text = Q()
        for word in words:
            text |= Q(title__icontains=word) | Q(description__icontains=word)
        condition |= Q(kind=Kind.REQUEST) & (Q(category__in=categories) | text)
    my_categories = list(
        Exchange.objects.filter(
            residence_id=residence_id, author_id=user.pk, kind=Kind.REQUEST, status=Status.OPEN
        )
        .values_list("category", flat=True)
        .distinct()
    )
    if my_categories:
        condition |= Q(kind=Kind.OFFER, category__in=my_categories)
    if not condition:
        return []
    return list(
        Exchange.objects.filter(VISIBLE, condition, residence_id=residence_id, status=Status.OPEN)
        .exclude(author_id=user.pk)
        .select_related("author")
        .order_by("-created_at", "-pk")[:MATCHES_LIMIT]
    )


def recognition(residence_id: int, user_id: int | None = None) -> dict[int, dict[str, int]]:
    """For each member who took part in a done exchange of the residence (or only for
    ``user_id``): services given, services received and thanks received. Three queries
    whatever the number of members.

    Given: for an offer, the author gave to each accepted responder; for a request, each
    accepted responder gave to the author."""
    done = Response.objects.filter(
        exchange__residence_id=residence_id,
        exchange__status=Status.DONE,
        exchange__moderation=moderation.VISIBLE,
        accepted=True,
    )
    thanks = Thanks.objects.filter(
        exchange__residence_id=residence_id,
        exchange__moderation=moderation.VISIBLE,
        public=True,
    )
    as_responder, as_author = done, done
    if user_id is not None:
        as_responder = done.filter(responder_id=user_id)
        as_author = done.filter(exchange__author_id=user_id)
        thanks = thanks.filter(to_user_id=user_id)
    result: dict[int, dict[str, int]] = {}

    def add(uid: int, key: str, n: int) -> None:
        row = result.setdefault(uid, {"given": 0, "received": 0, "thanks": 0})
        row[key] += n

    by_responder = as_responder.values("responder_id", "exchange__kind").annotate(n=Count("pk"))
    for row in by_responder:
        key = "received" if row["exchange__kind"] == Kind.OFFER else "given"
        add(row["responder_id"], key, row["n"])
    by_author = as_author.values("exchange__author_id", "exchange__kind").annotate(n=Count("pk"))
    for author_row in by_author:
        key = "given" if author_row["exchange__kind"] == Kind.OFFER else "received"
        add(author_row["exchange__author_id"], key, author_row["n"])
    for thanks_row in thanks.values("to_user_id").annotate(n=Count("pk")):
        add(thanks_row["to_user_id"], "thanks", thanks_row["n"])
    return result


def thanks_received(residence_id: int, user_id: int, limit: int = 5) -> list[Thanks]:
    """The latest public thanks a member received in the residence (one query)."""
    return list(
        Thanks.objects.filter(
            exchange__residence_id=residence_id,
            exchange__moderation=moderation.VISIBLE,
            to_user_id=user_id,
            public=True,
        )
        .select_related("from_user", "exchange")
        .order_by("-created_at", "-pk")[:limit]
    )


def month_thanks(residence_id: int, limit: int = 5) -> tuple[int, list[Thanks]]:
    """This month's public thanks in the residence: how many, and the latest few (two
    queries)."""
    first_day = timezone.localdate().replace(day=1)
    start = timezone.make_aware(datetime.datetime.combine(first_day, datetime.time.min))
    rows = Thanks.objects.filter(
        exchange__residence_id=residence_id,
        exchange__moderation=moderation.VISIBLE,
        public=True,
        created_at__gte=start,
    )
    latest = list(
        rows.select_related("from_user", "to_user", "exchange").order_by("-created_at", "-pk")[
            :limit
        ]
    )
    return rows.count(), latest


def open_by(residence_id: int, author_id: int, limit: int = 5) -> list[Exchange]:
    """A member's open offers and requests in the residence (one query)."""
    return list(
        Exchange.objects.filter(
            VISIBLE, residence_id=residence_id, author_id=author_id, status=Status.OPEN
        ).order_by("-created_at", "-pk")[:limit]
    )


def public_thanks(exchange: Exchange) -> list[Thanks]:
    return list(
        Thanks.objects.filter(exchange=exchange, public=True)
        .select_related("from_user", "to_user")
        .order_by("created_at", "pk")
    )
