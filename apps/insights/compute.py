"""Computing the daily cells of the indicators from what residents did: one function,
``compute_days``, used alike by the nightly task (yesterday and the 30 days before, for
late reads of notices), the backfill command and the pages (today, live).

Every query covers all the residences asked for and the whole range of days at once: the
number of queries does not grow with residences or days. Timestamps are turned into local days
(``TIME_ZONE``, Europe/Paris) in Python, so days are exact across daylight-saving changes.
Nothing here reads the text of a message, a post or a report: only who, where and when."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Min, Q
from django.utils import timezone

from apps.accounts.models import SignIn, Visit
from apps.community.models import Comment, Initiative, NoticeRead, Post, Reaction
from apps.community.models import Kind as PostKind
from apps.events.models import Attendance, Event
from apps.exchanges.models import Exchange, Response
from apps.exchanges.models import Status as ExchangeStatus
from apps.messaging.models import Message
from apps.moderation.models import Case, Decision, Report
from apps.polls.models import Ballot
from apps.residences.models import Membership, Residence, Role, Status
from apps.rooms.models import Booking
from apps.seniors.models import CheckIn, HelpRequest
from apps.seniors.models import Status as HelpStatus

MEMBER_ROLES = (Role.RESIDENT, Role.CO_ANIMATOR)
APPROVED = (Status.ACTIVE, Status.SUSPENDED, Status.LEFT)
HIDDEN = "hidden"


@dataclass
class Cell:
    """One residence on one day: counts and states, the people behind them, durations (s)."""

    values: dict[str, int] = field(default_factory=dict)
    # Sets while computing; the lists read back from the table are used as they are (copying
    # tens of thousands of them into sets costs more than the page's queries).
    people: dict[str, Collection[int]] = field(default_factory=dict)
    durations: dict[str, list[int]] = field(default_factory=dict)

    def add_person(self, key: str, who: int) -> None:
        ids = self.people.get(key)
        if not isinstance(ids, set):
            ids = set(ids or ())
            self.people[key] = ids
        ids.add(who)

    def as_json(self) -> dict[str, Any]:
        return {
            "values": self.values,
            "people": {key: sorted(ids) for key, ids in self.people.items()},
            "durations": self.durations,
        }

    @classmethod
    def from_json(
        cls, values: dict[str, int], people: dict[str, list[int]], durations: dict[str, list[int]]
    ) -> Cell:
        return cls(values, dict(people), durations)


Days = dict[int, dict[datetime.date, Cell]]


def day_start(day: datetime.date) -> datetime.datetime:
    """Local midnight at the start of ``day`` (23 or 25 hours before the next one across a
    daylight-saving change)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def local_day(moment: datetime.datetime) -> datetime.date:
    """The local (``TIME_ZONE``) day of ``moment``; ``astimezone`` on the default zone directly:
    ``timezone.localtime`` looks the active zone up in an asgiref Local at every call, and
    this runs for every row read."""
    return moment.astimezone(timezone.get_default_timezone()).date()


class _Collector:
    def __init__(self, residence_ids: Iterable[int], first: datetime.date, last: datetime.date):
        self.first, self.last = first, last
        self.start, self.end = day_start(first), day_start(last + datetime.timedelta(days=1))
        self.days: Days = {rid: {} for rid in residence_ids}

    def cell(self, rid: int, day: datetime.date) -> Cell | None:
        if rid not in self.days or not self.first <= day <= self.last:
            return None
        return self.days[rid].setdefault(day, Cell())

    def count(
        self, key: str, rid: int, when: datetime.datetime | None, who: int | None = None
    ) -> None:
        if when is None:
            return
        cell = self.cell(rid, local_day(when))
        if cell is not None:
            cell.values[key] = cell.values.get(key, 0) + 1
            if who is not None:
                cell.add_person(key, who)

    def person(self, key: str, rid: int, day: datetime.date, who: int) -> None:
        cell = self.cell(rid, day)
        if cell is not None:
            cell.add_person(key, who)

    def duration(
        self,
        key: str,
        rid: int,
        start: datetime.datetime,
        stop: datetime.datetime | None,
        who: int | None,
    ) -> None:
        if stop is None:
            return
        cell = self.cell(rid, local_day(stop))
        if cell is not None:
            cell.durations.setdefault(key, []).append(int((stop - start).total_seconds()))
            if who is not None:
                cell.add_person(key, who)

    def state(
        self,
        key: str,
        rid: int,
        since: datetime.datetime | None,
        until: datetime.datetime | None,
        who: int | None = None,
    ) -> None:
        """Something true from ``since`` until ``until`` (excluded; ``None``: still true) counts
        on each day at whose end it was true."""
        if since is None:
            return
        day = max(local_day(since), self.first)
        stop = (
            self.last if until is None else min(local_day(until) - datetime.timedelta(1), self.last)
        )
        while day <= stop:
            cell = self.cell(rid, day)
            assert cell is not None
            cell.values[key] = cell.values.get(key, 0) + 1
            if who is not None:
                cell.add_person(key, who)
            day += datetime.timedelta(days=1)

    def finish(self) -> Days:
        """Every day of every residence, even without anything in it."""
        day = self.first
        while day <= self.last:
            for rid in self.days:
                self.days[rid].setdefault(day, Cell())
            day += datetime.timedelta(days=1)
        return self.days


def compute_days(residence_ids: Iterable[int], first: datetime.date, last: datetime.date) -> Days:
    """The cells of ``residence_ids`` for each day from ``first`` to ``last`` included."""
    rids = sorted(set(residence_ids))
    c = _Collector(rids, first, last)
    start, end = c.start, c.end
    in_range = {"gte": start, "lt": end}

    def between(name: str) -> dict[str, datetime.datetime]:
        return {f"{name}__{op}": value for op, value in in_range.items()}

    # Members: memberships as intervals, and who counts as a member on which day.
    member_days: dict[int, list[tuple[int, datetime.date, datetime.date | None]]] = defaultdict(
        list
    )
    memberships = Membership.objects.filter(residence_id__in=rids, role__in=MEMBER_ROLES)
    for rid, uid, status, requested, decided, left in memberships.values_list(
        "residence_id", "user_id", "status", "requested_at", "decided_at", "left_at"
    ):
        joined = decided or requested  # memberships made without a request (staff, imports)
        if status in APPROVED:
            c.state("members", rid, joined, left)
            member_days[uid].append(
                (rid, local_day(joined), None if left is None else local_day(left))
            )
            if start <= joined < end:
                c.count("members_new", rid, joined, uid)
            if left is not None and start <= left < end:
                c.count("members_departed", rid, left, uid)
        if status == Status.PENDING:
            c.state("members_pending", rid, requested, None)
        elif decided is not None and decided > requested:
            c.state("members_pending", rid, requested, decided)

    def residences_of(uid: int | None, day: datetime.date) -> list[int]:
        """The residences of which ``uid`` was a member on ``day``."""
        return [
            rid
            for rid, joined, left in member_days.get(uid or 0, ())
            if joined <= day and (left is None or day < left)
        ]

    dwellings = dict(
        Residence.objects.filter(pk__in=rids, dwellings__isnull=False).values_list(
            "pk", "dwellings"
        )
    )
    # Activity: (residence, moment, person) of everything that makes a member "active".
    activity: list[tuple[int, datetime.datetime | None, int | None]] = []

    exchanges = Exchange.objects.filter(residence_id__in=rids)
    for rid, author, created in (
        exchanges.filter(**between("created_at"))
        .exclude(moderation=HIDDEN)
        .values_list("residence_id", "author_id", "created_at")
    ):
        c.count("exchanges_posted", rid, created, author)
        activity.append((rid, created, author))
    for rid, author, status, taken, closed in (
        exchanges.filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start), taken_at__lt=end)
        .exclude(status=ExchangeStatus.OPEN)
        .values_list("residence_id", "author_id", "status", "taken_at", "closed_at")
    ):
        c.state("exchanges_in_progress", rid, taken, closed, author)
        if status == ExchangeStatus.DONE and closed is not None and start <= closed < end:
            c.count("exchanges_done", rid, closed, author)
    # Only exchanges answered in the range can have their first answer in it: the grouping
    # then covers those few, not every exchange of the residences since the beginning.
    answered = Response.objects.filter(**between("created_at")).values("exchange_id")
    firsts = (
        exchanges.filter(pk__in=answered)
        .annotate(first=Min("responses__created_at", filter=~Q(responses__responder=F("author"))))
        .filter(**between("first"))
    )
    for rid, author, created, first_at in firsts.values_list(
        "residence_id", "author_id", "created_at", "first"
    ):
        c.duration("first_response", rid, created, first_at, author)
    activity += Response.objects.filter(
        exchange__residence_id__in=rids, **between("created_at")
    ).values_list("exchange__residence_id", "created_at", "responder_id")

    helps = HelpRequest.objects.filter(residence_id__in=rids)
    for rid, senior, poster, created in helps.filter(**between("created_at")).values_list(
        "residence_id", "senior_id", "posted_by_id", "created_at"
    ):
        c.count("help_posted", rid, created, senior)
        activity += [(rid, created, senior), (rid, created, poster)]
    for rid, senior, volunteer, created, taken in helps.filter(**between("taken_at")).values_list(
        "residence_id", "senior_id", "volunteer_id", "created_at", "taken_at"
    ):
        c.count("help_taken", rid, taken, senior)
        c.duration("time_to_take", rid, created, taken, senior)
        activity.append((rid, taken, volunteer))
    for rid, senior, done in helps.filter(status=HelpStatus.DONE, **between("done_at")).values_list(
        "residence_id", "senior_id", "done_at"
    ):
        c.count("help_done", rid, done, senior)
        if done is not None:
            c.person("seniors_helped", rid, local_day(done), senior)
    for rid, senior, at in CheckIn.objects.filter(
        residence_id__in=rids, **between("at")
    ).values_list("residence_id", "senior_id", "at"):
        c.count("check_ins", rid, at, senior)
        activity.append((rid, at, senior))

    events = Event.objects.filter(
        post__residence_id__in=rids, cancelled_at__isnull=True, **between("starts_at")
    ).exclude(post__moderation=HIDDEN)
    for rid, starts in events.values_list("post__residence_id", "starts_at"):
        c.count("events_held", rid, starts)
    for rid, starts, uid in Attendance.objects.filter(
        event__in=events, status=Attendance.Status.GOING
    ).values_list("event__post__residence_id", "event__starts_at", "user_id"):
        c.count("event_participants", rid, starts, uid)
    activity += Attendance.objects.filter(
        event__post__residence_id__in=rids, **between("created_at")
    ).values_list("event__post__residence_id", "created_at", "user_id")

    posts = Post.objects.filter(residence_id__in=rids)
    for rid, kind, author, created in (
        posts.filter(**between("created_at"))
        .exclude(moderation=HIDDEN)
        .values_list("residence_id", "kind", "author_id", "created_at")
    ):
        activity.append((rid, created, author))
        if kind == PostKind.INITIATIVE:
            c.count("initiatives_proposed", rid, created, author)
        elif kind == PostKind.NOTICE:
            c.count("notices_published", rid, created)
    initiatives = Initiative.objects.filter(post__residence_id__in=rids).exclude(
        post__moderation=HIDDEN
    )
    for rid, author, status, created, done in initiatives.filter(
        Q(done_at__isnull=True) | Q(done_at__gte=start), post__created_at__lt=end
    ).values_list("post__residence_id", "post__author_id", "status", "post__created_at", "done_at"):
        if done is not None and start <= done < end:
            c.count("initiatives_done", rid, done, author)
        stage = Initiative.Status.ONGOING if status == Initiative.Status.DONE else status
        c.state(f"initiatives_{stage}", rid, created, done, author)
    reactions = Reaction.objects.filter(post__residence_id__in=rids, **between("created_at"))
    for rid, kind, uid, created in reactions.values_list(
        "post__residence_id", "kind", "user_id", "created_at"
    ):
        activity.append((rid, created, uid))
        if kind == Reaction.Kind.JOIN:
            c.person("initiative_participants", rid, local_day(created), uid)
    activity += Comment.objects.filter(
        post__residence_id__in=rids, **between("created_at")
    ).values_list("post__residence_id", "created_at", "author_id")
    activity += Ballot.objects.filter(
        poll__post__residence_id__in=rids, **between("created_at")
    ).values_list("poll__post__residence_id", "created_at", "user_id")
    activity += Booking.objects.filter(
        room__residence_id__in=rids, **between("created_at")
    ).values_list("room__residence_id", "created_at", "requested_by_id")

    # Notices published in the range: readers (any time so far) against members that day.
    notices = posts.filter(kind=PostKind.NOTICE, **between("created_at")).exclude(moderation=HIDDEN)
    for rid, published, reader in NoticeRead.objects.filter(post__in=notices).values_list(
        "post__residence_id", "post__created_at", "user_id"
    ):
        c.count("notice_reads", rid, published, reader)
    notice_days = list(notices.values_list("residence_id", "created_at"))

    for rid, at, author in Message.objects.filter(
        conversation__residence_id__in=rids, **between("created_at")
    ).values_list("conversation__residence_id", "created_at", "author_id"):
        c.count("messages_sent", rid, at, author)
        activity.append((rid, at, author))

    for rid, reporter, created in Report.objects.filter(
        case__residence_id__in=rids, **between("created_at")
    ).values_list("case__residence_id", "reporter_id", "created_at"):
        c.count("reports_received", rid, created, reporter)
    for rid, reporter, created, closed in Report.objects.filter(
        case__residence_id__in=rids,
        case__status=Case.Status.CLOSED,
        **{f"case__closed_at__{op}": value for op, value in in_range.items()},
    ).values_list("case__residence_id", "reporter_id", "created_at", "case__closed_at"):
        c.count("reports_handled", rid, closed, reporter)
        c.duration("handling_time", rid, created, closed, reporter)
    for rid, status, created, second, applied in (
        Decision.objects.filter(
            Q(status=Decision.Status.PENDING) | Q(second_at__gte=start) | Q(applied_at__gte=start),
            residence_id__in=rids,
            created_at__lt=end,
        )
        .exclude(needs="")
        .values_list("residence_id", "status", "created_at", "second_at", "applied_at")
    ):
        until = None if status == Decision.Status.PENDING else (second or applied or created)
        c.state("two_key_pending", rid, created, until)

    # Sign-ins and visits of members.
    # Members as a subquery, not a list of thousands of ids to send and plan at each call.
    user_ids = memberships.filter(status__in=APPROVED).values("user_id")
    for uid, at in SignIn.objects.filter(user_id__in=user_ids, **between("at")).values_list(
        "user_id", "at"
    ):
        for rid in residences_of(uid, local_day(at)):
            c.count("sign_ins", rid, at, uid)
    for uid, day in Visit.objects.filter(
        user_id__in=user_ids, day__range=(first, last)
    ).values_list("user_id", "day"):
        for rid in residences_of(uid, day):
            c.person("connected", rid, day, uid)

    for rid, moment, actor in activity:
        if (
            moment is not None
            and actor is not None
            and rid in residences_of(actor, local_day(moment))
        ):
            c.person("active_members", rid, local_day(moment), actor)

    days = c.finish()
    for rid, declared in dwellings.items():
        for cell in days[rid].values():
            cell.values["members_housed"] = cell.values.get("members", 0)
            cell.values["dwellings"] = declared or 0
    for rid, published in notice_days:
        notice_cell = days[rid][local_day(published)]
        audience = notice_cell.values.get("members", 0)
        notice_cell.values["notice_audience"] = (
            notice_cell.values.get("notice_audience", 0) + audience
        )
    return days
