from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from apps.accounts.models import User
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db


def test_display_name_is_first_name_and_initial(world: World) -> None:
    assert world.alice.user.display_name == "Alice M."
    assert User(email="x@y.fr", first_name="Zoé").display_name == "Zoé"


def test_sign_up_asks_for_the_name_and_verifies_the_email(db: None) -> None:
    response = Client().post(
        "/accounts/signup/",
        {
            "email": "new@test.fr",
            "first_name": "Nora",
            "last_name": "Salem",
            "password1": "un voisin sympa 42",
            "password2": "un voisin sympa 42",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new@test.fr")
    assert user.display_name == "Nora S."
    assert len(mail.outbox) == 1
    assert "new@test.fr" in mail.outbox[0].to


def test_sign_in_by_emailed_code(world: World) -> None:
    client = Client()
    response = client.post("/accounts/login/code/", {"email": "alice@test.fr"})
    assert response.status_code == 302
    code = re.search(r"^\s*([A-Z0-9-]{6,})\s*$", str(mail.outbox[-1].body), re.MULTILINE)
    assert code is not None, mail.outbox[-1].body
    response = client.post("/accounts/login/code/confirm/", {"code": code.group(1)})
    assert response.status_code == 302
    assert "Les Tilleuls" in client.get("/").text


def test_the_password_form_stays_available(world: World) -> None:
    client = Client()
    response = client.post(
        "/accounts/login/", {"login": "alice@test.fr", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_repeated_failed_sign_ins_are_rate_limited(world: World) -> None:
    client = Client()
    statuses = [
        client.post("/accounts/login/", {"login": "alice@test.fr", "password": "wrong"}).status_code
        for _ in range(8)
    ]
    response = client.post(
        "/accounts/login/", {"login": "alice@test.fr", "password": "correct horse battery"}
    )
    assert statuses[0] == 200
    assert response.status_code in {200, 429}
    assert "_auth_user_id" not in client.session


def test_it_saves_the_profile_and_keeps_the_phone_private(world: World) -> None:
    client = client_for(world.alice)
    response = client.post(
        "/me/profile/",
        {
            "first_name": "Alice",
            "last_name": "Martin",
            "bio": "Entrée A",
            "skills": "Couture",
            "languages": "Français",
            "phone": "0611223344",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(pk=world.alice.user_id)
    assert (user.skills, user.phone, user.show_phone) == ("Couture", "0611223344", False)
    members_page = client_for(world.bob).get(f"/r/{world.residence.pk}/members/").text
    assert "Couture" in members_page
    assert "0611223344" not in members_page
    client.post(
        "/me/profile/",
        {"first_name": "Alice", "last_name": "Martin", "phone": "0611223344", "show_phone": "on"},
    )
    assert "0611223344" in client_for(world.bob).get(f"/r/{world.residence.pk}/members/").text


def test_a_bad_profile_keeps_what_was_typed(world: World) -> None:
    response = client_for(world.alice).post("/me/profile/", {"first_name": "", "bio": "Mon texte"})
    assert response.status_code == 200
    assert "Mon texte" in response.text
    assert User.objects.get(pk=world.alice.user_id).first_name == "Alice"


def test_large_text_is_a_setting(world: World) -> None:
    client = client_for(world.alice)
    assert 'class="large-text"' not in client.get("/").text
    response = client.post("/me/settings/", {"large_text": "on"})
    assert response.status_code == 302
    assert 'class="large-text"' in client.get("/").text
    # Emails are chosen per kind of notification, on their own page.
    assert 'href="/me/notifications/"' in client.get("/me/settings/").text


def test_tokens_are_shown_once_and_stored_hashed(world: World) -> None:
    client = client_for(world.alice)
    response = client.post("/me/tokens/", {"name": "Ma tablette"})
    raw = re.search(r"vsn_[\w-]+", response.text)
    assert raw is not None
    token = world.alice.user.api_tokens.get()
    assert raw.group(0) not in (token.digest, token.prefix)
    assert raw.group(0) not in client.get("/me/settings/").text
    client.post(f"/me/tokens/{token.pk}/revoke/")
    assert not world.alice.user.api_tokens.exists()
    # Someone else's token cannot be revoked.
    _t = client_for(world.bob).post("/me/tokens/", {"name": "x"})
    bob_token = world.bob.user.api_tokens.get()
    client.post(f"/me/tokens/{bob_token.pk}/revoke/")
    assert world.bob.user.api_tokens.exists()


def test_read_receipts_can_be_turned_off_in_settings(world: World) -> None:
    client = client_for(world.alice)
    assert "« vu »" in client.get("/me/settings/").text
    client.post("/me/settings/", {"large_text": "", "share_read_receipts": ""})
    assert User.objects.get(pk=world.alice.user_id).share_read_receipts is False
    client.post("/me/settings/", {"share_read_receipts": "on"})
    assert User.objects.get(pk=world.alice.user_id).share_read_receipts is True
