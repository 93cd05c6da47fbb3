"""Moderation refuses bad input clearly and writes nothing: decisions on content through the
API, the settings page, the paging of the public log, and the scheduled ``moderation_watch``."""

from __future__ import annotations

import datetime
import re
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from apps.messaging.models import Message
from apps.moderation import actions, registry
from apps.moderation.models import (
    AuditEntry,
    Decision,
    Report,
    ResidenceSettings,
    Sanction,
)
from apps.moderation.selectors import LOG_PAGE
from apps.notifications.models import Notification
from apps.residences.models import AuditEntry as ResidenceAuditEntry
from apps.residences.models import Membership, Residence, Role, Status
from tests.conftest import World, client_for
from tests.moderation.helpers import hide, on_member, profile_of, resident

pytestmark = pytest.mark.django_db

DECISIONS = "/api/v1/moderation/decisions"


def _post(client: Any, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, content_type="application/json")


def _on_message(world: World, **target: Any) -> dict[str, Any]:
    return {
        "target": {"type": "message", "id": world.message.pk, **target},
        "action": "hide",
        "reason": "disrespect",
        "explanation": "Propos blessants.",
    }


def _writes() -> tuple[int, int, int]:
    """Decisions, moderation audit entries and notifications: what a decision writes."""
    return Decision.objects.count(), AuditEntry.objects.count(), Notification.objects.count()


# --- 1. a decision on content through the API ---------------------------------------------------


def test_it_decides_on_a_message_then_refuses_bad_targets(world: World) -> None:
    # Bob takes part in the conversation: he may see Alice's message, so he may moderate it.
    bob = client_for(world.bob)
    reported = _post(
        bob,
        "/api/v1/reports",
        {"target_type": "message", "target_id": world.message.pk, "reason": "disrespect"},
    )
    assert reported.status_code == 201, reported.content
    report_id = reported.json()["id"]

    done = _post(bob, DECISIONS, _on_message(world))
    assert done.status_code == 201, done.content
    body = done.json()
    assert (body["target_type"], body["target_id"]) == ("message", world.message.pk)
    assert (body["action"], body["status"], body["needs"]) == ("hide", "applied", "")
    assert Message.objects.get(pk=world.message.pk).moderation == registry.HIDDEN
    before = _writes()

    unknown = _post(
        bob, DECISIONS, {**_on_message(world), "target": {"type": "spaceship", "id": 1}}
    )
    assert unknown.status_code == 400
    assert unknown.json()["code"] == "target_type" and unknown.json()["detail"]

    not_an_int = _post(bob, DECISIONS, _on_message(world, id=str(world.message.pk)))
    assert not_an_int.status_code == 400
    assert not_an_int.json()["code"] == "target" and not_an_int.json()["detail"]

    no_id = _post(bob, DECISIONS, {**_on_message(world), "target": {"type": "message"}})
    assert no_id.status_code == 400 and no_id.json()["code"] == "target"

    no_target = _post(bob, DECISIONS, {**_on_message(world), "target": None})
    assert no_target.status_code == 400 and no_target.json()["code"] == "target"

    missing = _post(bob, DECISIONS, _on_message(world, id=world.message.pk + 1000))
    assert missing.status_code == 404 and missing.json()["detail"] == "Introuvable."

    eve = client_for(world.eve)
    outsider = _post(eve, DECISIONS, _on_message(world))
    assert outsider.status_code == 404 and outsider.json()["detail"] == "Introuvable."
    through_report = _post(
        eve,
        DECISIONS,
        {"report_id": report_id, "action": "hide", "reason": "other", "explanation": "x"},
    )
    assert through_report.status_code == 404

    malformed = _post(bob, DECISIONS, {"target": {"type": "message", "id": world.message.pk}})
    assert malformed.status_code == 422 and "Requête invalide" in malformed.json()["detail"]

    assert _writes() == before
    assert Decision.objects.count() == 1 and Report.objects.count() == 1
    assert Message.objects.get(pk=world.message.pk).moderation == registry.HIDDEN


def test_staff_cannot_decide_on_a_private_message_they_cannot_see(world: World) -> None:
    # The page refuses: a private message reaches moderators only through a report.
    assert (
        client_for(world.claire).post(f"/moderate/message/{world.message.pk}/").status_code == 404
    )
    before = _writes()
    response = _post(client_for(world.claire), DECISIONS, _on_message(world))
    assert response.status_code == 404
    assert _writes() == before


def test_a_boolean_is_not_a_target_id(world: World) -> None:
    response = _post(client_for(world.bob), DECISIONS, _on_message(world, id=True))
    assert response.status_code == 400
    assert not Decision.objects.exists()


# --- 2. the settings page -----------------------------------------------------------------------


def _settings_state(world: World) -> tuple[Any, ...]:
    residence = Residence.objects.get(pk=world.residence.pk)
    row = ResidenceSettings.objects.filter(residence=world.residence).values().first()
    return (
        residence.charter,
        row,
        ResidenceSettings.objects.count(),
        AuditEntry.objects.filter(verb="settings").count(),
        ResidenceAuditEntry.objects.filter(verb="charter.updated").count(),
    )


BAD_SETTINGS = [
    pytest.param(
        {"keywords": "x" * 61},
        "Jusqu’à 200 mots ou expressions, de 60 caractères chacun.",
        id="a-61-character-keyword",
    ),
    pytest.param(
        {"keywords": "\n".join(f"mot{i}" for i in range(201))},
        "Jusqu’à 200 mots ou expressions, de 60 caractères chacun.",
        id="201-keywords",
    ),
    pytest.param(
        {"charter": "c" * 10_001},
        "Ce texte est trop long.",
        id="a-10001-character-charter",
    ),
]


@pytest.mark.parametrize(("bad", "error"), BAD_SETTINGS)
def test_it_refuses_bad_settings_on_the_page_and_saves_nothing(
    world: World, bad: dict[str, str], error: str
) -> None:
    client = client_for(world.bob)
    url = f"/r/{world.residence.pk}/moderation/settings/"
    fields = {"keywords": "arnaque", "hold_new_members": "on", "charter": "Charte d’origine."}
    # No settings yet: nothing is created.
    empty = _settings_state(world)
    refused = client.post(url, {**fields, **bad})
    assert refused.status_code == 400
    assert error in refused.text and 'class="form-errors"' in refused.text
    assert _settings_state(world) == empty
    # Saved settings: nothing changes.
    assert client.post(url, fields).status_code == 302
    saved = _settings_state(world)
    assert saved[0] == "Charte d’origine." and saved[2:] == (1, 1, 1)
    refused = client.post(url, {**fields, "hold_new_members": "", **bad})
    assert refused.status_code == 400 and error in refused.text
    assert _settings_state(world) == saved


@pytest.mark.parametrize(
    ("keywords", "charter", "code"),
    [
        ("y" * 61, "", "keywords"),
        ("\n".join(f"mot{i}" for i in range(201)), "", "keywords"),
        ("arnaque", "c" * 10_001, "too_long"),
    ],
)
def test_update_settings_refuses_with_a_code(
    world: World, keywords: str, charter: str, code: str
) -> None:
    before = _settings_state(world)
    with pytest.raises(ValidationError) as refused:
        actions.update_settings(
            world.bob.user,
            world.residence,
            keywords=keywords,
            hold_new_members=True,
            charter=charter,
        )
    assert refused.value.code == code
    assert _settings_state(world) == before


def test_the_limits_themselves_are_accepted(world: World) -> None:
    row = actions.update_settings(
        world.bob.user,
        world.residence,
        keywords="\n".join(f"{i:03d}" + "z" * 57 for i in range(200)),
        hold_new_members=False,
        charter="c" * 10_000,
    )
    assert len(row.keywords.splitlines()) == 200
    assert len(Residence.objects.get(pk=world.residence.pk).charter) == 10_000
    assert AuditEntry.objects.filter(verb="settings").count() == 1


# --- 3. paging the public log -------------------------------------------------------------------


def _applied_decisions(world: World, count: int) -> list[int]:
    Decision.objects.bulk_create(
        [
            Decision(
                residence=world.residence,
                target_type="profile",
                target_id=profile_of(world.alice),
                subject=world.alice.user,
                action="warn",
                reason="disrespect",
                explanation=f"Avertissement {i}",
                decided_by=world.bob.user,
                decided_as=Role.CO_ANIMATOR,
                status=Decision.Status.APPLIED,
            )
            for i in range(count)
        ]
    )
    return list(Decision.objects.order_by("-created_at", "-pk").values_list("pk", flat=True))


def _log_rows(text: str) -> int:
    tbody = text.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return tbody.count("<tr>")


def test_the_log_page_shows_50_decisions_then_the_older_ones(world: World) -> None:
    ids = _applied_decisions(world, LOG_PAGE + 1)
    assert LOG_PAGE == 50 and len(ids) == 51
    client = client_for(world.alice)
    url = f"/r/{world.residence.pk}/moderation/log/"
    first = client.get(url)
    assert first.status_code == 200
    assert _log_rows(first.text) == 50
    assert "Décisions plus anciennes" in first.text
    older = re.search(r'href="\?before=(\d+)"', first.text)
    assert older is not None and int(older.group(1)) == ids[49]
    second = client.get(f"{url}?before={older.group(1)}")
    assert second.status_code == 200
    assert _log_rows(second.text) == 1 and "Décisions plus anciennes" not in second.text
    # Not a number: the first page again; zero: nothing older.
    assert _log_rows(client.get(f"{url}?before=abc").text) == 50
    nothing = client.get(f"{url}?before=0")
    assert nothing.status_code == 200 and "<tbody>" not in nothing.text
    assert Decision.objects.count() == 51


def test_the_log_api_pages_and_refuses_a_bad_cursor(world: World) -> None:
    ids = _applied_decisions(world, LOG_PAGE + 1)
    client = client_for(world.alice)
    url = f"/api/v1/residences/{world.residence.pk}/moderation/log"
    first = client.get(url)
    assert first.status_code == 200
    assert [e["id"] for e in first.json()] == ids[:50]
    rest = client.get(url, {"before": ids[49]})
    assert rest.status_code == 200 and [e["id"] for e in rest.json()] == ids[50:]
    for bad in ("0", "-1", "abc"):
        refused = client.get(url, {"before": bad})
        assert refused.status_code == 422, bad
        assert "before" in refused.json()["detail"]
    assert Decision.objects.count() == 51


# --- 4. moderation_watch --------------------------------------------------------------------------


def test_moderation_watch_ends_sanctions_and_reminds_once(world: World) -> None:
    # Alice suspended (Bob proposes, Claire agrees), Zoé muted, and a staff decision on Léo's
    # profile that has waited 49 hours for a co-animator.
    suspension = on_member(world.bob.user, world.alice, "suspend")
    actions.agree(world.claire, suspension)
    zoe = resident(world, "Zoé")
    on_member(world.bob.user, zoe, "mute")
    assert Membership.objects.get(pk=world.alice.pk).status == Status.SUSPENDED
    with pytest.raises(ValidationError):
        actions.screen(zoe.user, world.residence.pk, "Bonjour")
    waiting = hide(world.claire, resident(world, "Léo"))
    assert waiting.status == Decision.Status.PENDING
    Sanction.objects.update(until=timezone.now() - datetime.timedelta(minutes=1))
    Decision.objects.filter(pk=waiting.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=49)
    )
    Notification.objects.all().delete()

    out = StringIO()
    call_command("moderation_watch", stdout=out)
    assert out.getvalue() == "2 sanction(s) ended\n1 reminder(s) sent\n"

    assert Membership.objects.get(pk=world.alice.pk).status == Status.ACTIVE
    assert not Sanction.objects.filter(lifted_at__isnull=True).exists()
    assert actions.screen(zoe.user, world.residence.pk, "Bonjour") == ""
    assert AuditEntry.objects.filter(verb="sanction_ended").count() == 2
    [reminder] = Notification.objects.all()
    assert reminder.user_id == world.bob.user_id
    assert reminder.title == "Une décision de modération attend votre accord depuis deux jours"
    waiting.refresh_from_db()
    assert waiting.reminded_at is not None and waiting.status == Decision.Status.PENDING

    again = StringIO()
    call_command("moderation_watch", stdout=again)
    assert again.getvalue() == "0 sanction(s) ended\n0 reminder(s) sent\n"
    assert Notification.objects.count() == 1


def test_the_end_of_a_suspension_does_not_bring_back_a_removed_member(world: World) -> None:
    actions.agree(world.bob.user, on_member(world.claire, world.alice, "suspend"))
    actions.agree(world.bob.user, on_member(world.claire, world.alice, "remove"))
    assert Membership.objects.get(pk=world.alice.pk).status == Status.LEFT
    Sanction.objects.update(until=timezone.now() - datetime.timedelta(minutes=1))
    call_command("moderation_watch", stdout=StringIO())
    assert Membership.objects.get(pk=world.alice.pk).status == Status.LEFT


def test_a_longer_suspension_keeps_running(world: World) -> None:
    actions.agree(world.bob.user, on_member(world.claire, world.alice, "suspend"))
    longer = timezone.now() + datetime.timedelta(days=30)
    actions.agree(world.bob.user, on_member(world.claire, world.alice, "suspend", until=longer))
    actions.lift_expired(timezone.now() + datetime.timedelta(days=8))
    assert actions.active_sanction(world.alice.user_id, world.residence.pk) is not None
    assert Membership.objects.get(pk=world.alice.pk).status == Status.SUSPENDED
