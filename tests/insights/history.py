"""A known history of two residences of one landlord in March and October 2026, around both
daylight-saving changes of Europe/Paris (29 March: 02:00 → 03:00; 25 October: 03:00 → 02:00),
with every timestamp set explicitly. tests/insights/test_figures.py asserts every figure."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from apps.accounts.models import SignIn, Visit
from apps.community.models import Initiative, NoticeRead, Post, Reaction
from apps.community.models import Kind as PostKind
from apps.events.models import Attendance, Event
from apps.exchanges.models import Exchange, Response
from apps.exchanges.models import Status as ExchangeStatus
from apps.messaging.models import Conversation, Message
from apps.moderation.models import Case, Decision, Report
from apps.residences.models import Landlord, LandlordStaff, Membership, Residence, Role, Status
from apps.seniors.models import CheckIn, HelpRequest
from apps.seniors.models import Status as HelpStatus
from tests.conftest import make_user


def at(text: str) -> datetime.datetime:
    """A Paris wall-clock time ("2026-03-29 01:59"); ambiguous times take the first (summer)."""
    return timezone.make_aware(datetime.datetime.fromisoformat(text))


def stamp(obj: Any, **fields: Any) -> None:
    """Set timestamps that ``auto_now_add`` filled with the time of the test run."""
    type(obj).objects.filter(pk=obj.pk).update(**fields)


@dataclass
class History:
    landlord: Landlord
    tilleuls: Residence  # 40 dwellings declared
    vulcain: Residence  # no dwellings declared
    staff: Any
    m: dict[int, Any] = field(default_factory=dict)  # members m1..m12 of Les Tilleuls


def build() -> History:
    landlord = Landlord.objects.create(name="Habitat Histoire")
    tilleuls = Residence.objects.create(
        landlord=landlord,
        name="Les Tilleuls",
        address="1 rue A",
        postcode="69008",
        city="Lyon",
        invitation_code="HISTOIR1",
        dwellings=40,
    )
    vulcain = Residence.objects.create(
        landlord=landlord,
        name="Le Vulcain",
        address="2 rue B",
        postcode="69200",
        city="Vénissieux",
        invitation_code="HISTOIR2",
    )
    staff = make_user("staff@histoire.fr", "Sam", "Staff")
    LandlordStaff.objects.create(landlord=landlord, user=staff)
    h = History(landlord, tilleuls, vulcain, staff)

    def member(n: int, where: Residence, joined: str, **extra: Any) -> Any:
        user = make_user(f"m{n}.{where.pk}@histoire.fr", f"M{n}", "Test")
        membership = Membership.objects.create(
            user=user,
            residence=where,
            role=extra.pop("role", Role.RESIDENT),
            status=extra.pop("status", Status.ACTIVE),
            **extra,
        )
        stamp(
            membership, requested_at=at(joined) - datetime.timedelta(days=1), decided_at=at(joined)
        )
        return user

    # Members of Les Tilleuls: 8 on 2 March (m1 co-animator), m9 and m10 on the DST day
    # (01:30 before the change, 23:30 after it), m11 at 00:30 on 30 March (still 29 March in
    # UTC), m12 joined on 2 March and was removed on 15 March.
    for n in range(1, 9):
        h.m[n] = member(
            n, tilleuls, "2026-03-02 10:00", role=Role.CO_ANIMATOR if n == 1 else Role.RESIDENT
        )
    h.m[9] = member(9, tilleuls, "2026-03-29 01:30")
    h.m[10] = member(10, tilleuls, "2026-03-29 23:30")
    h.m[11] = member(11, tilleuls, "2026-03-30 00:30")
    h.m[12] = member(12, tilleuls, "2026-03-02 10:00", status=Status.LEFT)
    Membership.objects.filter(user=h.m[12]).update(left_at=at("2026-03-15 12:00"))
    # Join requests: one still waiting (20 March), one declined on 25 March.
    waiting = make_user("p1@histoire.fr", "P1", "Test")
    stamp(
        Membership.objects.create(user=waiting, residence=tilleuls, status=Status.PENDING),
        requested_at=at("2026-03-20 09:00"),
    )
    declined = make_user("p2@histoire.fr", "P2", "Test")
    stamp(
        Membership.objects.create(user=declined, residence=tilleuls, status=Status.DECLINED),
        requested_at=at("2026-03-10 09:00"),
        decided_at=at("2026-03-25 09:00"),
    )
    # Le Vulcain: three members.
    s = [member(20 + n, vulcain, "2026-03-02 10:00") for n in range(3)]

    # Exchanges: six posted on 3 March by m1..m6; first answers by m7 after 1, 2, 3, 4 and
    # 10 hours on e1..e5 (m6 answering their own e6 does not count); e1 done on 10 March, e2
    # still in progress, e3 cancelled before anyone was accepted.
    exchanges = []
    for n in range(1, 7):
        e = Exchange.objects.create(
            residence=tilleuls, author=h.m[n], kind="offer", category="diy", title=f"Service {n}"
        )
        stamp(e, created_at=at("2026-03-03 10:00"))
        exchanges.append(e)
    for e, hours in zip(exchanges[:5], (1, 2, 3, 4, 10), strict=True):
        r = Response.objects.create(exchange=e, responder=h.m[7], message="Oui")
        stamp(r, created_at=at("2026-03-03 10:00") + datetime.timedelta(hours=hours))
    late = Response.objects.create(exchange=exchanges[0], responder=h.m[8], message="Moi aussi")
    stamp(late, created_at=at("2026-03-04 09:00"))
    own = Response.objects.create(exchange=exchanges[5], responder=h.m[6], message="Précision")
    stamp(own, created_at=at("2026-03-03 10:30"))
    stamp(
        exchanges[0],
        status=ExchangeStatus.DONE,
        taken_at=at("2026-03-04 10:00"),
        closed_at=at("2026-03-10 10:00"),
    )
    stamp(exchanges[1], status=ExchangeStatus.IN_PROGRESS, taken_at=at("2026-03-04 10:00"))
    stamp(exchanges[2], status=ExchangeStatus.CANCELLED, closed_at=at("2026-03-05 10:00"))

    # Help: seniors m4..m8 ask on 5 March at 09:00; m1 takes each after 1..5 hours; all done
    # on 6 March. m4 checks in every morning from 1 to 7 March.
    for hours, n in enumerate(range(4, 9), start=1):
        help_request = HelpRequest.objects.create(
            residence=tilleuls,
            senior=h.m[n],
            posted_by=h.m[n],
            kind="shopping",
            when_text="demain",
            contact="message",
        )
        stamp(
            help_request,
            created_at=at("2026-03-05 09:00"),
            status=HelpStatus.DONE,
            volunteer=h.m[1],
            taken_at=at("2026-03-05 09:00") + datetime.timedelta(hours=hours),
            done_at=at("2026-03-06 18:00"),
        )
    for day in range(1, 8):
        CheckIn.objects.create(residence=tilleuls, senior=h.m[4], at=at(f"2026-03-0{day} 08:00"))

    # An event on 21 March: m1..m6 going (signed up on 15 March), m7 waiting; another one
    # cancelled.
    event_post = Post.objects.create(
        residence=tilleuls, kind=PostKind.EVENT, author=h.m[1], title="Repas partagé"
    )
    stamp(event_post, created_at=at("2026-03-14 10:00"))
    event = Event.objects.create(post=event_post, starts_at=at("2026-03-21 15:00"), place="Salle")
    for n in range(1, 8):
        status = Attendance.Status.GOING if n <= 6 else Attendance.Status.WAITING
        stamp(
            Attendance.objects.create(event=event, user=h.m[n], status=status),
            created_at=at("2026-03-15 10:00"),
        )
    cancelled_post = Post.objects.create(
        residence=tilleuls, kind=PostKind.EVENT, author=h.m[1], title="Annulé"
    )
    stamp(cancelled_post, created_at=at("2026-03-14 10:00"))
    Event.objects.create(
        post=cancelled_post,
        starts_at=at("2026-03-22 15:00"),
        place="Salle",
        cancelled_at=at("2026-03-16 10:00"),
    )

    # Initiatives: an idea (m1, 2 March), one carried out on 20 March (m2, 3 March) that
    # m4..m8 joined on 10 March, one being prepared (m3, 4 March).
    for n, stage, done, created in (
        (1, Initiative.Status.IDEA, None, "2026-03-02 10:00"),
        (2, Initiative.Status.DONE, at("2026-03-20 10:00"), "2026-03-03 10:00"),
        (3, Initiative.Status.PREPARING, None, "2026-03-04 10:00"),
    ):
        post = Post.objects.create(
            residence=tilleuls, kind=PostKind.INITIATIVE, author=h.m[n], title=f"Initiative {n}"
        )
        stamp(post, created_at=at(created))
        Initiative.objects.create(post=post, status=stage, done_at=done)
        if stage == Initiative.Status.DONE:
            for joiner in range(4, 9):
                reaction = Reaction.objects.create(
                    post=post, user=h.m[joiner], kind=Reaction.Kind.JOIN
                )
                stamp(reaction, created_at=at("2026-03-10 10:00"))

    # Messages (counted, never read): m1..m4 on 12 March; m1..m5 at 01:59 on 29 March, m1 at
    # 03:00 (just after the change), m2 at 23:59; m6 at 00:00:30 on 30 March. In Le Vulcain,
    # one message on 12 March.
    room = Conversation.objects.create(residence=tilleuls, kind=Conversation.Kind.ROOM)
    for author, when in (
        *[(h.m[n], "2026-03-12 18:00") for n in range(1, 5)],
        *[(h.m[n], "2026-03-29 01:59") for n in range(1, 6)],
        (h.m[1], "2026-03-29 03:00"),
        (h.m[2], "2026-03-29 23:59"),
        (h.m[6], "2026-03-30 00:00:30"),
    ):
        stamp(
            Message.objects.create(conversation=room, author=author, body="…"), created_at=at(when)
        )
    other_room = Conversation.objects.create(residence=vulcain, kind=Conversation.Kind.ROOM)
    stamp(
        Message.objects.create(conversation=other_room, author=s[0], body="…"),
        created_at=at("2026-03-12 18:00"),
    )

    # A notice on 5 March (9 members that day: m1..m8 and m12), read by m1..m6.
    notice = Post.objects.create(
        residence=tilleuls, kind=PostKind.NOTICE, author=staff, title="Coupure d'eau"
    )
    stamp(notice, created_at=at("2026-03-05 10:00"))
    for n in range(1, 7):
        stamp(NoticeRead.objects.create(post=notice, user=h.m[n]), read_at=at("2026-03-06 10:00"))

    # Reports: m1..m5 report one message on 10 March at 10:00..14:00, the case is closed at
    # 16:00 (6, 5, 4, 3 and 2 hours); m6 reports another on 31 March, still open.
    case = Case.objects.create(
        residence=tilleuls,
        target_type="message",
        target_id=1,
        opened_at=at("2026-03-10 10:00"),
        status=Case.Status.CLOSED,
        closed_at=at("2026-03-10 16:00"),
    )
    for hour, n in enumerate(range(1, 6), start=10):
        stamp(
            Report.objects.create(case=case, reporter=h.m[n], reason="spam"),
            created_at=at(f"2026-03-10 {hour}:00"),
        )
    open_case = Case.objects.create(
        residence=tilleuls, target_type="message", target_id=2, opened_at=at("2026-03-31 20:00")
    )
    stamp(
        Report.objects.create(case=open_case, reporter=h.m[6], reason="spam"),
        created_at=at("2026-03-31 20:00"),
    )
    # Two-key decisions: one waiting since 28 March; one agreed on 22 March.
    for created, decided, second in (
        ("2026-03-28 10:00", Decision.Status.PENDING, None),
        ("2026-03-20 10:00", Decision.Status.APPLIED, at("2026-03-22 10:00")),
    ):
        decision = Decision.objects.create(
            residence=tilleuls,
            target_type="member",
            target_id=h.m[8].pk,
            subject=h.m[8],
            action="mute",
            reason="spam",
            explanation="…",
            decided_by=staff,
            decided_as=Role.STAFF,
            needs=Role.CO_ANIMATOR,
            status=decided,
            second_at=second,
        )
        stamp(decision, created_at=at(created))

    # Sign-ins: m1..m6 at 01:00 on 29 March, m1 again at 00:30 on 30 March; not counted:
    # m12 (removed), the waiting p1, the staff. Autumn: m1..m5 at 23:30 on 25 October (winter
    # time again) and at 00:30 on 26 October (still the 25th in UTC).
    for n in range(1, 7):
        SignIn.objects.create(user=h.m[n], at=at("2026-03-29 01:00"))
    SignIn.objects.create(user=h.m[1], at=at("2026-03-30 00:30"))
    for user in (h.m[12], waiting, staff):
        SignIn.objects.create(user=user, at=at("2026-03-20 10:00"))
    for n in range(1, 6):
        SignIn.objects.create(user=h.m[n], at=at("2026-10-25 23:30"))
        SignIn.objects.create(user=h.m[n], at=at("2026-10-26 00:30"))
    # Visits: m1..m7 on 29 March, m1 on 30 March, m12 on 20 March (removed by then).
    Visit.objects.bulk_create(
        [Visit(user=h.m[n], day=datetime.date(2026, 3, 29)) for n in range(1, 8)]
        + [
            Visit(user=h.m[1], day=datetime.date(2026, 3, 30)),
            Visit(user=h.m[12], day=datetime.date(2026, 3, 20)),
        ]
    )
    return h
