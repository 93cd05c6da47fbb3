"""The isolation matrix: every residence-scoped page, API endpoint and socket group.

An outsider (a member of another residence) gets 404 everywhere in the residence; a resident
gets 403 on every moderator or staff action. A private conversation is hidden (404) from
everyone but its participants, moderators and staff included. The completeness tests fail
when a new URL or endpoint taking a residence, membership, conversation or message id is added
without a row here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from apps.realtime import groups
from apps.residences.access import socket_groups_for
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Row:
    name: str  # URL name (namespace:name) or "api:<path>"
    method: str
    url: Callable[[World], str]
    allowed: tuple[str, ...]  # personas that get through (2xx/3xx)
    forbidden: tuple[str, ...]  # personas that get 403 (visible, not allowed)
    hidden: tuple[str, ...] = ("eve",)  # personas that get 404 (not visible at all)
    data: Callable[[World], dict[str, Any]] | None = None  # the body sent (default: "Bonjour")


R = lambda w: w.residence.pk  # noqa: E731
M = lambda w: w.pending.pk  # noqa: E731
A = lambda w: w.alice.pk  # noqa: E731

C = lambda w: w.conversation.pk  # noqa: E731
MSG = lambda w: w.message.pk  # noqa: E731

EVERYONE_INSIDE = ("alice", "bob", "claire")
NOT_PARTICIPANTS = ("eve", "claire", "dave")
MODERATORS = ("bob", "claire")

ROWS = [
    # Messaging: private conversations (Alice and Bob), the residence room, photos.
    Row(
        "messaging:conversation",
        "get",
        lambda w: f"/messages/{C(w)}/",
        ("alice", "bob"),
        (),
        NOT_PARTICIPANTS,
    ),
    Row(
        "messaging:send",
        "post",
        lambda w: f"/messages/{C(w)}/send/",
        ("alice", "bob"),
        (),
        NOT_PARTICIPANTS,
    ),
    Row(
        "messaging:edit",
        "get",
        lambda w: f"/messages/m/{MSG(w)}/edit/",
        ("alice",),
        ("bob",),
        NOT_PARTICIPANTS,
    ),
    Row(
        "messaging:delete",
        "post",
        lambda w: f"/messages/m/{MSG(w)}/delete/",
        ("alice",),
        ("bob",),
        NOT_PARTICIPANTS,
    ),
    Row(
        "messaging:image",
        "get",
        lambda w: f"/messages/m/{w.photo.pk}/image/",
        ("alice", "bob"),
        (),
        NOT_PARTICIPANTS,
    ),
    Row("messaging:room", "get", lambda w: f"/r/{R(w)}/room/", EVERYONE_INSIDE, ("dave",)),
    Row(
        "messaging:start_direct",
        "post",
        lambda w: f"/r/{R(w)}/members/{w.bob.user_id}/message/",
        EVERYONE_INSIDE,
        ("dave",),
    ),
    Row(
        "api:/conversations/{conversation_id}/messages",
        "get",
        lambda w: f"/api/v1/conversations/{C(w)}/messages",
        ("alice", "bob"),
        (),
        NOT_PARTICIPANTS,
    ),
    Row(
        "api:/conversations/{conversation_id}/messages",
        "post_json",
        lambda w: f"/api/v1/conversations/{C(w)}/messages",
        ("alice", "bob"),
        (),
        NOT_PARTICIPANTS,
    ),
    Row(
        "api:/conversations/{conversation_id}/read",
        "post_json",
        lambda w: f"/api/v1/conversations/{C(w)}/read",
        ("alice", "bob"),
        (),
        NOT_PARTICIPANTS,
    ),
    Row(
        "api:/messages/{message_id}",
        "patch",
        lambda w: f"/api/v1/messages/{MSG(w)}",
        ("alice",),
        ("bob",),
        NOT_PARTICIPANTS,
    ),
    Row(
        "api:/messages/{message_id}",
        "delete",
        lambda w: f"/api/v1/messages/{MSG(w)}",
        ("alice",),
        ("bob",),
        NOT_PARTICIPANTS,
    ),
    Row("residences:detail", "get", lambda w: f"/r/{R(w)}/", (*EVERYONE_INSIDE, "dave"), ()),
    Row("residences:members", "get", lambda w: f"/r/{R(w)}/members/", EVERYONE_INSIDE, ("dave",)),
    Row(
        "residences:member",
        "get",
        lambda w: f"/r/{R(w)}/members/{w.bob.user_id}/",
        EVERYONE_INSIDE,
        ("dave",),
    ),
    Row(
        "residences:requests",
        "get",
        lambda w: f"/r/{R(w)}/requests/",
        MODERATORS,
        ("alice", "dave"),
    ),
    Row(
        "residences:invitation",
        "get",
        lambda w: f"/r/{R(w)}/invitation/",
        MODERATORS,
        ("alice", "dave"),
    ),
    Row(
        "residences:invitation",
        "post",
        lambda w: f"/r/{R(w)}/invitation/",
        MODERATORS,
        ("alice", "dave"),
    ),
    Row(
        "residences:co_animators",
        "get",
        lambda w: f"/r/{R(w)}/co-animators/",
        ("claire",),
        ("alice", "bob", "dave"),
    ),
    Row(
        "residences:approve",
        "post",
        lambda w: f"/requests/{M(w)}/approve/",
        MODERATORS,
        ("alice", "dave"),
    ),
    Row(
        "residences:decline",
        "post",
        lambda w: f"/requests/{M(w)}/decline/",
        MODERATORS,
        ("alice", "dave"),
    ),
    Row(
        "residences:partners",
        "get",
        lambda w: f"/r/{R(w)}/partners/",
        ("claire",),
        ("alice", "bob", "dave"),
    ),
    Row(
        "residences:partners",
        "post",
        lambda w: f"/r/{R(w)}/partners/",
        ("claire",),
        ("alice", "bob", "dave"),
    ),
    Row(
        "residences:appoint",
        "post",
        lambda w: f"/members/{A(w)}/appoint/",
        ("claire",),
        ("alice", "bob", "dave"),
    ),
    Row(
        "residences:revoke",
        "post",
        lambda w: f"/members/{w.bob.pk}/revoke/",
        ("claire",),
        ("alice", "bob", "dave"),
    ),
    Row(
        "residences:create",
        "get",
        lambda w: f"/staff/landlords/{w.landlord.pk}/residences/new/",
        ("claire",),
        (),
        ("eve", "alice", "bob", "dave"),
    ),
    Row(
        "api:/residences/{residence_id}",
        "get",
        lambda w: f"/api/v1/residences/{R(w)}",
        (*EVERYONE_INSIDE, "dave"),
        (),
    ),
    Row(
        "api:/residences/{residence_id}/members",
        "get",
        lambda w: f"/api/v1/residences/{R(w)}/members",
        EVERYONE_INSIDE,
        ("dave",),
    ),
]
# Service exchanges. Members see and post; partners see nothing (404) and may not post (403);
# only the author changes an exchange; the author or an accepted responder completes it.
# Zoé, a resident outside the personas, is the other party (see _exchanges below).


def _exchanges(w: World) -> dict[str, Any]:
    """Exchanges in every state, created on first use: Alice's open request that Zoé answered,
    Zoé's open offer, Alice's request in progress and one done (Zoé accepted in both)."""
    cached = getattr(w, "exchanges", None)
    if cached is not None:
        return cached
    from apps.exchanges import actions as exchange_actions
    from apps.residences.models import Membership, Role, Status
    from tests.conftest import make_user

    zoe = make_user("zoe@test.fr", "Zoé", "Autre")
    Membership.objects.create(
        user=zoe, residence=w.residence, role=Role.RESIDENT, status=Status.ACTIVE
    )
    alice = w.alice.user

    def new(author: Any, kind: str = "request") -> Any:
        return exchange_actions.post_exchange(
            author, w.residence, kind=kind, category="diy", title="Une étagère"
        )

    opened = new(alice)
    response = exchange_actions.respond(zoe, opened, "Je peux")
    progress = new(alice)
    exchange_actions.accept_response(
        alice, progress, exchange_actions.respond(zoe, progress, "Moi").pk
    )
    done = new(alice)
    exchange_actions.accept_response(alice, done, exchange_actions.respond(zoe, done, "Oui").pk)
    exchange_actions.complete_exchange(alice, done)
    cached = {
        "open": opened.pk,
        "response": response.pk,
        "offer": new(zoe, "offer").pk,
        "progress": progress.pk,
        "done": done.pk,
    }
    w.exchanges = cached  # type: ignore[attr-defined]
    return cached


def _renewable(w: World) -> int:
    """A new open request of Alice's ending tomorrow, so that each try may renew one."""
    import datetime

    from apps.exchanges import actions as exchange_actions

    return exchange_actions.post_exchange(
        w.alice.user,
        w.residence,
        kind="request",
        category="diy",
        title="Une étagère",
        ends_on=datetime.date.today() + datetime.timedelta(days=1),
    ).pk


X = lambda w: _exchanges(w)["open"]  # noqa: E731
NEW_EXCHANGE = lambda w: {"kind": "offer", "category": "other", "title": "Bonjour"}  # noqa: E731
NOT_AUTHOR = ("bob", "claire")
NOT_MEMBERS = ("eve", "dave")

ROWS += [
    Row(
        "exchanges:list", "get", lambda w: f"/r/{R(w)}/exchanges/", EVERYONE_INSIDE, (), NOT_MEMBERS
    ),
    Row("exchanges:new", "get", lambda w: f"/r/{R(w)}/exchanges/new/", EVERYONE_INSIDE, ("dave",)),
    Row(
        "exchanges:new",
        "post",
        lambda w: f"/r/{R(w)}/exchanges/new/",
        EVERYONE_INSIDE,
        ("dave",),
        data=NEW_EXCHANGE,
    ),
    Row(
        "exchanges:detail", "get", lambda w: f"/exchanges/{X(w)}/", EVERYONE_INSIDE, (), NOT_MEMBERS
    ),
    Row(
        "exchanges:edit",
        "get",
        lambda w: f"/exchanges/{X(w)}/edit/",
        ("alice",),
        NOT_AUTHOR,
        NOT_MEMBERS,
    ),
    Row(
        "exchanges:respond",
        "post",
        lambda w: f"/exchanges/{_exchanges(w)['offer']}/respond/",
        EVERYONE_INSIDE,
        (),
        NOT_MEMBERS,
        data=lambda w: {"message": "Bonjour"},
    ),
    Row(
        "exchanges:accept",
        "post",
        lambda w: f"/exchanges/{X(w)}/accept/",
        ("alice",),
        NOT_AUTHOR,
        NOT_MEMBERS,
        data=lambda w: {"response": _exchanges(w)["response"]},
    ),
    Row(
        "exchanges:complete",
        "post",
        lambda w: f"/exchanges/{_exchanges(w)['progress']}/complete/",
        ("alice",),
        NOT_AUTHOR,
        NOT_MEMBERS,
    ),
    Row(
        "exchanges:cancel",
        "post",
        lambda w: f"/exchanges/{X(w)}/cancel/",
        ("alice",),
        NOT_AUTHOR,
        NOT_MEMBERS,
    ),
    Row(
        "exchanges:reopen",
        "post",
        lambda w: f"/exchanges/{X(w)}/reopen/",
        ("alice",),
        NOT_AUTHOR,
        NOT_MEMBERS,
    ),
    Row(
        "exchanges:renew",
        "post",
        lambda w: f"/exchanges/{_renewable(w)}/renew/",
        ("alice",),
        NOT_AUTHOR,
        NOT_MEMBERS,
    ),
    Row(
        "exchanges:thanks",
        "post",
        lambda w: f"/exchanges/{_exchanges(w)['done']}/thanks/",
        ("alice",),
        NOT_AUTHOR,
        NOT_MEMBERS,
        data=lambda w: {"text": "Merci Zoé"},
    ),
    Row(
        "api:/residences/{residence_id}/exchanges",
        "get",
        lambda w: f"/api/v1/residences/{R(w)}/exchanges",
        EVERYONE_INSIDE,
        (),
        NOT_MEMBERS,
    ),
    Row(
        "api:/residences/{residence_id}/exchanges",
        "post_json",
        lambda w: f"/api/v1/residences/{R(w)}/exchanges",
        EVERYONE_INSIDE,
        ("dave",),
        data=NEW_EXCHANGE,
    ),
    Row(
        "api:/residences/{residence_id}/exchanges/recognition",
        "get",
        lambda w: f"/api/v1/residences/{R(w)}/exchanges/recognition",
        EVERYONE_INSIDE,
        (),
        NOT_MEMBERS,
    ),
    Row(
        "api:/exchanges/{exchange_id}",
        "get",
        lambda w: f"/api/v1/exchanges/{X(w)}",
        EVERYONE_INSIDE,
        (),
        NOT_MEMBERS,
    ),
    Row(
        "api:/exchanges/{exchange_id}",
        "patch",
        lambda w: f"/api/v1/exchanges/{X(w)}",
        ("alice",),
        NOT_AUTHOR,
        NOT_MEMBERS,
        data=lambda w: {"title": "Une étagère à monter"},
    ),
    Row(
        "api:/exchanges/{exchange_id}/responses",
        "post_json",
        lambda w: f"/api/v1/exchanges/{_exchanges(w)['offer']}/responses",
        EVERYONE_INSIDE,
        (),
        NOT_MEMBERS,
    ),
    Row(
        "api:/exchanges/{exchange_id}/accept",
        "post_json",
        lambda w: f"/api/v1/exchanges/{X(w)}/accept",
        ("alice",),
        NOT_AUTHOR,
        NOT_MEMBERS,
        data=lambda w: {"response_id": _exchanges(w)["response"]},
    ),
    Row(
        "api:/exchanges/{exchange_id}/complete",
        "post_json",
        lambda w: f"/api/v1/exchanges/{_exchanges(w)['progress']}/complete",
        ("alice",),
        NOT_AUTHOR,
        NOT_MEMBERS,
    ),
    Row(
        "api:/exchanges/{exchange_id}/renew",
        "post_json",
        lambda w: f"/api/v1/exchanges/{_renewable(w)}/renew",
        ("alice",),
        NOT_AUTHOR,
        NOT_MEMBERS,
    ),
    Row(
        "api:/exchanges/{exchange_id}/thanks",
        "post_json",
        lambda w: f"/api/v1/exchanges/{_exchanges(w)['done']}/thanks",
        ("alice",),
        NOT_AUTHOR,
        NOT_MEMBERS,
    ),
]

# Senior support. Members see help requests and post them; partners see nothing (404) and may
# not post (403); moderators post on behalf and see unanswered requests. Alice is the senior;
# Zoé (a volunteer outside the personas) takes one request (see _help below).


def _help(w: World) -> dict[str, Any]:
    cached = getattr(w, "help", None)
    if cached is not None:
        return cached
    from apps.residences.models import Membership, Role, Status
    from apps.seniors import actions as senior_actions
    from tests.conftest import make_user

    zoe = make_user("zoe.help@test.fr", "Zoé", "Solidaire")
    Membership.objects.create(
        user=zoe, residence=w.residence, role=Role.RESIDENT, status=Status.ACTIVE
    )
    senior_actions.opt_in_volunteer(zoe, w.residence, skills=["shopping"])
    for persona in (w.alice.user, w.bob.user, w.claire):
        senior_actions.opt_in_volunteer(persona, w.residence, skills=["shopping"])

    def new() -> Any:
        return senior_actions.post_help_request(
            w.alice.user, w.residence, kind="shopping", when_text="Mardi", contact="message"
        )

    opened = new()
    taken = new()
    senior_actions.take_request(zoe, taken)
    done = new()
    senior_actions.take_request(zoe, done)
    senior_actions.complete_request(zoe, done)
    cached = {"open": opened.pk, "taken": taken.pk, "done": done.pk, "zoe": zoe.pk}
    w.help = cached  # type: ignore[attr-defined]
    return cached


H = lambda w: _help(w)["open"]  # noqa: E731


def _fresh_help(w: World) -> int:
    """A new open request of Zoé's, so that every persona may try to take one."""
    from apps.accounts.models import User
    from apps.seniors import actions as senior_actions

    zoe = User.objects.get(pk=_help(w)["zoe"])
    return senior_actions.post_help_request(
        zoe, w.residence, kind="call", when_text="Demain", contact="message"
    ).pk


NEW_HELP = lambda w: {"kind": "call", "when_text": "Demain", "contact": "message"}  # noqa: E731


def _taken_call(w: World) -> int:
    """A call request of Alice's that Zoé took: Alice may plan a regular call from it."""
    from apps.accounts.models import User
    from apps.seniors import actions as senior_actions

    zoe = User.objects.get(pk=_help(w)["zoe"])
    call = senior_actions.post_help_request(
        w.alice.user, w.residence, kind="call", when_text="Lundi", contact="message"
    )
    return senior_actions.take_request(zoe, call).pk


def _new_aidant(w: World) -> dict[str, Any]:
    """A fresh member registered as Alice's helper (each request: another one)."""
    from apps.residences.models import Membership, Role, Status
    from tests.conftest import make_user

    n = Membership.objects.count()
    helper = make_user(f"aidant{n}@test.fr", "Aide", f"N{n}")
    Membership.objects.create(
        user=helper, residence=w.residence, role=Role.RESIDENT, status=Status.ACTIVE
    )
    return {
        "senior": w.alice.user_id,
        "aidant": helper.pk,
        "consent": "on",
        "how": "written",
        "senior_id": w.alice.user_id,
        "aidant_id": helper.pk,
    }


def _regular_visit(w: World) -> int:
    """A fresh weekly call between Alice (senior) and Zoé (volunteer), due today."""
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.seniors import visits
    from apps.seniors.models import HelpRequest

    help_request = HelpRequest.objects.get(pk=_taken_call(w))
    zoe = User.objects.get(pk=_help(w)["zoe"])
    return visits.set_up_regular_visit(
        zoe, help_request, every_days=7, next_on=timezone.localdate()
    ).pk


def _aidant_consent(w: World) -> int:
    """A fresh registered helper of Alice's, recorded by Bob."""
    from apps.seniors import actions as senior_actions

    data = _new_aidant(w)
    return senior_actions.register_aidant(
        w.bob.user,
        w.residence,
        senior_id=data["senior_id"],
        aidant_id=data["aidant_id"],
        how="oral",
    ).pk


def _case(w: World) -> int:
    """A fresh report on Alice's profile, by Bob: its case."""
    from apps.moderation import actions as moderation
    from apps.moderation.models import Case

    Case.objects.filter(target_type="profile", target_id=w.alice.pk).delete()
    return moderation.report(w.bob.user, "profile", w.alice.pk, reason="other").case_id


def _staff_decision(w: World) -> int:
    """A fresh decision of Claire's hiding Alice's profile: it waits for a co-animator."""
    from apps.moderation import actions as moderation

    return moderation.decide(
        w.claire,
        w.residence,
        target_type="profile",
        target_id=w.alice.pk,
        action="hide",
        reason="disrespect",
        explanation="Propos blessants.",
    ).pk


def _warning(w: World) -> int:
    """A fresh warning of Bob's to Alice (applied at once)."""
    from apps.moderation import actions as moderation

    return moderation.decide(
        w.bob.user,
        w.residence,
        target_type="member",
        target_id=w.alice.user_id,
        action="warn",
        reason="disrespect",
        explanation="Ton agressif.",
        message="Merci de rester courtois.",
    ).pk


def _appeal(w: World) -> int:
    """Alice contests a fresh warning of Bob's: the landlord's staff reviews it."""
    from apps.accounts.models import User
    from apps.moderation import actions as moderation
    from apps.moderation.models import Decision

    decision = Decision.objects.get(pk=_warning(w))
    alice = User.objects.get(pk=w.alice.user_id)
    return moderation.appeal(alice, decision, "Je conteste.").pk


NOTE = lambda w: {"note": "Je ne suis pas d'accord.", "message": "Je conteste."}  # noqa: E731


def _news(w: World) -> int:
    """A fresh news post by Bob (co-animator)."""
    from apps.community import actions as community

    return community.publish_post(w.bob.user, w.residence, kind="news", title="Atelier").pk


def _notice(w: World) -> int:
    """A fresh notice by Claire (landlord staff)."""
    import datetime

    from django.utils import timezone

    from apps.community import actions as community

    return community.publish_post(
        w.claire,
        w.residence,
        kind="notice",
        title="Coupure d'eau",
        category="water",
        valid_until=timezone.now() + datetime.timedelta(days=1),
    ).pk


def _initiative(w: World) -> int:
    """A fresh initiative of Alice's, with a photo, that Bob and Claire take part in."""
    from apps.accounts.models import User
    from apps.community import actions as community
    from apps.community import initiatives
    from apps.uploads.images import process_image
    from tests.uploads_helpers import photo_file

    alice = User.objects.get(pk=w.alice.user_id)
    post = initiatives.publish_initiative(
        alice, w.residence, title="Jardin", photos=[process_image(photo_file())]
    )
    for user in (User.objects.get(pk=w.bob.user_id), w.claire):
        community.react(user, post, "join")
    return post.pk


def _initiative_image(w: World) -> str:
    from apps.community.models import PostImage

    post_id = _initiative(w)
    return f"/posts/{post_id}/images/{PostImage.objects.get(post_id=post_id).pk}/"


NEWS_FORM = lambda w: {"title": "Atelier", "body": "Samedi", "audience": "residence"}  # noqa: E731


def _event(w: World) -> int:
    """A fresh event by Bob (co-animator), in five days."""
    import datetime

    from django.utils import timezone

    from apps.events import actions as events

    return events.publish_event(
        w.bob.user,
        w.residence,
        title="Fête des voisins",
        starts_at=timezone.now() + datetime.timedelta(days=5),
        place="Salle commune",
    ).pk


def _event_form(w: World) -> dict[str, Any]:
    import datetime

    from django.utils import timezone

    start = timezone.localtime() + datetime.timedelta(days=5)
    return {"title": "Loto", "starts_at": start.strftime("%Y-%m-%dT%H:%M"), "place": "Cour"}


_POLL_CHOICE: dict[str, int] = {}


def _poll(w: World) -> int:
    """A fresh poll by Bob (co-animator); its first answer is kept for the vote's body."""
    from apps.polls.models import Choice
    from tests.polls.helpers import poll

    post = poll(w)
    _POLL_CHOICE["first"] = Choice.objects.filter(poll_id=post.pk).order_by("position")[0].pk
    return post.pk


def _in_a_week() -> str:
    import datetime

    from django.utils import timezone

    return (timezone.localtime() + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")


_ROOM_SLOT: list[int] = [0]


def _room(w: World) -> int:
    """The residence's common room (declared by Claire, staff) on first use."""
    from apps.rooms.models import CommonRoom
    from tests.rooms.helpers import room

    found = CommonRoom.objects.filter(residence=w.residence).first()
    return (found or room(w)).pk


def _booking(w: World, *, approved: bool = False, public: bool = False) -> int:
    """A fresh request by Alice for the common room, each on a slot of its own."""
    from apps.rooms import actions as rooms
    from apps.rooms.models import CommonRoom
    from tests.rooms.helpers import ask

    _ROOM_SLOT[0] += 1
    booking = ask(
        w, CommonRoom.objects.get(pk=_room(w)), days=2 + _ROOM_SLOT[0], hour=10, public=public
    )
    if approved:
        rooms.approve_booking(w.claire, booking)
    return booking.pk


def _booking_form(w: World) -> dict[str, Any]:
    import datetime

    from django.utils import timezone

    day = timezone.localdate() + datetime.timedelta(days=1)
    return {
        "room": _room(w),
        "day": day.isoformat(),
        "start": "18:00",
        "duration": "60",
        "purpose": "Anniversaire",
    }


def _booking_json(w: World) -> dict[str, Any]:
    from tests.rooms.helpers import at

    return {
        "room_id": _room(w),
        "starts_at": at(1, 18).isoformat(),
        "ends_at": at(1, 19).isoformat(),
        "purpose": "Anniversaire",
    }


ROOM_FORM = lambda w: {"name": "Salle B", "capacity": "20"}  # noqa: E731


VOTE_FORM = lambda w: {"choice": _POLL_CHOICE["first"]}  # noqa: E731
VOTE_JSON = lambda w: {"choice_ids": [_POLL_CHOICE["first"]]}  # noqa: E731
POLL_FORM = lambda w: {  # noqa: E731
    "title": "Salle commune ?",
    "choices": "Ateliers\nFêtes",
    "closes_at": _in_a_week(),
}


REGULAR = lambda w: {"every_days": 7, "next_on": "2099-01-05"}  # noqa: E731
ON_BEHALF = lambda w: {  # noqa: E731
    "senior": w.alice.user_id,
    "consent": "on",
    "consent_how": "oral",
    "kind": "visit",
    "when_text": "Jeudi",
    "contact": "message",
}

ROWS += [
    Row("seniors:list", "get", lambda w: f"/r/{R(w)}/help/", EVERYONE_INSIDE, (), NOT_MEMBERS),
    Row("seniors:new", "get", lambda w: f"/r/{R(w)}/help/new/", EVERYONE_INSIDE, ("dave",)),
    Row(
        "seniors:new",
        "post",
        lambda w: f"/r/{R(w)}/help/new/",
        EVERYONE_INSIDE,
        ("dave",),
        data=lambda w: {"kind": "shopping"},
    ),
    Row(
        "seniors:on_behalf",
        "get",
        lambda w: f"/r/{R(w)}/help/on-behalf/",
        MODERATORS,
        ("alice", "dave"),
    ),
    Row(
        "seniors:on_behalf",
        "post",
        lambda w: f"/r/{R(w)}/help/on-behalf/",
        MODERATORS,
        ("alice", "dave"),
        data=ON_BEHALF,
    ),
    Row(
        "seniors:volunteer",
        "get",
        lambda w: f"/r/{R(w)}/help/volunteer/",
        EVERYONE_INSIDE,
        ("dave",),
    ),
    Row(
        "seniors:volunteer",
        "post",
        lambda w: f"/r/{R(w)}/help/volunteer/",
        EVERYONE_INSIDE,
        ("dave",),
        data=lambda w: {"skills": ["call"]},
    ),
    Row(
        "seniors:waiting",
        "get",
        lambda w: f"/r/{R(w)}/help/waiting/",
        MODERATORS,
        ("alice", "dave"),
    ),
    Row(
        "seniors:checkin_plan",
        "get",
        lambda w: f"/r/{R(w)}/help/checkin/",
        EVERYONE_INSIDE,
        ("dave",),
    ),
    Row(
        "seniors:checkin_plan",
        "post",
        lambda w: f"/r/{R(w)}/help/checkin/",
        EVERYONE_INSIDE,
        ("dave",),
        data=lambda w: {"deadline": "10:00", "contact": _help(w)["zoe"]},
    ),
    Row("seniors:detail", "get", lambda w: f"/help/{H(w)}/", EVERYONE_INSIDE, (), NOT_MEMBERS),
    Row("seniors:take", "post", lambda w: f"/help/{H(w)}/take/", EVERYONE_INSIDE, (), NOT_MEMBERS),
    Row(
        "seniors:complete",
        "post",
        lambda w: f"/help/{_help(w)['taken']}/complete/",
        ("alice",),
        NOT_AUTHOR,
        NOT_MEMBERS,
    ),
    Row(
        "seniors:cancel",
        "post",
        lambda w: f"/help/{H(w)}/cancel/",
        ("alice",),
        NOT_AUTHOR,
        NOT_MEMBERS,
    ),
    Row(
        "seniors:thanks",
        "post",
        lambda w: f"/help/{_help(w)['done']}/thanks/",
        ("alice",),
        NOT_AUTHOR,
        NOT_MEMBERS,
        data=lambda w: {"text": "Merci Zoé"},
    ),
    Row(
        "seniors:assign",
        "post",
        lambda w: f"/help/{H(w)}/assign/",
        MODERATORS,
        ("alice",),
        NOT_MEMBERS,
        data=lambda w: {"volunteer": _help(w)["zoe"]},
    ),
    Row(
        "api:/residences/{residence_id}/help-requests",
        "get",
        lambda w: f"/api/v1/residences/{R(w)}/help-requests",
        EVERYONE_INSIDE,
        (),
        NOT_MEMBERS,
    ),
    Row(
        "api:/residences/{residence_id}/help-requests",
        "post_json",
        lambda w: f"/api/v1/residences/{R(w)}/help-requests",
        EVERYONE_INSIDE,
        ("dave",),
        data=NEW_HELP,
    ),
    Row(
        "api:/help-requests/{help_request_id}/take",
        "post_json",
        lambda w: f"/api/v1/help-requests/{_fresh_help(w)}/take",
        EVERYONE_INSIDE,
        (),
        NOT_MEMBERS,
    ),
    Row(
        "api:/help-requests/{help_request_id}/complete",
        "post_json",
        lambda w: f"/api/v1/help-requests/{_help(w)['taken']}/complete",
        ("alice",),
        NOT_AUTHOR,
        NOT_MEMBERS,
    ),
    Row(
        "api:/residences/{residence_id}/volunteers",
        "post_json",
        lambda w: f"/api/v1/residences/{R(w)}/volunteers",
        EVERYONE_INSIDE,
        ("dave",),
        data=lambda w: {"skills": ["call"]},
    ),
    Row(
        "seniors:visit_new",
        "post",
        lambda w: f"/help/{_taken_call(w)}/regular/",
        ("alice",),
        NOT_AUTHOR,
        NOT_MEMBERS,
        data=REGULAR,
    ),
    Row(
        "seniors:aidants",
        "get",
        lambda w: f"/r/{R(w)}/help/aidants/",
        EVERYONE_INSIDE,
        (),
        NOT_MEMBERS,
    ),
    Row(
        "seniors:aidants",
        "post",
        lambda w: f"/r/{R(w)}/help/aidants/",
        MODERATORS,
        ("alice",),
        NOT_MEMBERS,
        data=_new_aidant,
    ),
    Row(
        "api:/residences/{residence_id}/regular-visits",
        "get",
        lambda w: f"/api/v1/residences/{R(w)}/regular-visits",
        EVERYONE_INSIDE,
        (),
        NOT_MEMBERS,
    ),
    Row(
        "api:/help-requests/{help_request_id}/regular-visits",
        "post_json",
        lambda w: f"/api/v1/help-requests/{_taken_call(w)}/regular-visits",
        ("alice",),
        NOT_AUTHOR,
        NOT_MEMBERS,
        data=REGULAR,
    ),
    Row(
        "api:/residences/{residence_id}/aidants",
        "get",
        lambda w: f"/api/v1/residences/{R(w)}/aidants",
        EVERYONE_INSIDE,
        (),
        NOT_MEMBERS,
    ),
    Row(
        "api:/residences/{residence_id}/aidants",
        "post_json",
        lambda w: f"/api/v1/residences/{R(w)}/aidants",
        MODERATORS,
        ("alice", "dave"),
        data=lambda w: {k: v for k, v in _new_aidant(w).items() if k.endswith("_id") or k == "how"},
    ),
    Row(
        "seniors:visit_done",
        "post",
        lambda w: f"/visits/{_regular_visit(w)}/done/",
        ("alice",),
        ("bob", "claire"),
        ("eve", "dave"),
    ),
    Row(
        "seniors:visit_stop",
        "post",
        lambda w: f"/visits/{_regular_visit(w)}/stop/",
        ("alice", "bob", "claire"),
        (),
        ("eve", "dave"),
    ),
    Row(
        "api:/regular-visits/{visit_id}/done",
        "post_json",
        lambda w: f"/api/v1/regular-visits/{_regular_visit(w)}/done",
        ("alice",),
        ("bob", "claire"),
        ("eve", "dave"),
    ),
    Row(
        "api:/regular-visits/{visit_id}/stop",
        "post_json",
        lambda w: f"/api/v1/regular-visits/{_regular_visit(w)}/stop",
        ("alice", "bob", "claire"),
        (),
        ("eve", "dave"),
    ),
    Row(
        "seniors:aidant_revoke",
        "post",
        lambda w: f"/aidants/{_aidant_consent(w)}/revoke/",
        ("alice", "bob", "claire"),
        (),
        ("eve", "dave"),
    ),
    Row(
        "api:/aidants/{consent_id}/revoke",
        "post_json",
        lambda w: f"/api/v1/aidants/{_aidant_consent(w)}/revoke",
        ("alice", "bob", "claire"),
        (),
        ("eve", "dave"),
    ),
]

# Heatwave plan: only landlord staff (Claire) start and stop it; members join and leave the
# register and open the call list (partners: 403 / 404); a call is recorded by its volunteer or
# a moderator (Alice, who is not its volunteer: 403).

HEATWAVE_PHONE = lambda w: {"phone": "06 12 34 56 78"}  # noqa: E731


def _heatwave_on(w: World) -> int:
    """The residence in heatwave mode (started once by Claire)."""
    from apps.seniors import heatwave
    from apps.seniors.models import Heatwave

    if not Heatwave.objects.filter(residence=w.residence, ended_at__isnull=True).exists():
        heatwave.start_heatwave(w.claire, w.residence)
    return int(w.residence.pk)


def _all_registered(w: World) -> int:
    """Alice, Bob and Claire on the heatwave register (each may leave it)."""
    from apps.seniors import heatwave
    from apps.seniors.models import HeatwaveRegistration

    for person in (w.alice.user, w.bob.user, w.claire):
        if not HeatwaveRegistration.objects.filter(senior=person, active=True).exists():
            heatwave.join_register(person, w.residence, phone="06 12 34 56 78")
    return int(w.residence.pk)


def _heatwave_call(w: World) -> int:
    """A fresh line of today's call list: a new registered senior, given to Zoé."""
    from apps.residences.models import Membership, Role, Status
    from apps.seniors import heatwave
    from apps.seniors.models import HeatwaveCall
    from tests.conftest import make_user

    _help(w)  # Zoé, Alice, Bob and Claire are volunteers
    from apps.seniors.models import Volunteer

    Volunteer.objects.filter(residence=w.residence).exclude(user_id=_help(w)["zoe"]).update(
        active=False
    )
    _heatwave_on(w)
    n = Membership.objects.count()
    senior = make_user(f"canicule{n}@test.fr", "Senior", f"N{n}")
    Membership.objects.create(
        user=senior, residence=w.residence, role=Role.RESIDENT, status=Status.ACTIVE
    )
    heatwave.join_register(senior, w.residence, phone="06 12 34 56 78")
    heatwave.make_call_list(w.residence.pk)
    return HeatwaveCall.objects.get(registration__senior=senior).pk


ROWS += [
    Row(
        "seniors:heatwave_start",
        "post",
        lambda w: f"/r/{R(w)}/help/heatwave/start/",
        ("claire",),
        ("alice", "bob"),
        NOT_MEMBERS,
    ),
    Row(
        "seniors:heatwave_stop",
        "post",
        lambda w: f"/r/{_heatwave_on(w)}/help/heatwave/stop/",
        ("claire",),
        ("alice", "bob"),
        NOT_MEMBERS,
    ),
    Row(
        "seniors:heatwave_register",
        "get",
        lambda w: f"/r/{R(w)}/help/heatwave/register/",
        EVERYONE_INSIDE,
        ("dave",),
    ),
    Row(
        "seniors:heatwave_register",
        "post",
        lambda w: f"/r/{R(w)}/help/heatwave/register/",
        EVERYONE_INSIDE,
        ("dave",),
        data=HEATWAVE_PHONE,
    ),
    Row(
        "seniors:heatwave_leave",
        "post",
        lambda w: f"/r/{_all_registered(w)}/help/heatwave/leave/",
        EVERYONE_INSIDE,
        ("dave",),
    ),
    Row(
        "seniors:heatwave_calls",
        "get",
        lambda w: f"/r/{_heatwave_on(w)}/help/heatwave/calls/",
        EVERYONE_INSIDE,
        (),
        NOT_MEMBERS,
    ),
    Row(
        "seniors:heatwave_call",
        "post",
        lambda w: f"/heatwave-calls/{_heatwave_call(w)}/",
        MODERATORS,
        ("alice",),
        NOT_MEMBERS,
        data=lambda w: {"outcome": "no_answer"},
    ),
    Row(
        "api:/residences/{residence_id}/heatwave",
        "post_json",
        lambda w: f"/api/v1/residences/{R(w)}/heatwave",
        ("claire",),
        ("alice", "bob"),
        NOT_MEMBERS,
    ),
    Row(
        "api:/residences/{residence_id}/heatwave",
        "delete",
        lambda w: f"/api/v1/residences/{_heatwave_on(w)}/heatwave",
        ("claire",),
        ("alice", "bob"),
        NOT_MEMBERS,
    ),
    Row(
        "api:/residences/{residence_id}/heatwave-register",
        "post_json",
        lambda w: f"/api/v1/residences/{R(w)}/heatwave-register",
        EVERYONE_INSIDE,
        ("dave",),
        data=HEATWAVE_PHONE,
    ),
    Row(
        "api:/residences/{residence_id}/heatwave-register",
        "delete",
        lambda w: f"/api/v1/residences/{_all_registered(w)}/heatwave-register",
        EVERYONE_INSIDE,
        ("dave",),
    ),
    Row(
        "api:/residences/{residence_id}/heatwave/calls",
        "get",
        lambda w: f"/api/v1/residences/{_heatwave_on(w)}/heatwave/calls",
        EVERYONE_INSIDE,
        (),
        NOT_MEMBERS,
    ),
    Row(
        "api:/heatwave-calls/{call_id}",
        "post_json",
        lambda w: f"/api/v1/heatwave-calls/{_heatwave_call(w)}",
        MODERATORS,
        ("alice",),
        NOT_MEMBERS,
        data=lambda w: {"outcome": "no_answer"},
    ),
    Row(
        "moderation:queue",
        "get",
        lambda w: f"/r/{R(w)}/moderation/",
        MODERATORS,
        ("alice", "dave"),
    ),
    Row(
        "moderation:log",
        "get",
        lambda w: f"/r/{R(w)}/moderation/log/",
        EVERYONE_INSIDE,
        ("dave",),
    ),
    Row(
        "moderation:mine",
        "get",
        lambda w: f"/r/{R(w)}/moderation/mine/",
        EVERYONE_INSIDE,
        ("dave",),
    ),
    Row(
        "moderation:settings",
        "get",
        lambda w: f"/r/{R(w)}/moderation/settings/",
        MODERATORS,
        ("alice", "dave"),
    ),
    Row(
        "moderation:settings",
        "post",
        lambda w: f"/r/{R(w)}/moderation/settings/",
        MODERATORS,
        ("alice", "dave"),
        data=lambda w: {"keywords": "arnaque", "charter": ""},
    ),
    Row(
        "moderation:charter",
        "get",
        lambda w: f"/r/{R(w)}/charter/",
        ("alice", "bob", "claire", "dave"),
        (),
    ),
    Row(
        "moderation:moderate_member",
        "get",
        lambda w: f"/r/{R(w)}/members/{w.alice.user_id}/moderate/",
        MODERATORS,
        ("alice", "dave"),
    ),
    Row(
        "moderation:report",
        "get",
        lambda w: f"/report/profile/{w.bob.pk}/",
        EVERYONE_INSIDE,
        (),
        ("eve", "dave"),
    ),
    Row(
        "moderation:open_case",
        "post",
        lambda w: f"/moderate/profile/{w.alice.pk}/",
        MODERATORS,
        ("alice",),
        ("dave", "eve"),
    ),
    Row(
        "moderation:case",
        "get",
        lambda w: f"/moderation/cases/{_case(w)}/",
        MODERATORS,
        (),
        ("alice", "dave", "eve"),
    ),
    Row(
        "moderation:decision",
        "get",
        lambda w: f"/moderation/decisions/{_staff_decision(w)}/",
        EVERYONE_INSIDE,
        (),
        ("dave", "eve"),
    ),
    Row(
        "moderation:agree",
        "post",
        lambda w: f"/moderation/decisions/{_staff_decision(w)}/agree/",
        ("bob",),
        ("alice", "claire"),
        ("dave", "eve"),
    ),
    Row(
        "moderation:decline",
        "post",
        lambda w: f"/moderation/decisions/{_staff_decision(w)}/decline/",
        ("bob",),
        ("alice", "claire"),
        ("dave", "eve"),
        data=NOTE,
    ),
    Row(
        "moderation:appeal",
        "post",
        lambda w: f"/moderation/decisions/{_warning(w)}/appeal/",
        ("alice",),
        ("bob", "claire"),
        ("dave", "eve"),
        data=NOTE,
    ),
    Row(
        "moderation:review_appeal",
        "post",
        lambda w: f"/moderation/appeals/{_appeal(w)}/review/",
        ("claire",),
        ("bob",),
        ("alice", "dave", "eve"),
        data=NOTE,
    ),
    Row(
        "api:/residences/{residence_id}/moderation/queue",
        "get",
        lambda w: f"/api/v1/residences/{R(w)}/moderation/queue",
        MODERATORS,
        ("alice", "dave"),
    ),
    Row(
        "api:/residences/{residence_id}/moderation/log",
        "get",
        lambda w: f"/api/v1/residences/{R(w)}/moderation/log",
        EVERYONE_INSIDE,
        ("dave",),
    ),
    Row(
        "api:/moderation/decisions/{decision_id}/agree",
        "post_json",
        lambda w: f"/api/v1/moderation/decisions/{_staff_decision(w)}/agree",
        ("bob",),
        ("alice", "claire"),
        ("dave", "eve"),
        data=NOTE,
    ),
    Row(
        "api:/moderation/decisions/{decision_id}/decline",
        "post_json",
        lambda w: f"/api/v1/moderation/decisions/{_staff_decision(w)}/decline",
        ("bob",),
        ("alice", "claire"),
        ("dave", "eve"),
        data=NOTE,
    ),
    Row(
        "api:/moderation/decisions/{decision_id}/appeal",
        "post_json",
        lambda w: f"/api/v1/moderation/decisions/{_warning(w)}/appeal",
        ("alice",),
        ("bob", "claire"),
        ("dave", "eve"),
        data=NOTE,
    ),
    Row(
        "community:feed",
        "get",
        lambda w: f"/r/{R(w)}/feed/",
        ("alice", "bob", "claire", "dave"),
        (),
    ),
    Row(
        "community:new",
        "get",
        lambda w: f"/r/{R(w)}/feed/new/notice/",
        ("claire",),
        ("alice", "bob", "dave"),
    ),
    Row(
        "community:new",
        "post",
        lambda w: f"/r/{R(w)}/feed/new/news/",
        ("bob", "claire", "dave"),
        ("alice",),
        data=NEWS_FORM,
    ),
    Row(
        "community:post",
        "get",
        lambda w: f"/posts/{_news(w)}/",
        EVERYONE_INSIDE,
        (),
        ("eve", "dave"),
    ),
    Row(
        "community:print",
        "get",
        lambda w: f"/posts/{_notice(w)}/print/",
        EVERYONE_INSIDE,
        (),
        ("eve", "dave"),
    ),
    Row(
        "community:comment",
        "post",
        lambda w: f"/posts/{_news(w)}/comment/",
        EVERYONE_INSIDE,
        (),
        ("eve", "dave"),
    ),
    Row(
        "community:status",
        "post",
        lambda w: f"/posts/{_initiative(w)}/initiative/status/",
        ("alice", "bob", "claire"),
        (),
        ("eve", "dave"),
        data=lambda w: {"status": "preparing"},
    ),
    Row(
        "community:team",
        "post",
        lambda w: f"/posts/{_initiative(w)}/initiative/team/",
        ("alice", "bob", "claire"),
        (),
        ("eve", "dave"),
    ),
    Row(
        "community:outcome",
        "post",
        lambda w: f"/posts/{_initiative(w)}/initiative/outcome/",
        ("alice", "bob", "claire"),
        (),
        ("eve", "dave"),
        data=lambda w: {"outcome": "Six bacs plantés"},
    ),
    Row("community:image", "get", _initiative_image, EVERYONE_INSIDE, (), ("eve", "dave")),
    Row(
        "community:react",
        "post",
        lambda w: f"/posts/{_news(w)}/react/",
        EVERYONE_INSIDE,
        (),
        ("eve", "dave"),
        data=lambda w: {"kind": "thanks"},
    ),
    Row(
        "community:delete",
        "post",
        lambda w: f"/posts/{_news(w)}/delete/",
        ("bob",),
        ("alice", "claire"),
        ("eve", "dave"),
    ),
    Row(
        "polls:new",
        "get",
        lambda w: f"/r/{R(w)}/feed/new-poll/",
        ("bob", "claire"),
        ("alice", "dave"),
    ),
    Row(
        "polls:new",
        "post",
        lambda w: f"/r/{R(w)}/feed/new-poll/",
        ("bob", "claire"),
        ("alice", "dave"),
        data=POLL_FORM,
    ),
    Row(
        "polls:vote",
        "post",
        lambda w: f"/posts/{_poll(w)}/vote/",
        EVERYONE_INSIDE,
        (),
        ("eve", "dave"),
        data=VOTE_FORM,
    ),
    Row(
        "polls:close",
        "post",
        lambda w: f"/posts/{_poll(w)}/close-poll/",
        MODERATORS,
        ("alice",),
        ("eve", "dave"),
    ),
    Row(
        "events:new",
        "post",
        lambda w: f"/r/{R(w)}/feed/new-event/",
        ("bob", "claire", "dave"),
        ("alice",),
        data=_event_form,
    ),
    Row(
        "events:rsvp",
        "post",
        lambda w: f"/posts/{_event(w)}/rsvp/",
        EVERYONE_INSIDE,
        ("dave",),
        ("eve",),
        data=lambda w: {"going": "1"},
    ),
    Row(
        "events:cancel",
        "post",
        lambda w: f"/posts/{_event(w)}/cancel-event/",
        MODERATORS,
        ("alice", "dave"),
        ("eve",),
    ),
    Row(
        "events:ics",
        "get",
        lambda w: f"/posts/{_event(w)}/event.ics",
        ("alice", "bob", "claire", "dave"),
        (),
        ("eve",),
    ),
    Row(
        "rooms:index",
        "get",
        lambda w: f"/r/{R(w)}/rooms/",
        EVERYONE_INSIDE,
        (),
        ("eve", "dave"),
    ),
    Row(
        "rooms:index",
        "post",
        lambda w: f"/r/{R(w)}/rooms/",
        EVERYONE_INSIDE,
        (),
        ("eve", "dave"),
        data=_booking_form,
    ),
    Row(
        "rooms:new",
        "get",
        lambda w: f"/r/{R(w)}/rooms/new/",
        ("claire",),
        ("alice", "bob"),
        ("eve", "dave"),
    ),
    Row(
        "rooms:new",
        "post",
        lambda w: f"/r/{R(w)}/rooms/new/",
        ("claire",),
        ("alice", "bob"),
        ("eve", "dave"),
        data=ROOM_FORM,
    ),
    Row(
        "rooms:edit",
        "post",
        lambda w: f"/rooms/{_room(w)}/edit/",
        ("claire",),
        ("alice", "bob"),
        ("eve", "dave"),
        data=ROOM_FORM,
    ),
    Row(
        "rooms:requests",
        "get",
        lambda w: f"/r/{R(w)}/rooms/requests/",
        MODERATORS,
        ("alice",),
        ("eve", "dave"),
    ),
    Row(
        "rooms:approve",
        "post",
        lambda w: f"/room-bookings/{_booking(w)}/approve/",
        MODERATORS,
        ("alice",),
        ("eve", "dave"),
    ),
    Row(
        "rooms:decline",
        "post",
        lambda w: f"/room-bookings/{_booking(w)}/decline/",
        MODERATORS,
        ("alice",),
        ("eve", "dave"),
        data=lambda w: {"reason": "Travaux"},
    ),
    Row(
        "rooms:cancel",
        "post",
        lambda w: f"/room-bookings/{_booking(w)}/cancel/",
        ("alice",),
        ("bob", "claire"),
        ("eve", "dave"),
    ),
    Row(
        "rooms:make_event",
        "post",
        lambda w: f"/room-bookings/{_booking(w, approved=True, public=True)}/make-event/",
        MODERATORS,
        ("alice",),
        ("eve", "dave"),
    ),
    Row(
        "api:/residences/{residence_id}/room-bookings",
        "get",
        lambda w: f"/api/v1/residences/{R(w)}/room-bookings",
        EVERYONE_INSIDE,
        (),
        ("eve", "dave"),
    ),
    Row(
        "api:/residences/{residence_id}/room-bookings",
        "post_json",
        lambda w: f"/api/v1/residences/{R(w)}/room-bookings",
        EVERYONE_INSIDE,
        (),
        ("eve", "dave"),
        data=_booking_json,
    ),
    Row(
        "api:/room-bookings/{booking_id}/approve",
        "post_json",
        lambda w: f"/api/v1/room-bookings/{_booking(w)}/approve",
        MODERATORS,
        ("alice",),
        ("eve", "dave"),
    ),
    Row(
        "api:/room-bookings/{booking_id}/decline",
        "post_json",
        lambda w: f"/api/v1/room-bookings/{_booking(w)}/decline",
        MODERATORS,
        ("alice",),
        ("eve", "dave"),
        data=lambda w: {"reason": "Travaux"},
    ),
    Row(
        "api:/room-bookings/{booking_id}/cancel",
        "post_json",
        lambda w: f"/api/v1/room-bookings/{_booking(w)}/cancel",
        ("alice",),
        ("bob", "claire"),
        ("eve", "dave"),
    ),
    Row(
        "api:/posts/{post_id}/rsvp",
        "post_json",
        lambda w: f"/api/v1/posts/{_event(w)}/rsvp",
        EVERYONE_INSIDE,
        ("dave",),
        ("eve",),
        data=lambda w: {"going": True},
    ),
    Row(
        "api:/residences/{residence_id}/feed",
        "get",
        lambda w: f"/api/v1/residences/{R(w)}/feed",
        ("alice", "bob", "claire", "dave"),
        (),
    ),
    Row(
        "api:/residences/{residence_id}/posts",
        "post_json",
        lambda w: f"/api/v1/residences/{R(w)}/posts",
        ("bob", "claire", "dave"),
        ("alice",),
        data=lambda w: {"kind": "news", "title": "Atelier"},
    ),
    Row(
        "api:/posts/{post_id}",
        "get",
        lambda w: f"/api/v1/posts/{_news(w)}",
        EVERYONE_INSIDE,
        (),
        ("eve", "dave"),
    ),
    Row(
        "api:/posts/{post_id}",
        "patch",
        lambda w: f"/api/v1/posts/{_news(w)}",
        ("bob",),
        ("alice", "claire"),
        ("eve", "dave"),
        data=lambda w: {"title": "Atelier reporté"},
    ),
    Row(
        "api:/posts/{post_id}",
        "delete",
        lambda w: f"/api/v1/posts/{_news(w)}",
        ("bob",),
        ("alice", "claire"),
        ("eve", "dave"),
    ),
    Row(
        "api:/posts/{post_id}/comments",
        "post_json",
        lambda w: f"/api/v1/posts/{_news(w)}/comments",
        EVERYONE_INSIDE,
        (),
        ("eve", "dave"),
    ),
    Row(
        "api:/posts/{post_id}/reactions",
        "post_json",
        lambda w: f"/api/v1/posts/{_news(w)}/reactions",
        EVERYONE_INSIDE,
        (),
        ("eve", "dave"),
        data=lambda w: {"kind": "join"},
    ),
    Row(
        "api:/posts/{post_id}/poll",
        "get",
        lambda w: f"/api/v1/posts/{_poll(w)}/poll",
        EVERYONE_INSIDE,
        (),
        ("eve", "dave"),
    ),
    Row(
        "api:/posts/{post_id}/votes",
        "post_json",
        lambda w: f"/api/v1/posts/{_poll(w)}/votes",
        EVERYONE_INSIDE,
        (),
        ("eve", "dave"),
        data=VOTE_JSON,
    ),
]
# Participation indicators: co-animators their residence, the landlord's staff every residence
# of the landlord; residents and partners never (403: they see the residence and its landlord).
L = lambda w: w.landlord.pk  # noqa: E731
ROWS += [
    *[
        Row(name, "get", url, ("claire", "bob"), ("alice", "dave"))
        for name, url in (
            ("insights:residence", lambda w: f"/r/{R(w)}/indicators/"),
            ("insights:residence_csv", lambda w: f"/r/{R(w)}/indicators/csv/"),
            ("insights:report", lambda w: f"/r/{R(w)}/indicators/report/"),
            (
                "api:/residences/{residence_id}/indicators",
                lambda w: f"/api/v1/residences/{R(w)}/indicators",
            ),
        )
    ],
    Row(
        "insights:dwellings",
        "post",
        lambda w: f"/r/{R(w)}/indicators/dwellings/",
        ("claire",),
        ("alice", "bob", "dave"),
        data=lambda w: {"dwellings": "50"},
    ),
    *[
        Row(name, "get", url, ("claire",), ("bob", "alice", "dave"))
        for name, url in (
            ("insights:landlord", lambda w: f"/indicators/landlords/{L(w)}/"),
            ("insights:landlord_csv", lambda w: f"/indicators/landlords/{L(w)}/csv/"),
            (
                "api:/landlords/{landlord_id}/indicators",
                lambda w: f"/api/v1/landlords/{L(w)}/indicators",
            ),
        )
    ],
]

PERSONAS = ("alice", "bob", "claire", "dave", "eve")


def _client(world: World, persona: str) -> Client:
    target = {"claire": world.claire, "dave": world.dave}.get(persona) or getattr(world, persona)
    return client_for(target)


def _request(client: Client, row: Row, world: World) -> int:
    url = row.url(world)
    body = row.data(world) if row.data else {"body": "Bonjour"}
    if row.method == "get":
        return client.get(url).status_code
    if row.method == "post":
        return client.post(url, body).status_code
    if row.method == "post_json":
        return client.post(url, body, content_type="application/json").status_code
    if row.method == "patch":
        return client.patch(url, body, content_type="application/json").status_code
    return client.delete(url).status_code


@pytest.fixture
def world(world: World) -> World:
    """The personas' world, with a photo in Alice and Bob's conversation."""
    from apps.messaging.models import Message
    from tests.uploads_helpers import stored_photo

    world.photo = Message.objects.create(
        conversation=world.conversation,
        author=world.alice.user,
        image=stored_photo(world.alice.user),
    )
    return world


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.method}-{r.name}")
def test_those_who_must_not_see_it_get_404(world: World, row: Row) -> None:
    for persona in row.hidden:
        assert _request(_client(world, persona), row, world) == 404, persona


@pytest.mark.parametrize(
    "row", [r for r in ROWS if r.forbidden], ids=lambda r: f"{r.method}-{r.name}"
)
def test_a_member_without_the_role_gets_403(world: World, row: Row) -> None:
    for persona in row.forbidden:
        assert _request(_client(world, persona), row, world) == 403, persona


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.method}-{r.name}")
def test_allowed_roles_get_through(world: World, row: Row) -> None:
    for persona in row.allowed:
        status = _request(_client(world, persona), row, world)
        assert status in {200, 201, 204, 302}, (persona, status)


def test_every_persona_is_classified_for_every_row() -> None:
    for row in ROWS:
        assert not set(row.allowed) & set(row.forbidden), row.name
        assert "eve" in row.hidden, row.name
        assert set(row.allowed) | set(row.forbidden) | set(row.hidden) == set(PERSONAS), row.name


SCOPED_KEYS = (
    "residence_id",
    "membership_id",
    "conversation_id",
    "message_id",
    "exchange_id",
    "help_request_id",
    "visit_id",
    "consent_id",
    "call_id",
    "case_id",
    "decision_id",
    "appeal_id",
    "target_id",
    "post_id",
    "booking_id",
    "room_id",
    "landlord_id",
)


def _scoped_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[URLPattern | URLResolver], namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif pattern.name and any(
                key in str(pattern.pattern) for key in (*SCOPED_KEYS, "landlord_id")
            ):
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None)
    return names


def test_the_matrix_covers_every_residence_scoped_page() -> None:
    pages = {n for n in _scoped_url_names() if not n.startswith("api:")}
    assert pages == {r.name for r in ROWS if not r.name.startswith("api:")}


def test_the_matrix_covers_every_residence_scoped_endpoint() -> None:
    from voisinage.api import api

    schema = api.get_openapi_schema()
    scoped = {
        "api:" + path.removeprefix("/api/v1")
        for path in schema["paths"]
        if any(f"{{{key}}}" in path for key in SCOPED_KEYS)
    }
    assert scoped == {r.name for r in ROWS if r.name.startswith("api:")}


def test_an_outsider_joins_no_group_of_the_residence(world: World) -> None:
    residence_groups = {
        groups.residence(world.residence.pk),
        groups.members(world.residence.pk),
        groups.moderators(world.residence.pk),
    }
    assert not socket_groups_for(world.eve.user) & residence_groups
    assert not socket_groups_for(world.pending.user) & residence_groups


def test_partners_do_not_join_the_members_group(world: World) -> None:
    """The room, exchanges and help requests are published to members only: an accredited
    partner's socket is in the residence group but never gets them."""
    members = groups.members(world.residence.pk)
    for user in (world.alice.user, world.bob.user, world.claire):
        assert members in socket_groups_for(user)
    assert members not in socket_groups_for(world.dave)
    assert groups.residence(world.residence.pk) in socket_groups_for(world.dave)


def test_only_moderators_join_the_moderators_group(world: World) -> None:
    moderators = groups.moderators(world.residence.pk)
    assert moderators in socket_groups_for(world.bob.user)
    assert moderators in socket_groups_for(world.claire)
    assert moderators not in socket_groups_for(world.alice.user)
    assert moderators not in socket_groups_for(world.dave)
    assert groups.residence(world.residence.pk) in socket_groups_for(world.alice.user)
