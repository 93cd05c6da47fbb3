"""Moderation pages work without JavaScript: report, queue, case, decision, appeal, log,
settings, charter. The log never shows the reporter nor the hidden content."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.moderation import actions
from apps.moderation.models import Case, Decision
from apps.residences.models import Membership
from tests.conftest import World, client_for
from tests.moderation.helpers import bio, hide, resident

pytestmark = pytest.mark.django_db


def test_a_member_reports_a_profile_with_a_reason(world: World) -> None:
    bio(world.alice, "Appelez-moi au 06 12 34 56 78")
    client = client_for(world.bob)
    url = f"/report/profile/{world.alice.pk}/?next=/r/{world.residence.pk}/members/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Qu’est-ce qui ne va pas ?" in page.text
    assert f"/r/{world.residence.pk}/charter/" in page.text
    refused = client.post(url, {"reason": "", "note": ""})
    assert refused.status_code == 400
    assert not Case.objects.exists()
    done = client.post(url, {"reason": "personal_data", "note": "Son numéro", "next": "/"})
    assert done.status_code == 302 and done["Location"] == "/"
    again = client.post(url, {"reason": "personal_data"})
    assert again.status_code == 400 and "déjà signalé" in again.text


def test_a_report_link_to_another_site_is_not_followed(world: World) -> None:
    client = client_for(world.bob)
    response = client.post(
        f"/report/profile/{world.alice.pk}/",
        {"reason": "other", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/r/{world.residence.pk}/members/{world.alice.user_id}/"


def test_the_queue_shows_cases_and_a_moderator_decides_from_the_case_page(world: World) -> None:
    bio(world.alice, "Les voisins du 3e sont des idiots")
    actions.report(world.claire, "profile", world.alice.pk, reason="disrespect", note="Insulte")
    client = client_for(world.bob)
    queue = client.get(f"/r/{world.residence.pk}/moderation/")
    assert queue.status_code == 200
    assert "des idiots" in queue.text and "Irrespectueux (1)" in queue.text
    assert 'data-live-on="moderation.queue_updated"' in queue.text
    case = Case.objects.get()
    page = client.get(f"/moderation/cases/{case.pk}/")
    assert "Claire F." in page.text  # moderators see who reported
    bad = client.post(f"/moderation/cases/{case.pk}/", {"action": "hide", "reason": "disrespect"})
    assert bad.status_code == 400
    decided = client.post(
        f"/moderation/cases/{case.pk}/",
        {"action": "hide", "reason": "disrespect", "explanation": "Insulte envers des voisins."},
    )
    assert decided.status_code == 302
    assert Membership.objects.get(pk=world.alice.pk).profile_hidden
    members = client_for(world.claire).get(f"/r/{world.residence.pk}/members/").text
    assert "des idiots" not in members


def test_residents_and_partners_cannot_open_the_queue(world: World) -> None:
    assert client_for(world.alice).get(f"/r/{world.residence.pk}/moderation/").status_code == 403
    assert client_for(world.dave).get(f"/r/{world.residence.pk}/moderation/").status_code == 403
    assert client_for(world.eve).get(f"/r/{world.residence.pk}/moderation/").status_code == 404


def test_the_author_sees_the_decision_and_appeals_it(world: World) -> None:
    decision = hide(world.bob.user, world.alice)
    client = client_for(world.alice)
    page = client.get(f"/moderation/decisions/{decision.pk}/")
    assert page.status_code == 200
    assert "Propos blessants" in page.text and "Contester cette décision" in page.text
    assert client.get(f"/r/{world.residence.pk}/moderation/mine/").status_code == 200
    sent = client.post(f"/moderation/decisions/{decision.pk}/appeal/", {"message": "Erreur"})
    assert sent.status_code == 302
    assert (
        "Contester cette décision" not in client.get(f"/moderation/decisions/{decision.pk}/").text
    )
    staff = client_for(world.claire)
    assert "Examiner la contestation" in staff.get(f"/moderation/decisions/{decision.pk}/").text
    staff.post(
        f"/moderation/appeals/{decision.appeal.pk}/review/",
        {"outcome": "overturn", "note": "Le texte était correct."},
    )
    decision.refresh_from_db()
    assert decision.status == Decision.Status.OVERTURNED
    # Someone else's decision: not visible.
    zoe = resident(world, "Zoé")
    assert client_for(zoe).get(f"/moderation/decisions/{decision.pk}/").status_code == 404


def test_a_co_animator_agrees_to_a_staff_decision_from_its_page(world: World) -> None:
    decision = hide(world.claire, world.alice)
    client = client_for(world.bob)
    assert "Je suis d’accord" in client.get(f"/moderation/decisions/{decision.pk}/").text
    assert (
        "Je suis d’accord"
        not in client_for(world.claire).get(f"/moderation/decisions/{decision.pk}/").text
    )
    client.post(f"/moderation/decisions/{decision.pk}/agree/")
    decision.refresh_from_db()
    assert decision.status == Decision.Status.APPLIED
    refused = client_for(world.alice).post(f"/moderation/decisions/{decision.pk}/decline/")
    assert refused.status_code == 403


def test_the_public_log_shows_decisions_without_reporter_or_content(world: World) -> None:
    bio(world.alice, "Texte blessant à masquer")
    actions.report(world.claire, "profile", world.alice.pk, reason="disrespect", note="Note")
    hide(world.bob.user, world.alice, explanation="Explication détaillée privée")
    pending = hide(world.claire, resident(world, "Zoé"))
    page = client_for(world.alice).get(f"/r/{world.residence.pk}/moderation/log/")
    assert page.status_code == 200
    text = page.text
    assert "Masquer" in text and "Irrespectueux" in text and "Bob D." in text
    assert "Profil" in text
    for secret in ("Texte blessant", "Note", "Explication détaillée", "Claire F."):
        assert secret not in text
    assert pending.status == "pending"  # pending decisions are not in the log yet
    assert client_for(world.dave).get(f"/r/{world.residence.pk}/moderation/log/").status_code == 403


def test_co_animators_adapt_the_charter_and_the_filter(world: World) -> None:
    client = client_for(world.bob)
    url = f"/r/{world.residence.pk}/moderation/settings/"
    assert client.get(url).status_code == 200
    saved = client.post(
        url,
        {"keywords": "arnaque", "hold_new_members": "on", "charter": "Ici, on se dit bonjour."},
    )
    assert saved.status_code == 302
    charter = client_for(world.alice).get(f"/r/{world.residence.pk}/charter/").text
    assert "Ici, on se dit bonjour." in charter
    assert client_for(world.alice).get(url).status_code == 403


def test_the_charter_falls_back_to_the_landlords_then_the_default(world: World) -> None:
    client = client_for(world.alice)
    url = f"/r/{world.residence.pk}/charter/"
    assert "Les services entre voisins sont gratuits" in client.get(url).text
    world.landlord.charter = "Charte du bailleur."
    world.landlord.save(update_fields=["charter"])
    assert "Charte du bailleur." in client.get(url).text
    # Joining shows the version of the residence whose code is given, to anyone with the code.
    from django.test import Client

    join_charter = Client().get(f"/charter/?code={world.residence.invitation_code.lower()}")
    assert "Charte du bailleur." in join_charter.text and "Les Tilleuls" in join_charter.text
    assert "Les services entre voisins" in Client().get("/charter/?code=NOPE").text


def test_the_queue_uses_the_same_number_of_queries_for_2_and_12_cases(world: World) -> None:
    client = client_for(world.bob)
    url = f"/r/{world.residence.pk}/moderation/"

    def add_cases(n: int) -> None:
        for _ in range(n):
            member = resident(world, "Sam")
            bio(member)
            actions.report(world.claire, "profile", member.pk, reason="other")
            actions.report(world.alice.user, "profile", member.pk, reason="scam")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add_cases(2)
    hide(world.claire, resident(world, "Léa"))
    small = count()
    add_cases(10)
    hide(world.claire, resident(world, "Léo"))
    assert count() == small


def test_a_moderator_takes_up_content_nobody_reported(world: World) -> None:
    bio(world.alice, "Le bailleur ne répare jamais l'ascenseur")
    page = client_for(world.claire).get(f"/r/{world.residence.pk}/members/{world.alice.user_id}/")
    assert f"/moderate/profile/{world.alice.pk}/" in page.text
    opened = client_for(world.claire).post(f"/moderate/profile/{world.alice.pk}/")
    case = Case.objects.get()
    assert opened["Location"] == f"/moderation/cases/{case.pk}/"
    assert case.origin == "moderator" and not case.reports.exists()
    # Staff's hide still needs a co-animator: the two-key rule holds without a report too.
    decided = client_for(world.claire).post(
        f"/moderation/cases/{case.pk}/",
        {"action": "hide", "reason": "other", "explanation": "Critique du bailleur."},
    )
    assert decided.status_code == 302
    assert not Membership.objects.get(pk=world.alice.pk).profile_hidden
    assert client_for(world.alice).post(f"/moderate/profile/{world.bob.pk}/").status_code == 403
    assert client_for(world.eve).post(f"/moderate/profile/{world.alice.pk}/").status_code == 404


def test_the_warning_starts_from_an_editable_template(world: World) -> None:
    page = client_for(world.bob).get(
        f"/r/{world.residence.pk}/members/{world.alice.user_id}/moderate/"
    )
    assert page.status_code == 200
    assert "Bonjour Alice M.," in page.text and "ne respecte pas la charte" in page.text
    assert "Les modérateurs de la résidence Les Tilleuls" in page.text
