"""The conversation pages work without JavaScript: plain forms, newest messages on reload."""

from __future__ import annotations

from typing import Any

import pytest

from apps.messaging.actions import room_of
from apps.messaging.models import Conversation, Message
from apps.realtime import presence
from tests.conftest import World, client_for
from tests.uploads_helpers import photo_file

pytestmark = pytest.mark.django_db


def test_it_sends_by_form_post_and_shows_history(world: World) -> None:
    alice = client_for(world.alice)
    url = f"/messages/{world.conversation.pk}/"
    response = alice.post(f"{url}send/", {"body": "Tu viens à la fête ?"})
    assert response.status_code == 302
    assert response["Location"] == f"{url}#end"
    page = client_for(world.bob).get(url).text
    assert page.index("Coucou") < page.index("Tu viens à la fête ?")
    assert "Alice M." in page


def test_it_lists_conversations_with_unread_counts(world: World) -> None:
    page = client_for(world.bob).get("/messages/").text
    assert "Alice M." in page
    assert "1 non lu" in page
    client_for(world.bob).get(f"/messages/{world.conversation.pk}/")
    assert "1 non lu" not in client_for(world.bob).get("/messages/").text


def test_a_bad_message_keeps_the_text_and_stores_nothing(world: World, settings: Any) -> None:
    client = client_for(world.alice)
    url = f"/messages/{world.conversation.pk}/send/"
    empty = client.post(url, {"body": "  "})
    assert empty.status_code == 400
    assert "Écrivez d’abord un message." in empty.text
    too_long = client.post(url, {"body": "a" * 4001})
    assert too_long.status_code == 400
    assert "a" * 4001 in too_long.text
    assert Message.objects.filter(conversation=world.conversation).count() == 1
    settings.MESSAGES_PER_MINUTE = 1
    assert client.post(url, {"body": "un"}).status_code == 302
    flood = client.post(url, {"body": "deux"})
    assert flood.status_code == 429
    assert "trop vite" in flood.text


def test_it_sends_a_photo_and_serves_it_only_to_participants(
    world: World, settings: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = client_for(world.alice)
    client.post(f"/messages/{world.conversation.pk}/send/", {"body": "", "image": photo_file()})
    message = Message.objects.exclude(image=None).get()
    page = client_for(world.bob).get(f"/messages/{world.conversation.pk}/").text
    assert f"/messages/m/{message.pk}/image/?size=thumb" in page
    photo = client_for(world.bob).get(f"/messages/m/{message.pk}/image/")
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/jpeg"
    assert client_for(world.eve).get(f"/messages/m/{message.pk}/image/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/messages/m/{message.pk}/delete/")
    assert client_for(world.bob).get(f"/messages/m/{message.pk}/image/").status_code == 404
    assert not list(tmp_path.rglob("*.jpg"))


def test_a_bad_photo_is_refused_with_a_clear_message(
    world: World, settings: Any, tmp_path: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    svg = SimpleUploadedFile("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml")
    response = client_for(world.alice).post(
        f"/messages/{world.conversation.pk}/send/", {"body": "regarde", "image": svg}
    )
    assert response.status_code == 400
    assert "JPEG, PNG, WebP" in response.text
    assert Message.objects.filter(conversation=world.conversation).count() == 1


def test_editing_keeps_the_history_and_shows_edited(world: World) -> None:
    client = client_for(world.alice)
    form = client.get(f"/messages/m/{world.message.pk}/edit/")
    assert "Coucou" in form.text
    client.post(f"/messages/m/{world.message.pk}/edit/", {"body": "Coucou Bob"})
    page = client_for(world.bob).get(f"/messages/{world.conversation.pk}/").text
    assert "Coucou Bob" in page
    assert "(modifié)" in page
    assert list(world.message.revisions.values_list("body", flat=True)) == ["Coucou"]


def test_deleting_shows_message_supprime(world: World) -> None:
    client_for(world.alice).post(f"/messages/m/{world.message.pk}/delete/")
    page = client_for(world.bob).get(f"/messages/{world.conversation.pk}/").text
    assert "Message supprimé" in page
    assert "Coucou" not in page
    assert Message.objects.get(pk=world.message.pk).revisions.get().body == "Coucou"


def test_read_markers_show_seen_unless_turned_off(world: World) -> None:
    client_for(world.bob).get(f"/messages/{world.conversation.pk}/")
    assert (
        "Vu par Bob D." in client_for(world.alice).get(f"/messages/{world.conversation.pk}/").text
    )
    world.bob.user.share_read_receipts = False
    world.bob.user.save()
    assert "Vu par" not in client_for(world.alice).get(f"/messages/{world.conversation.pk}/").text


def test_writing_to_a_member_opens_the_direct_conversation(world: World) -> None:
    client = client_for(world.bob)
    members = client.get(f"/r/{world.residence.pk}/members/").text
    assert "Écrire à Alice M." in members
    response = client.post(f"/r/{world.residence.pk}/members/{world.alice.user_id}/message/")
    assert response["Location"] == f"/messages/{world.conversation.pk}/"
    claire = client_for(world.claire).post(
        f"/r/{world.residence.pk}/members/{world.alice.user_id}/message/"
    )
    created = Conversation.objects.exclude(pk=world.conversation.pk).get(kind="direct")
    assert claire["Location"] == f"/messages/{created.pk}/"


def test_the_room_shows_who_is_online(world: World) -> None:
    room, _ = room_of(world.residence)
    presence.socket_opened(world.bob.user_id)
    presence.socket_opened(world.alice.user_id)
    page = client_for(world.alice).get(f"/messages/{room.pk}/").text
    assert "En ligne : Bob D." in page
    assert "Alice M." not in page.split("En ligne")[1].split("</p>")[0]


def test_a_suspended_member_sees_the_history_but_cannot_write(world: World) -> None:
    world.bob.status = "suspended"
    world.bob.save()
    client = client_for(world.bob)
    page = client.get(f"/messages/{world.conversation.pk}/")
    assert page.status_code == 200
    assert "Vous ne pouvez plus écrire ici." in page.text
    assert client.post(f"/messages/{world.conversation.pk}/send/", {"body": "x"}).status_code == 403


def test_the_live_fragment_renders_only_the_messages(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.bob)
    url = f"/messages/{world.conversation.pk}/?fragment=chat"
    with CaptureQueriesContext(connection) as first:
        fragment = client.get(url)
    assert fragment.text.lstrip().startswith('<section id="chat"')
    assert "Coucou" in fragment.text
    assert "<html" not in fragment.text
    # A refresh with nothing new to mark read writes nothing.
    with CaptureQueriesContext(connection) as again:
        client.get(url)
    assert (len(first), len(again)) == (16, 10)
