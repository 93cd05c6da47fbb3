"""Landlord notices and news in the residence feed: who publishes what, pinning, expiry, the
city audience, comments, reactions, read counts, the printable notice, moderation."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.community import actions
from apps.community.models import Comment, NoticeRead, Post
from apps.exchanges import actions as exchange_actions
from apps.moderation import actions as moderation
from apps.notifications.models import Notification
from apps.residences.models import Membership, Residence, Role, Status
from apps.seniors import actions as senior_actions
from tests.community.helpers import news, notice
from tests.conftest import World, client_for, make_user

pytestmark = pytest.mark.django_db


def _feed(client: Any, world: World, query: str = "") -> str:
    response = client.get(f"/r/{world.residence.pk}/feed/{query}")
    assert response.status_code == 200
    return str(response.text)


def test_an_urgent_notice_is_pinned_and_notifies_every_member_at_once(world: World) -> None:
    older = news(world, title="Fête des voisins")
    urgent = notice(world, title="Ascenseur en panne", urgency="urgent", category="lift")
    later = news(world, title="Une actualité plus récente")
    text = _feed(client_for(world.alice), world)
    assert text.index("Ascenseur en panne") < text.index("Une actualité plus récente")
    assert text.index("Une actualité plus récente") < text.index("Fête des voisins")
    assert "Épinglé" in text
    alerts = Notification.objects.filter(source=f"post:{urgent.pk}")
    assert set(alerts.values_list("user_id", flat=True)) == {world.alice.user_id, world.bob.user_id}
    assert alerts.first().title == "Avis urgent : Ascenseur en panne"  # type: ignore[union-attr]
    assert older.pinned_until is None and later.pinned_until is None
    # An information notice notifies nobody; news goes to the members' news.
    quiet = notice(world, title="Ménage des vitres")
    assert not Notification.objects.filter(source=f"post:{quiet.pk}").exists()
    assert Notification.objects.filter(source=f"post:{older.pk}", user=world.alice.user).exists()


def test_an_expired_notice_leaves_the_feed(world: World) -> None:
    post = notice(world, title="Travaux passés")
    assert "Travaux passés" in _feed(client_for(world.alice), world)
    post.notice.valid_until = timezone.now() - datetime.timedelta(minutes=1)
    post.notice.save(update_fields=["valid_until"])
    assert "Travaux passés" not in _feed(client_for(world.alice), world)


@pytest.mark.parametrize(
    ("who", "kind", "allowed"),
    [
        ("alice", "notice", False),
        ("bob", "notice", False),
        ("claire", "notice", True),
        ("alice", "news", False),
        ("bob", "news", True),
        ("claire", "news", True),
        ("dave", "news", True),
        ("dave", "notice", False),
    ],
)
def test_who_publishes_what(world: World, who: str, kind: str, allowed: bool) -> None:
    actor = {"alice": world.alice.user, "bob": world.bob.user, "claire": world.claire}.get(
        who, world.dave
    )
    values: dict[str, Any] = {"kind": kind, "title": "Titre", "body": "Texte"}
    if kind == "notice":
        values |= {"category": "works", "valid_until": timezone.now() + datetime.timedelta(days=1)}
    if allowed:
        assert actions.publish_post(actor, world.residence, **values).pk
    else:
        with pytest.raises(PermissionDenied):
            actions.publish_post(actor, world.residence, **values)


def test_a_resident_posting_a_notice_gets_403_with_the_reason(world: World) -> None:
    response = client_for(world.alice).post(
        f"/api/v1/residences/{world.residence.pk}/posts",
        {"kind": "notice", "title": "Faux avis", "category": "works"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "personnel du bailleur" in response.json()["detail"]
    page = client_for(world.alice).get(f"/r/{world.residence.pk}/feed/new/notice/")
    assert page.status_code == 403 and "personnel du bailleur" in page.text
    assert not Post.objects.exists()


def test_bad_input_is_refused_with_a_reason(world: World) -> None:
    with pytest.raises(ValidationError) as no_title:
        news(world, title="  ")
    assert no_title.value.code == "title"
    with pytest.raises(ValidationError) as no_end:
        notice(world, valid_until=None)
    assert no_end.value.code == "valid_until"
    with pytest.raises(ValidationError) as foreign:
        notice(world, entrance_ids=[999_999])
    assert foreign.value.code == "entrances"
    with pytest.raises(ValidationError) as city:
        notice(world, audience="city")
    assert city.value.code == "audience"
    assert not Post.objects.exists()


def test_a_partner_signs_with_its_organisation_and_sees_only_its_own_posts(world: World) -> None:
    own = news(world, world.dave, title="Permanence du centre social")
    news(world, title="Actualité des co-animateurs")
    assert own.signed_as == "Centre social"
    text = _feed(client_for(world.dave), world)
    assert "Permanence du centre social" in text and "Actualité des co-animateurs" not in text
    assert "Centre social" in _feed(client_for(world.alice), world)
    assert (
        client_for(world.dave).post(f"/posts/{own.pk}/comment/", {"body": "x"}).status_code == 403
    )


def test_news_for_the_city_reaches_the_landlords_other_residences_there(world: World) -> None:
    neighbour = Residence.objects.create(
        landlord=world.landlord,
        name="Les Érables",
        address="3 rue C",
        postcode="69008",
        city="Lyon",
    )
    elsewhere = Residence.objects.create(
        landlord=world.landlord,
        name="Les Pins",
        address="4 rue D",
        postcode="38000",
        city="Grenoble",
    )
    members = {}
    for residence in (neighbour, elsewhere):
        user = make_user(f"m{residence.pk}@test.fr", "Voisin", residence.name)
        Membership.objects.create(
            user=user, residence=residence, role=Role.RESIDENT, status=Status.ACTIVE
        )
        members[residence.pk] = user
    post = news(world, world.claire, title="Collecte de jouets à Lyon", audience="city")
    seen = client_for(members[neighbour.pk]).get(f"/r/{neighbour.pk}/feed/").text
    assert "Collecte de jouets à Lyon" in seen
    assert client_for(members[neighbour.pk]).get(f"/posts/{post.pk}/").status_code == 200
    assert (
        "Collecte de jouets"
        not in client_for(members[elsewhere.pk]).get(f"/r/{elsewhere.pk}/feed/").text
    )
    assert client_for(members[elsewhere.pk]).get(f"/posts/{post.pk}/").status_code == 404
    assert client_for(world.eve).get(f"/posts/{post.pk}/").status_code == 404


def test_comments_and_reactions(world: World) -> None:
    post = news(world)
    client = client_for(world.alice)
    empty = client.post(f"/posts/{post.pk}/comment/", {"body": "  "})
    assert empty.status_code == 400
    done = client.post(f"/posts/{post.pk}/comment/", {"body": "J'apporte du fil !"})
    assert done.status_code == 302
    comment = Comment.objects.get()
    assert done["Location"] == f"/posts/{post.pk}/#comment-{comment.pk}"
    assert Notification.objects.filter(user=world.bob.user, source=f"comment:{comment.pk}")
    assert actions.react(world.alice.user, post, "join") is True
    assert actions.react(world.alice.user, post, "join") is False
    assert actions.react(world.alice.user, post, "thanks") is True
    with pytest.raises(ValidationError):
        actions.react(world.alice.user, post, "love")
    page = client.get(f"/posts/{post.pk}/").text
    assert "J&#x27;apporte du fil !" in page
    assert 'aria-pressed="true"' in page
    assert '<a href="https://exemple.fr/couture"' in page  # links made clickable
    api = client.post(
        f"/api/v1/posts/{post.pk}/reactions", {"kind": "idea"}, content_type="application/json"
    )
    assert api.json() == {"kind": "idea", "on": True}


def test_raw_html_is_shown_as_text(world: World) -> None:
    post = news(world, body="<script>alert(1)</script> <b>gras</b>")
    page = client_for(world.alice).get(f"/posts/{post.pk}/").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_staff_see_how_many_read_a_notice_and_can_print_it(world: World) -> None:
    post = notice(world, title="Désinsectisation", entrance_ids=[])
    client_for(world.alice).get(f"/posts/{post.pk}/")
    client_for(world.alice).get(f"/posts/{post.pk}/")
    client_for(world.bob).get(f"/posts/{post.pk}/")
    assert NoticeRead.objects.filter(post=post).count() == 2
    staff_page = client_for(world.claire).get(f"/posts/{post.pk}/").text
    assert "Lu par" in staff_page and "2 membres" in staff_page
    assert "Lu par" not in client_for(world.alice).get(f"/posts/{post.pk}/").text
    printable = client_for(world.alice).get(f"/posts/{post.pk}/print/")
    assert printable.status_code == 200
    assert "css/notice_print.css" in printable.text and "Désinsectisation" in printable.text
    assert client_for(world.alice).get(f"/posts/{news(world).pk}/print/").status_code == 404


def test_the_feed_mixes_exchanges_thanks_and_help_requests_and_filters_by_kind(
    world: World,
) -> None:
    news(world, title="Vide-grenier")
    exchange_actions.post_exchange(
        world.alice.user,
        world.residence,
        kind="offer",
        category="diy",
        title="Je prête ma perceuse",
    )
    senior_actions.post_help_request(
        world.alice.user, world.residence, kind="shopping", when_text="Mardi", contact="message"
    )
    client = client_for(world.bob)
    text = _feed(client, world)
    for expected in ("Vide-grenier", "Je prête ma perceuse", "Courses"):
        assert expected in text, expected
    only_news = _feed(client, world, "?kind=news")
    assert "Vide-grenier" in only_news and "perceuse" not in only_news
    api = client.get(f"/api/v1/residences/{world.residence.pk}/feed?kind=exchange").json()
    assert [i["title"] for i in api] == ["Je prête ma perceuse"]
    assert client.get(f"/api/v1/residences/{world.residence.pk}/feed?kind=nope").status_code == 400
    # Partners see none of the members' exchanges or help requests.
    assert "perceuse" not in _feed(client_for(world.dave), world)


def test_the_feed_pages_with_before(world: World) -> None:
    for i in range(25):
        news(world, title=f"Nouvelle {i:02d}")
    client = client_for(world.alice)
    first = client.get(f"/api/v1/residences/{world.residence.pk}/feed?kind=news").json()
    assert len(first) == 20 and first[0]["title"] == "Nouvelle 24"
    before = first[-1]["at"]
    second = client.get(
        f"/api/v1/residences/{world.residence.pk}/feed", {"kind": "news", "before": before}
    ).json()
    assert [i["title"] for i in second] == [f"Nouvelle {i:02d}" for i in range(4, -1, -1)]


def test_a_reported_post_can_be_hidden_and_leaves_the_feed(world: World) -> None:
    post = news(world, title="Le bailleur ne fait rien")
    moderation.report(world.alice.user, "post", post.pk, reason="disrespect")
    decision = moderation.decide(
        world.claire,
        world.residence,
        target_type="post",
        target_id=post.pk,
        action="hide",
        reason="disrespect",
        explanation="Critique.",
    )
    assert decision.status == "applied"  # the author is a co-animator: staff act alone
    assert "Le bailleur ne fait rien" not in _feed(client_for(world.alice), world)
    assert client_for(world.alice).get(f"/posts/{post.pk}/").status_code == 404
    assert not Notification.objects.filter(source=f"post:{post.pk}").exists()
    assert "Masqué par la modération" in client_for(world.bob).get(f"/posts/{post.pk}/").text


def test_a_comment_with_a_filtered_word_is_held(world: World) -> None:
    post = news(world)
    moderation.update_settings(
        world.bob.user, world.residence, keywords="arnaque", hold_new_members=False, charter=""
    )
    comment = actions.add_comment(world.alice.user, post, "C'est une arnaque")
    assert comment.moderation == "held"
    assert "C&#x27;est une arnaque" not in client_for(world.claire).get(f"/posts/{post.pk}/").text
    assert "En attente de vérification" in client_for(world.alice).get(f"/posts/{post.pk}/").text
    moderation.decide(
        world.bob.user,
        world.residence,
        target_type="comment",
        target_id=comment.pk,
        action="approve",
        reason="other",
        explanation="Rien de grave.",
    )
    assert "C&#x27;est une arnaque" in client_for(world.claire).get(f"/posts/{post.pk}/").text


def test_the_author_edits_and_deletes_through_the_api(world: World) -> None:
    post = news(world)
    client = client_for(world.bob)
    patched = client.patch(
        f"/api/v1/posts/{post.pk}", {"title": "Atelier reporté"}, content_type="application/json"
    )
    assert patched.status_code == 200 and patched.json()["title"] == "Atelier reporté"
    assert (
        client_for(world.alice)
        .patch(f"/api/v1/posts/{post.pk}", {"title": "x"}, content_type="application/json")
        .status_code
        == 403
    )
    assert client_for(world.alice).delete(f"/api/v1/posts/{post.pk}").status_code == 403
    assert client.delete(f"/api/v1/posts/{post.pk}").status_code == 204
    assert not Post.objects.exists()


def test_a_partner_sees_the_residences_events_but_cannot_sign_up(world: World) -> None:
    from apps.events import actions as events

    event = events.publish_event(
        world.bob.user,
        world.residence,
        title="Loto de la résidence",
        starts_at=timezone.now() + datetime.timedelta(days=3),
        place="Salle commune",
    )
    news(world, title="Actualité interne")
    partner = client_for(world.dave)
    text = _feed(partner, world)
    assert "Loto de la résidence" in text and "Actualité interne" not in text
    assert partner.get(f"/posts/{event.pk}/").status_code == 200
    assert partner.post(f"/posts/{event.pk}/rsvp/", {"going": "1"}).status_code == 403


def test_a_kind_filter_fills_its_page_even_when_other_kinds_are_newer(world: World) -> None:
    for i in range(22):
        news(world, title=f"Nouvelle {i:02d}")
    for i in range(25):
        notice(world, title=f"Avis {i:02d}")  # newer than every news item
    client = client_for(world.alice)
    page = client.get(f"/api/v1/residences/{world.residence.pk}/feed?kind=news").json()
    assert [i["title"] for i in page] == [f"Nouvelle {i:02d}" for i in range(21, 1, -1)]


def test_the_author_of_a_held_post_is_told_the_right_reason(world: World) -> None:
    moderation.update_settings(
        world.bob.user, world.residence, keywords="vente", hold_new_members=True, charter=""
    )
    Membership.objects.filter(pk=world.alice.pk).update(decided_at=timezone.now())
    first = actions.publish_post(
        world.alice.user, world.residence, kind="initiative", title="Potager"
    )
    assert first.moderation == "held"
    assert "Bienvenue" in client_for(world.alice).get(f"/posts/{first.pk}/").text
    by_keyword = news(world, world.claire, title="Grande vente au local")
    page = client_for(world.claire).get(f"/posts/{by_keyword.pk}/").text
    assert "contient un mot que les co-animateurs vérifient" in page
    client = client_for(world.dave)  # a partner: the keyword rule only
    response = client.post(
        f"/r/{world.residence.pk}/feed/new/news/",
        {"title": "Vente solidaire", "body": "", "audience": "residence"},
    )
    assert response.status_code == 302
    assert "contient un mot" in client.get(response["Location"]).text
    assert "Bienvenue" not in client.get(response["Location"]).text
