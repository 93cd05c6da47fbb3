"""Initiatives: from the idea to what came of it, with photos, the "je participe" list, a team
conversation on demand and the residence page valuing what was carried out."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.community import actions, initiatives
from apps.community.models import Initiative, PostImage
from apps.messaging.models import Participant
from apps.notifications.models import Notification
from apps.residences.models import Membership, Role, Status
from apps.uploads.images import process_image
from tests.conftest import World, client_for, make_user
from tests.uploads_helpers import photo_file

pytestmark = pytest.mark.django_db


def _member(world: World, first: str) -> Any:
    user = make_user(f"{first.lower()}@test.fr", first, "Voisin")
    Membership.objects.create(
        user=user, residence=world.residence, role=Role.RESIDENT, status=Status.ACTIVE
    )
    return user


def _garden(world: World) -> Any:
    return initiatives.publish_initiative(
        world.alice.user,
        world.residence,
        title="Jardin partagé",
        body="Des bacs dans la cour, qui est partant ?",
        photos=[process_image(photo_file())],
    )


def test_a_resident_proposes_an_initiative_with_a_photo(world: World) -> None:
    post = _garden(world)
    assert Initiative.objects.get(post=post).status == "idea"
    assert PostImage.objects.filter(post=post, outcome=False).count() == 1
    feed = client_for(world.bob).get(f"/r/{world.residence.pk}/feed/?kind=initiative").text
    assert "Jardin partagé" in feed and "Initiative · Idée" in feed
    image = PostImage.objects.get(post=post)
    assert client_for(world.bob).get(f"/posts/{post.pk}/images/{image.pk}/").status_code == 200
    assert client_for(world.eve).get(f"/posts/{post.pk}/images/{image.pk}/").status_code == 404
    with pytest.raises(PermissionDenied):
        initiatives.publish_initiative(world.dave, world.residence, title="Partenaire")


def test_it_goes_from_idea_to_done_with_participants_and_a_report(world: World) -> None:
    post = _garden(world)
    zoe, yann = _member(world, "Zoé"), _member(world, "Yann")
    for person in (zoe, yann):
        actions.react(person, post, "join")
    with pytest.raises(PermissionDenied):
        initiatives.set_status(zoe, post, "preparing")  # only its lead or a co-animator
    initiatives.set_status(world.alice.user, post, "preparing")
    initiatives.set_status(world.bob.user, post, "ongoing")
    with pytest.raises(ValidationError):
        initiatives.set_status(world.alice.user, post, "done")  # done comes with its report
    page = client_for(world.alice).get(f"/posts/{post.pk}/").text
    assert "2 voisins participent" in page and "Zoé V." in page and "Yann V." in page
    with pytest.raises(ValidationError):
        initiatives.report_outcome(world.alice.user, post, "  ")
    initiatives.report_outcome(
        world.alice.user,
        post,
        "Six bacs plantés, des tomates en juillet.",
        [process_image(photo_file("result.jpg"))],
    )
    initiative = Initiative.objects.get(post=post)
    assert initiative.status == "done" and initiative.done_at is not None
    assert PostImage.objects.filter(post=post, outcome=True).count() == 1
    assert Notification.objects.filter(user=zoe, source=f"post:{post.pk}").count() == 1
    with pytest.raises(ValidationError):
        initiatives.report_outcome(world.alice.user, post, "Encore")
    residence_page = client_for(world.bob).get(f"/r/{world.residence.pk}/").text
    assert "Initiatives réalisées" in residence_page and "Jardin partagé" in residence_page


def test_the_team_conversation_is_made_on_demand_with_the_participants(world: World) -> None:
    post = _garden(world)
    zoe = _member(world, "Zoé")
    actions.react(zoe, post, "join")
    with pytest.raises(ValidationError) as too_few:
        initiatives.team(world.alice.user, post)
    assert too_few.value.code == "too_few"
    yann, sam = _member(world, "Yann"), _member(world, "Sam")
    actions.react(yann, post, "join")
    with pytest.raises(PermissionDenied):
        initiatives.team(sam, post)  # not taking part
    conversation = initiatives.team(zoe, post)
    members = set(
        Participant.objects.filter(conversation=conversation).values_list("user_id", flat=True)
    )
    assert members == {world.alice.user_id, zoe.pk, yann.pk}
    actions.react(sam, post, "join")
    assert initiatives.team(sam, post) == conversation  # a later participant joins it
    assert Participant.objects.filter(conversation=conversation, user=sam).exists()
    response = client_for(world.alice).post(f"/posts/{post.pk}/initiative/team/")
    assert response.status_code == 302 and response["Location"] == f"/messages/{conversation.pk}/"


def test_the_pages_work_without_javascript(world: World) -> None:
    client = client_for(world.alice)
    form = client.get(f"/r/{world.residence.pk}/feed/new/initiative/")
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.text
    bad = client.post(
        f"/r/{world.residence.pk}/feed/new/initiative/",
        {"title": "Atelier couture", "photo": SimpleUploadedFile("notes.txt", b"pas une image")},
    )
    assert bad.status_code == 400
    created = client.post(
        f"/r/{world.residence.pk}/feed/new/initiative/",
        {"title": "Atelier couture", "body": "Le mardi", "photo": photo_file()},
    )
    assert created.status_code == 302
    post_id = int(created["Location"].strip("/").split("/")[-1])
    client.post(f"/posts/{post_id}/initiative/status/", {"status": "ongoing"})
    assert Initiative.objects.get(post_id=post_id).status == "ongoing"
    client.post(
        f"/posts/{post_id}/initiative/outcome/",
        {"outcome": "Douze jupes cousues !", "photo": photo_file("jupes.jpg")},
    )
    assert Initiative.objects.get(post_id=post_id).status == "done"
    assert "Douze jupes cousues" in client_for(world.bob).get(f"/posts/{post_id}/").text
