"""Reads of polls, for many posts at once in a constant number of queries: results are shown to
a member once they voted, and to everyone once the poll is closed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from apps.community.models import Post
from apps.polls.models import Ballot, Choice, Poll, Vote

VOTERS_LIMIT = 500  # names listed per poll (non-anonymous polls)


@dataclass
class ChoiceView:
    id: int
    label: str
    count: int | None  # None while the viewer may not see the results
    percent: int | None
    mine: bool
    voters: list[str] = field(default_factory=list)


@dataclass
class PollView:
    poll: Poll
    choices: list[ChoiceView]
    total: int  # ballots (members who voted)
    voted: bool
    is_open: bool
    show_results: bool

    @property
    def multiple(self) -> bool:
        return self.poll.multiple

    @property
    def anonymous(self) -> bool:
        return self.poll.anonymous

    @property
    def closes_at(self) -> Any:
        return self.poll.closes_at

    @property
    def ended_at(self) -> Any:
        return self.poll.ended_at


def poll_views(posts: list[Post], viewer: Any) -> dict[int, PollView]:
    """Three queries whatever the number of polls and ballots: the polls with their ballot
    counts and whether the viewer voted, the answers with their counts, the viewer's answers."""
    ids = [p.pk for p in posts]
    if not ids:
        return {}
    now = timezone.now()
    polls = {
        poll.pk: poll
        for poll in Poll.objects.filter(pk__in=ids).annotate(
            ballot_count=Count("ballots", distinct=True),
            voted=Exists(Ballot.objects.filter(poll=OuterRef("pk"), user_id=viewer.pk)),
        )
    }
    choices = list(
        Choice.objects.filter(poll_id__in=list(polls))
        .annotate(vote_count=Count("votes"))
        .order_by("poll_id", "position", "pk")
    )
    mine = set(
        Vote.objects.filter(ballot__poll_id__in=list(polls), ballot__user_id=viewer.pk).values_list(
            "choice_id", flat=True
        )
    )
    by_poll: dict[int, list[Choice]] = defaultdict(list)
    for choice in choices:
        by_poll[choice.poll_id].append(choice)
    views: dict[int, PollView] = {}
    for pk, poll in polls.items():
        total = int(poll.ballot_count)
        voted = bool(poll.voted)
        is_open = poll.is_open(now)
        show = voted or not is_open
        views[pk] = PollView(
            poll=poll,
            choices=[
                ChoiceView(
                    id=c.pk,
                    label=c.label,
                    count=c.vote_count if show else None,  # type: ignore[attr-defined]
                    percent=round(100 * c.vote_count / total)  # type: ignore[attr-defined]
                    if show and total
                    else (0 if show else None),
                    mine=c.pk in mine,
                )
                for c in by_poll[pk]
            ],
            total=total,
            voted=voted,
            is_open=is_open,
            show_results=show,
        )
    return views


def prepare(posts: list[Post], viewer: Any) -> None:
    """``kinds.PostKind.prepare``: sets ``post.poll_view`` on each poll post."""
    views = poll_views(posts, viewer)
    for post in posts:
        post.poll_view = views.get(post.pk)  # type: ignore[attr-defined]


def add_voters(view: PollView) -> None:
    """Names of who voted what, for a poll that is not anonymous and whose results the viewer
    sees (one query)."""
    if view.poll.anonymous or not view.show_results:
        return
    rows = (
        Vote.objects.filter(ballot__poll_id=view.poll.pk)
        .select_related("ballot__user")
        .order_by("ballot__created_at", "pk")[:VOTERS_LIMIT]
    )
    names: dict[int, list[str]] = defaultdict(list)
    for row in rows:
        names[row.choice_id].append(row.ballot.user.display_name)
    for choice in view.choices:
        choice.voters = names.get(choice.id, [])
