"""Messages are moderatable: reported by participants only, hidden after three reports (gone
from the others' history, lists and notifications), restored; a muted member cannot send; in
the residence room the keyword filter and a new member's first posts hold a message."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from apps.messaging import access, actions
from apps.messaging.models import Conversation, Message
from apps.moderation import actions as moderation
from apps.moderation import registry, selectors
from apps.moderation.models import Case
from apps.notifications.models import Notification
from apps.residences.models import Membership
from tests.conftest import World, add_members, build_world
from tests.conftest import client_for as _client_for
from tests.sockets import next_of as _next_of
from tests.sockets import open_socket as _open


async def _frame_types(socket: Any, timeout: float = 0.5) -> list[str]:
    """The types of the frames a socket receives until it is quiet for ``timeout``."""
    types = []
    while not await socket.receive_nothing(timeout=timeout):
        types.append((await socket.receive_json_from())["type"])
    return types


def client_for(persona: Any) -> Any:
    """A signed-in client reading the site in English (what the assertions quote)."""
    client = _client_for(persona)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _send(user: Any, conversation: Conversation, body: str) -> Message:
    here = access.access_conversation(user, conversation.pk, for_write=True)
    return actions.send_message(user, here, body)


def _group(world: World) -> tuple[Conversation, list[Any]]:
    """Alice's group with Bob and two more neighbours: three people who may report her."""
    add_members(world, 2, tag="voisin")
    others = [m.user for m in Membership.objects.filter(user__email__startswith="voisin")]
    conversation = actions.start_group(
        world.alice.user, world.residence, [world.bob.user_id, *[u.pk for u in others]]
    )
    return conversation, [world.bob.user, *others]


def _report(user: Any, message: Message) -> Any:
    return client_for(user).post(
        f"/report/message/{message.pk}/", {"reason": "disrespect", "note": ""}
    )


def _mute(world: World, persona: Any) -> None:
    moderation.decide(
        world.bob.user,
        world.residence,
        target_type="member",
        target_id=persona.user_id,
        action="mute",
        reason="disrespect",
        explanation="Insultes répétées",
        until=timezone.now() + datetime.timedelta(days=2),
    )


@pytest.mark.django_db
def test_it_opens_a_case_with_the_thread_around_the_reported_message(world: World) -> None:
    before = [_send(world.bob.user, world.conversation, f"avant {i}") for i in range(3)]
    reported = _send(world.alice.user, world.conversation, "Tu vas voir ce que tu vas voir")
    after = [_send(world.bob.user, world.conversation, f"après {i}") for i in range(4)]

    response = _report(world.bob, reported)

    assert response.status_code == 302
    [item] = selectors.open_cases(world.residence.pk)
    assert (item.case.target_type, item.case.target_id) == ("message", reported.pk)
    assert item.target is not None
    assert item.target.excerpt == "Tu vas voir ce que tu vas voir"
    assert item.target.author_name == "Alice M."
    # Three before and three after, oldest first, the reported one marked; names only.
    assert item.target.context == [
        ("Bob D.", "avant 0", False),
        ("Bob D.", "avant 1", False),
        ("Bob D.", "avant 2", False),
        ("Alice M.", "Tu vas voir ce que tu vas voir", True),
        ("Bob D.", "après 0", False),
        ("Bob D.", "après 1", False),
        ("Bob D.", "après 2", False),
    ]
    assert before[0].pk < reported.pk < after[-1].pk


@pytest.mark.django_db
def test_it_loads_many_targets_in_constant_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    ids = [_send(world.alice.user, world.conversation, f"m{i}").pk for i in range(6)]
    with django_assert_max_num_queries(2):
        found = registry.load_targets(("message", pk) for pk in ids)
    assert len(found) == 6
    assert [c[2] for c in found[("message", ids[0])].context] == [False, True, False, False, False]


@pytest.mark.django_db
def test_a_non_participant_cannot_report_a_private_message(world: World) -> None:
    add_members(world, 1, tag="voisin")
    neighbour = Membership.objects.get(user__email__startswith="voisin").user
    assert _report(neighbour, world.message).status_code == 404
    assert _report(world.claire, world.message).status_code == 404  # staff: not a participant
    assert _report(world.eve, world.message).status_code == 404
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_three_reports_hide_a_message_until_it_is_restored(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    conversation, reporters = _group(world)
    earlier = _send(world.alice.user, conversation, "Bonjour à tous")
    with django_capture_on_commit_callbacks(execute=True):
        bad = _send(world.alice.user, conversation, "Message injurieux")
    source = f"message:{bad.pk}"
    assert Notification.objects.filter(source=source).count() == 3
    bob = client_for(world.bob)
    api = f"/api/v1/conversations/{conversation.pk}/messages"
    assert "Message injurieux" in [m["body"] for m in bob.get(api).json()]

    for reporter in reporters:
        assert _report(reporter, bad).status_code == 302

    bad.refresh_from_db()
    assert bad.moderation == registry.HIDDEN
    assert not Notification.objects.filter(source=source).exists()
    # Gone for the other participants: history, catch-up, API list, conversation list.
    [listed] = [c for c in bob.get("/api/v1/conversations").json() if c["id"] == conversation.pk]
    assert listed["last_message"]["body"] == "Bonjour à tous"
    assert listed["unread"] == 1  # the hidden one is not counted
    assert "Message injurieux" not in bob.get("/messages/").content.decode()
    page = bob.get(f"/messages/{conversation.pk}/")
    assert "Message injurieux" not in page.content.decode()
    assert [m["id"] for m in bob.get(api).json()] == [earlier.pk]
    assert bob.get(f"{api}?after={earlier.pk}").json() == []
    assert bob.get(f"/report/message/{bad.pk}/").status_code == 404
    # Its author still sees it, marked, with why.
    alice = client_for(world.alice)
    mine = alice.get(f"/messages/{conversation.pk}/").content.decode()
    assert "Message injurieux" in mine
    assert "Hidden by the moderators" in mine
    assert "Several members reported it" in mine
    assert [m["moderation"] for m in alice.get(api).json()] == ["", "hidden"]

    moderation.decide(
        world.bob.user,
        world.residence,
        target_type="message",
        target_id=bad.pk,
        action="restore",
        reason="other",
        explanation="Relu : rien de grave.",
    )
    bad.refresh_from_db()
    assert bad.moderation == registry.VISIBLE
    assert "Message injurieux" in bob.get(f"/messages/{conversation.pk}/").content.decode()
    assert [m["id"] for m in bob.get(api).json()] == [earlier.pk, bad.pk]


@pytest.mark.django_db
def test_a_muted_member_cannot_send_and_is_told_why(world: World) -> None:
    _mute(world, world.alice)
    alice = client_for(world.alice)
    before = Message.objects.count()

    page = alice.post(f"/messages/{world.conversation.pk}/send/", {"body": "Encore moi"})
    assert page.status_code == 400
    assert "You cannot post in this residence until" in page.content.decode()

    api = alice.post(
        f"/api/v1/conversations/{world.conversation.pk}/messages",
        {"body": "Encore moi"},
        content_type="application/json",
    )
    assert api.status_code == 400
    assert "You cannot post in this residence until" in str(api.json())
    assert Message.objects.count() == before


@pytest.mark.django_db
def test_a_muted_member_cannot_edit_either(world: World) -> None:
    _mute(world, world.alice)
    response = client_for(world.alice).post(
        f"/messages/m/{world.message.pk}/edit/", {"body": "Modifié"}
    )
    assert response.status_code == 200  # the form again, with the reason
    assert "You cannot post in this residence until" in response.content.decode()
    world.message.refresh_from_db()
    assert world.message.body == "Coucou"


@pytest.mark.django_db
def test_the_keyword_filter_holds_a_room_message_not_a_private_one(world: World) -> None:
    moderation.update_settings(
        world.bob.user, world.residence, keywords="arnaque", hold_new_members=False, charter=""
    )
    room, _created = actions.room_of(world.residence)
    alice = client_for(world.alice)

    response = alice.post(f"/messages/{room.pk}/send/", {"body": "Attention, arnaque !"})
    assert response.status_code == 302
    held = Message.objects.get(conversation=room)
    assert held.moderation == registry.HELD
    mine = alice.get(f"/messages/{room.pk}/").content.decode()
    assert "Waiting for a moderator" in mine
    assert "contains a word that the co-animators review first" in mine
    assert (
        "Attention, arnaque"
        not in client_for(world.bob).get(f"/messages/{room.pk}/").content.decode()
    )
    [item] = selectors.open_cases(world.residence.pk)
    assert item.case.origin == "keyword"

    # In a private conversation the filter does not hold (no moderator reads it unreported).
    private = _send(world.alice.user, world.conversation, "Une arnaque au téléphone")
    assert private.moderation == registry.VISIBLE

    moderation.decide(
        world.bob.user,
        world.residence,
        target_type="message",
        target_id=held.pk,
        action="approve",
        reason="other",
        explanation="Mise en garde utile.",
    )
    assert (
        "Attention, arnaque" in client_for(world.bob).get(f"/messages/{room.pk}/").content.decode()
    )


@pytest.mark.django_db
def test_editing_in_a_forbidden_word_holds_a_room_message(world: World) -> None:
    moderation.update_settings(
        world.bob.user, world.residence, keywords="arnaque", hold_new_members=False, charter=""
    )
    room, _created = actions.room_of(world.residence)
    message = _send(world.alice.user, room, "Bonjour")
    assert message.moderation == registry.VISIBLE
    actions.edit_message(world.alice.user, message, "Bonjour, c'est une arnaque")
    message.refresh_from_db()
    assert message.moderation == registry.HELD
    assert Case.objects.get(target_type="message", target_id=message.pk).origin == "keyword"


@pytest.mark.django_db(transaction=True)
async def test_a_hidden_messages_edit_reaches_only_its_author() -> None:
    world: World = await sync_to_async(build_world)()
    bob, _ = await _open(world.bob.user)
    alice, _ = await _open(world.alice.user)
    await sync_to_async(actions.set_moderation)(world.message.pk, registry.HIDDEN)
    hidden = await _next_of(bob, "message.updated")
    assert hidden["data"]["moderation"] == "hidden"
    assert hidden["data"]["body"] == ""  # the event carries no content
    await _next_of(alice, "message.updated")

    message = await sync_to_async(Message.objects.select_related("author").get)(pk=world.message.pk)
    await sync_to_async(actions.edit_message)(world.alice.user, message, "Version modifiée")
    mine = await _next_of(alice, "message.updated")
    assert mine["data"]["body"] == "Version modifiée"
    assert not [t for t in await _frame_types(bob) if t.startswith("message.")]
    for socket in (alice, bob):
        await socket.disconnect()
