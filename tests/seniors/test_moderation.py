"""Help requests are moderatable: held by the keyword filter, reported, hidden, restored; a
muted member cannot ask; moderators never see the senior's phone in the queue."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.moderation import actions as moderation
from apps.moderation import selectors as moderation_selectors
from apps.notifications.models import Notification
from apps.seniors.models import HelpRequest
from tests.conftest import World, client_for
from tests.seniors.helpers import post, volunteer

pytestmark = pytest.mark.django_db


def _approve_or_hide(world: World, help_request: HelpRequest, action: str) -> None:
    moderation.decide(
        world.bob.user,
        world.residence,
        target_type="help_request",
        target_id=help_request.pk,
        action=action,
        reason="scam",
        explanation="Vu par un co-animateur.",
    )


def test_a_held_request_waits_for_a_moderator_before_volunteers_see_it(world: World) -> None:
    zoe = volunteer(world, "zoe@test.fr", "Zoé")
    moderation.update_settings(
        world.bob.user, world.residence, keywords="paiement", hold_new_members=False, charter=""
    )
    held = post(world, details="Je propose un paiement en liquide")
    assert held.moderation == "held"
    assert not Notification.objects.filter(user=zoe).exists()
    zoe_client = client_for(zoe)
    assert held.when_text not in zoe_client.get(f"/r/{world.residence.pk}/help/").text
    assert zoe_client.get(f"/help/{held.pk}/").status_code == 404
    api = zoe_client.get(f"/api/v1/residences/{world.residence.pk}/help-requests").json()
    assert held.pk not in [row["id"] for row in api]
    own = client_for(world.alice).get(f"/help/{held.pk}/")
    assert own.status_code == 200 and "En attente de vérification" in own.text
    [item] = moderation_selectors.open_cases(world.residence.pk)
    assert item.target is not None and "06 12 34 56 78" not in item.target.excerpt
    _approve_or_hide(world, held, "approve")
    assert Notification.objects.filter(user=zoe, source=f"help_request:{held.pk}").exists()
    assert zoe_client.get(f"/help/{held.pk}/").status_code == 200


def test_a_reported_request_can_be_hidden_and_its_notifications_withdrawn(world: World) -> None:
    zoe = volunteer(world, "zoe@test.fr", "Zoé")
    help_request = post(world)
    assert Notification.objects.filter(user=zoe).count() == 1
    page = client_for(zoe).get(f"/help/{help_request.pk}/")
    assert f"/report/help_request/{help_request.pk}/" in page.text
    assert (
        f"/report/help_request/{help_request.pk}/"
        not in client_for(world.alice).get(f"/help/{help_request.pk}/").text
    )
    moderation.report(zoe, "help_request", help_request.pk, reason="scam")
    _approve_or_hide(world, help_request, "hide")
    help_request.refresh_from_db()
    assert help_request.moderation == "hidden"
    assert not Notification.objects.filter(user=zoe, source=f"help_request:{help_request.pk}")
    assert client_for(zoe).get(f"/help/{help_request.pk}/").status_code == 404
    assert (
        "Masqué par la modération" in client_for(world.alice).get(f"/help/{help_request.pk}/").text
    )
    _approve_or_hide(world, help_request, "restore")
    assert client_for(zoe).get(f"/help/{help_request.pk}/").status_code == 200


def test_a_muted_member_cannot_ask_for_help_and_is_told_why(world: World) -> None:
    moderation.decide(
        world.bob.user,
        world.residence,
        target_type="member",
        target_id=world.alice.user_id,
        action="mute",
        reason="disrespect",
        explanation="Insultes.",
        until=timezone.now() + datetime.timedelta(days=3),
    )
    with pytest.raises(ValidationError) as muted:
        post(world)
    assert muted.value.code == "muted"
    assert not HelpRequest.objects.exists()
    response = client_for(world.alice).post(
        f"/api/v1/residences/{world.residence.pk}/help-requests",
        {"kind": "call", "when_text": "Demain", "contact": "message"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "Vous ne pouvez pas publier" in response.json()["detail"]
