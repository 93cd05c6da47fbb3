from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from apps.messaging import access, actions
from apps.notifications.models import Notification
from apps.realtime import presence
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db


def _send(world: World, body: str) -> None:
    here = access.access_conversation(world.alice.user, world.conversation.pk, for_write=True)
    actions.send_message(world.alice.user, here, body)


def test_a_direct_message_notifies_and_emails_the_absent_recipient(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _send(world, "Je passe à 18 h")
    notification = Notification.objects.get(user=world.bob.user)
    assert (notification.kind, notification.url) == (
        "messages",
        f"/messages/{world.conversation.pk}/",
    )
    assert "Alice M." in notification.title
    assert [m.to for m in mail.outbox] == [["bob@test.fr"]]
    assert "Je passe à 18 h" in str(mail.outbox[0].body)
    assert not Notification.objects.filter(user=world.alice.user).exists()


def test_no_email_when_the_recipient_is_online(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    presence.socket_opened(world.bob.user_id)
    with django_capture_on_commit_callbacks(execute=True):
        _send(world, "Tu es là ?")
    assert Notification.objects.filter(user=world.bob.user).count() == 1
    assert mail.outbox == []


def test_at_most_one_email_per_conversation_per_quarter_hour(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _send(world, "un")
        _send(world, "deux")
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(user=world.bob.user).count() == 2


def test_opening_the_conversation_marks_its_notifications_read(world: World) -> None:
    _send(world, "Coucou")
    assert Notification.objects.filter(user=world.bob.user, read_at=None).count() == 1
    client_for(world.bob).get(f"/messages/{world.conversation.pk}/")
    assert Notification.objects.filter(user=world.bob.user, read_at=None).count() == 0


def test_the_room_notifies_no_one(world: World) -> None:
    room, _ = actions.room_of(world.residence)
    here = access.access_conversation(world.alice.user, room.pk, for_write=True)
    actions.send_message(world.alice.user, here, "Bonjour à tous")
    assert not Notification.objects.exists()
