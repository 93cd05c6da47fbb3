"""Residence life with bad input and moderation round trips: every refusal says why (status and
code or message) and writes nothing; approving a held post announces it, hiding a comment
withdraws its notification, editing or deleting a post keeps the feed and notifications right."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from apps.community import actions
from apps.community.models import COMMENT_MAX_LENGTH, Comment, Initiative, Post, Reaction
from apps.events.models import Event
from apps.moderation import actions as moderation
from apps.moderation.models import Case, Decision
from apps.notifications.models import Notification
from apps.polls.models import Ballot, Vote
from tests.community.helpers import news, notice
from tests.conftest import World, client_for
from tests.polls.helpers import poll

pytestmark = pytest.mark.django_db


def _feed(persona: Any, world: World) -> str:
    response = client_for(persona).get(f"/r/{world.residence.pk}/feed/")
    assert response.status_code == 200
    return str(response.text)


def _api_feed_titles(persona: Any, world: World) -> list[str]:
    response = client_for(persona).get(f"/api/v1/residences/{world.residence.pk}/feed")
    assert response.status_code == 200
    return [item["title"] for item in response.json()]


def _filter(world: World, keywords: str = "vente") -> None:
    moderation.update_settings(
        world.bob.user, world.residence, keywords=keywords, hold_new_members=False, charter=""
    )


def _decide(world: World, target_type: str, target_id: int, action: str) -> Decision:
    return moderation.decide(
        world.bob.user,
        world.residence,
        target_type=target_type,
        target_id=target_id,
        action=action,
        reason="other",
        explanation="Vu par un co-animateur.",
    )


def _post_json(persona: Any, url: str, body: dict[str, Any]) -> Any:
    return client_for(persona).post(url, body, content_type="application/json")


# ---- 1. moderation: approving announces, hiding withdraws ------------------------------------


def test_approving_a_held_urgent_notice_announces_and_pins_it(world: World) -> None:
    _filter(world)
    held = notice(world, title="Vente de garage annulée", urgency="urgent", category="works")
    assert held.moderation == "held"
    assert held.pinned_until is not None  # pinned once it is published
    assert not Notification.objects.filter(source=f"post:{held.pk}").exists()
    assert Case.objects.filter(target_type="post", target_id=held.pk, status="open").exists()
    assert "Vente de garage annulée" not in _feed(world.alice, world)
    assert client_for(world.alice).get(f"/posts/{held.pk}/").status_code == 404

    decision = _decide(world, "post", held.pk, "approve")

    assert decision.status == "applied"  # approving needs no second key
    held.refresh_from_db()
    assert held.moderation == ""
    alert = Notification.objects.get(user=world.alice.user, source=f"post:{held.pk}")
    assert alert.title == "Avis urgent : Vente de garage annulée"
    assert set(
        Notification.objects.filter(source=f"post:{held.pk}").values_list("user_id", flat=True)
    ) == {world.alice.user_id, world.bob.user_id}  # every member but its author
    text = _feed(world.alice, world)
    assert "Vente de garage annulée" in text and "Épinglé" in text
    assert client_for(world.alice).get(f"/posts/{held.pk}/").status_code == 200
    assert Case.objects.get(target_type="post", target_id=held.pk).status == "closed"


def test_hiding_a_comment_withdraws_its_notification(world: World) -> None:
    _filter(world)
    post = notice(world, title="Vente de garage annulée", urgency="urgent", category="works")
    _decide(world, "post", post.pk, "approve")
    comment = actions.add_comment(world.alice.user, post, "Merci pour l'information.")
    assert comment.moderation == ""
    assert Notification.objects.filter(user=world.claire, source=f"comment:{comment.pk}")
    alert = Notification.objects.get(user=world.alice.user, source=f"post:{post.pk}")

    decision = _decide(world, "comment", comment.pk, "hide")

    assert decision.status == "applied"  # a co-animator hides a resident's comment alone
    comment.refresh_from_db()
    assert comment.moderation == "hidden"
    assert not Notification.objects.filter(source=f"comment:{comment.pk}").exists()
    assert Notification.objects.filter(pk=alert.pk).exists()  # the post's stays
    assert Comment.objects.count() == 1
    page = client_for(world.claire).get(f"/posts/{post.pk}/").text
    assert "Merci pour l&#x27;information." not in page


# ---- 2. editing a post through the API --------------------------------------------------------


def test_editing_a_post_with_a_blank_title_is_refused(world: World) -> None:
    post = news(world)
    response = client_for(world.bob).patch(
        f"/api/v1/posts/{post.pk}", {"title": "   "}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Donnez un titre.", "code": "title"}
    post.refresh_from_db()
    assert post.title == "Atelier couture samedi"


def test_editing_a_post_with_a_filtered_word_holds_it_again(world: World) -> None:
    post = news(world)
    assert "Atelier couture samedi" in _api_feed_titles(world.alice, world)
    _filter(world)
    response = client_for(world.bob).patch(
        f"/api/v1/posts/{post.pk}",
        {"body": "Vente de tissus à la fin."},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["moderation"] == "held"
    assert response.json()["body"] == "Vente de tissus à la fin."
    post.refresh_from_db()
    assert post.moderation == "held"
    assert "Atelier couture samedi" not in _api_feed_titles(world.alice, world)
    assert "Atelier couture samedi" not in _feed(world.alice, world)
    assert client_for(world.alice).get(f"/posts/{post.pk}/").status_code == 404
    case = Case.objects.get(target_type="post", target_id=post.pk)
    assert (case.status, case.origin, case.author_id) == ("open", "keyword", world.bob.user_id)
    assert "contient un mot" in client_for(world.bob).get(f"/posts/{post.pk}/").text


def test_a_post_held_after_an_edit_leaves_the_members_notifications(world: World) -> None:
    post = news(world)
    assert Notification.objects.filter(user=world.alice.user, source=f"post:{post.pk}")
    _filter(world)
    actions.edit_post(world.bob.user, post, body="Vente de tissus à la fin.")
    # Held like a hidden post: what pointed to it (a 404 for Alice now) is withdrawn.
    assert not Notification.objects.filter(source=f"post:{post.pk}").exists()


# ---- 3. deleting a post from its page -------------------------------------------------------


def test_deleting_a_post_from_its_page_removes_it_and_its_notifications(world: World) -> None:
    post = news(world)
    assert Notification.objects.filter(user=world.alice.user, source=f"post:{post.pk}")
    refused = client_for(world.alice).post(f"/posts/{post.pk}/delete/")
    assert refused.status_code == 403  # not its author
    assert Post.objects.filter(pk=post.pk).exists()

    bob = client_for(world.bob)
    response = bob.post(f"/posts/{post.pk}/delete/")

    assert response.status_code == 302
    assert response["Location"] == f"/r/{world.residence.pk}/feed/"
    assert not Post.objects.filter(pk=post.pk).exists()
    assert not Notification.objects.filter(source=f"post:{post.pk}").exists()
    assert "Supprimé." in bob.get(response["Location"]).text
    assert bob.post(f"/posts/{post.pk}/delete/").status_code == 404  # once


# ---- 4. comments and reactions through the API ----------------------------------------------


def test_comments_through_the_api(world: World) -> None:
    post = news(world)
    url = f"/api/v1/posts/{post.pk}/comments"
    created = _post_json(world.alice, url, {"body": "  J'apporte du fil !  "})
    assert created.status_code == 201
    assert created.json()["body"] == "J'apporte du fil !"
    assert created.json()["moderation"] == ""
    assert Comment.objects.count() == 1

    blank = _post_json(world.alice, url, {"body": "   "})
    assert blank.status_code == 400
    assert blank.json() == {"detail": "Écrivez un commentaire.", "code": "empty"}
    assert Comment.objects.count() == 1

    too_long = _post_json(world.alice, url, {"body": "a" * (COMMENT_MAX_LENGTH + 1)})
    assert too_long.status_code == 422
    assert too_long.json()["detail"].startswith("Requête invalide")
    assert "body" in too_long.json()["detail"]
    assert Comment.objects.count() == 1

    _filter(world)
    held = _post_json(world.alice, url, {"body": "Vente de laine chez moi"})
    assert held.status_code == 201
    assert held.json()["moderation"] == "held"
    assert Comment.objects.count() == 2
    assert Comment.objects.filter(moderation="held").count() == 1
    assert Case.objects.filter(target_type="comment", target_id=held.json()["id"]).exists()
    # Only the visible comment told the post's author.
    told = Notification.objects.filter(user=world.bob.user, source__startswith="comment:")
    assert list(told.values_list("source", flat=True)) == [f"comment:{created.json()['id']}"]


def test_an_unknown_reaction_is_refused(world: World) -> None:
    post = news(world)
    response = _post_json(world.alice, f"/api/v1/posts/{post.pk}/reactions", {"kind": "love"})
    assert response.status_code == 400
    assert response.json() == {"detail": "Choisissez une réaction.", "code": "kind"}
    assert not Reaction.objects.exists()


# ---- 5. publishing a notice through the API ------------------------------------------------


def _notice_body(**extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "notice",
        "title": "Coupure d'eau jeudi",
        "body": "De 9 h à 12 h.",
        "category": "water",
        "urgency": "info",
        "valid_until": (timezone.now() + datetime.timedelta(days=2)).isoformat(),
    }
    body.update(extra)
    return body


@pytest.mark.parametrize(
    ("extra", "code", "detail"),
    [
        ({"category": "plumbing"}, "category", "Choisissez une catégorie."),
        ({"category": ""}, "category", "Choisissez une catégorie."),
        ({"urgency": "panic"}, "urgency", "Indiquez le degré d’urgence."),
        (
            {"valid_until": (timezone.now() + datetime.timedelta(days=367)).isoformat()},
            "valid_until",
            "Un avis est valable un an au plus.",
        ),
        ({"valid_until": None}, "valid_until", "Indiquez jusqu’à quand l’avis est valable."),
        ({"title": "   "}, "title", "Donnez un titre."),
    ],
)
def test_a_bad_notice_is_refused_with_a_code(
    world: World, extra: dict[str, Any], code: str, detail: str
) -> None:
    response = _post_json(
        world.claire, f"/api/v1/residences/{world.residence.pk}/posts", _notice_body(**extra)
    )
    assert response.status_code == 400
    assert response.json() == {"detail": detail, "code": code}
    assert not Post.objects.exists()
    assert not Notification.objects.exists()


def test_a_good_notice_is_published_through_the_api(world: World) -> None:
    response = _post_json(
        world.claire, f"/api/v1/residences/{world.residence.pk}/posts", _notice_body()
    )
    assert response.status_code == 201
    assert Post.objects.get().title == "Coupure d'eau jeudi"


def test_an_unknown_kind_is_bad_input_not_a_refusal(world: World) -> None:
    for persona in (world.claire, world.alice):
        response = _post_json(
            persona,
            f"/api/v1/residences/{world.residence.pk}/posts",
            {"kind": "spaceship", "title": "Décollage"},
        )
        assert response.status_code == 400
        assert response.json()["code"] == "kind"
        assert response.json()["detail"]
    assert not Post.objects.exists()


def test_the_form_of_an_unknown_kind_does_not_exist(world: World) -> None:
    client = client_for(world.claire)
    client.raise_request_exception = False
    url = f"/r/{world.residence.pk}/feed/new/spaceship/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "Décollage"}).status_code == 404
    assert not Post.objects.exists()


# ---- 7. HTML forms ---------------------------------------------------------------------------


def test_the_event_form_refuses_a_start_in_the_past(world: World) -> None:
    past = timezone.localtime() - datetime.timedelta(days=1)
    response = client_for(world.bob).post(
        f"/r/{world.residence.pk}/feed/new-event/",
        {
            "title": "Fête des voisins",
            "starts_at": past.strftime("%Y-%m-%dT%H:%M"),
            "place": "Salle commune",
            "body": "",
        },
    )
    assert response.status_code == 400
    assert "Un événement commence dans le futur." in response.text
    assert not Event.objects.exists()
    assert not Post.objects.exists()


def test_the_notice_form_requires_a_validity_date(world: World) -> None:
    response = client_for(world.claire).post(
        f"/r/{world.residence.pk}/feed/new/notice/",
        {"title": "Coupure d'eau", "category": "water", "urgency": "info", "body": ""},
    )
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.text
    assert not Post.objects.exists()


def _initiative(world: World) -> Post:
    return actions.publish_post(
        world.alice.user, world.residence, kind="initiative", title="Potager partagé"
    )


def test_an_empty_outcome_is_refused_and_the_initiative_stays_as_it_was(world: World) -> None:
    post = _initiative(world)
    notes = Notification.objects.count()
    response = client_for(world.alice).post(
        f"/posts/{post.pk}/initiative/outcome/", {"outcome": "   "}, follow=True
    )
    assert response.redirect_chain == [(f"/posts/{post.pk}/", 302)]
    assert "Ce champ est obligatoire." in response.text
    initiative = Initiative.objects.get(post=post)
    assert (initiative.status, initiative.outcome, initiative.done_at) == ("idea", "", None)
    assert Notification.objects.count() == notes  # nobody told it is carried out


def test_done_is_not_a_step_one_chooses(world: World) -> None:
    post = _initiative(world)
    response = client_for(world.alice).post(
        f"/posts/{post.pk}/initiative/status/", {"status": "done"}, follow=True
    )
    assert response.redirect_chain == [(f"/posts/{post.pk}/", 302)]
    assert "une initiative est réalisée avec son compte rendu" in response.text
    assert Initiative.objects.get(post=post).status == "idea"


def test_a_vote_for_a_choice_that_is_not_a_number_is_refused(world: World) -> None:
    post = poll(world)
    response = client_for(world.alice).post(
        f"/posts/{post.pk}/vote/", {"choice": "abc"}, follow=True
    )
    assert response.redirect_chain == [(f"/posts/{post.pk}/#poll", 302)]
    assert "Choisissez parmi les réponses de ce sondage." in response.text
    assert not Ballot.objects.exists()
    assert not Vote.objects.exists()
