from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from apps.residences import actions
from apps.residences.models import AuditEntry, Membership, Residence, Role, Status
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db


def test_approving_activates_audits_and_publishes_on_commit(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        actions.approve_join(world.bob.user, world.pending)
    membership = Membership.objects.get(pk=world.pending.pk)
    assert (membership.status, membership.decided_by) == (Status.ACTIVE, world.bob.user)
    assert AuditEntry.objects.filter(verb="join.approved", actor=world.bob.user).exists()
    assert len(callbacks) == 2  # moderators' list and the new member


def test_nothing_is_published_when_the_action_fails(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    actions.decline_join(world.bob.user, world.pending)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ValidationError):
        actions.approve_join(world.bob.user, world.pending)
    assert callbacks == []
    assert Membership.objects.get(pk=world.pending.pk).status == Status.DECLINED


def test_a_declined_person_may_ask_again(world: World) -> None:
    actions.decline_join(world.bob.user, world.pending)
    again = actions.request_join(world.pending.user, "TILLEULS", charter_accepted=True)
    assert (again.pk, again.status) == (world.pending.pk, Status.PENDING)


def test_the_approval_page_approves_and_declines(world: World) -> None:
    client = client_for(world.bob)
    page = client.get(f"/r/{world.residence.pk}/requests/")
    assert "Paul Nouveau" in page.text
    client.post(f"/requests/{world.pending.pk}/approve/")
    assert Membership.objects.get(pk=world.pending.pk).status == Status.ACTIVE
    follow = client.post(f"/requests/{world.pending.pk}/decline/", follow=True)
    assert "déjà été traitée" in follow.text
    assert Membership.objects.get(pk=world.pending.pk).status == Status.ACTIVE


def test_regenerating_the_code_retires_the_old_one(world: World) -> None:
    client = client_for(world.bob)
    page = client.get(f"/r/{world.residence.pk}/invitation/")
    assert "TILLEULS" in page.text
    assert "<svg" in page.text
    client.post(f"/r/{world.residence.pk}/invitation/")
    residence = Residence.objects.get(pk=world.residence.pk)
    assert residence.invitation_code != "TILLEULS"
    with pytest.raises(ValidationError):
        actions.request_join(world.eve.user, "TILLEULS", charter_accepted=True)
    assert actions.request_join(
        world.eve.user, residence.invitation_code.lower(), charter_accepted=True
    )


def test_staff_appoint_and_revoke_co_animators(world: World) -> None:
    client = client_for(world.claire)
    client.post(f"/members/{world.alice.pk}/appoint/")
    assert Membership.objects.get(pk=world.alice.pk).role == Role.CO_ANIMATOR
    client.post(f"/members/{world.alice.pk}/revoke/")
    assert Membership.objects.get(pk=world.alice.pk).role == Role.RESIDENT
    assert list(
        AuditEntry.objects.filter(actor=world.claire).values_list("verb", flat=True).order_by("pk")
    ) == [
        "co_animator.appointed",
        "co_animator.revoked",
    ]


def test_a_pending_member_cannot_be_appointed(world: World) -> None:
    response = client_for(world.claire).post(f"/members/{world.pending.pk}/appoint/", follow=True)
    assert "Seuls les membres actifs" in response.text
    assert Membership.objects.get(pk=world.pending.pk).role == Role.RESIDENT


def test_staff_create_residences_for_their_landlord(world: World) -> None:
    client = client_for(world.claire)
    response = client.post(
        f"/staff/landlords/{world.landlord.pk}/residences/new/",
        {
            "name": "Les Acacias",
            "address": "5 rue C",
            "postcode": "69003",
            "city": "Lyon",
            "entrances": "A\nB\nA",
        },
    )
    created = Residence.objects.get(name="Les Acacias")
    assert response["Location"] == f"/r/{created.pk}/"
    assert list(created.entrances.values_list("name", flat=True)) == ["A", "B"]
    assert "Les Acacias" in client.get("/staff/").text


def test_a_bad_residence_form_keeps_the_input(world: World) -> None:
    client = client_for(world.claire)
    response = client.post(
        f"/staff/landlords/{world.landlord.pk}/residences/new/",
        {"name": "Les Tilleuls", "address": "5 rue C", "postcode": "6900", "city": "Lyon"},
    )
    assert response.status_code == 200
    assert "cinq chiffres" in response.text
    assert "5 rue C" in response.text
    response = client.post(
        f"/staff/landlords/{world.landlord.pk}/residences/new/",
        {"name": "Les Tilleuls", "address": "5 rue C", "postcode": "69003", "city": "Lyon"},
    )
    assert "a déjà une résidence nommée" in response.text
    assert Residence.objects.filter(name="Les Tilleuls").count() == 1


def test_the_staff_area_is_for_staff(world: World) -> None:
    assert client_for(world.alice).get("/staff/").status_code == 403
    page = client_for(world.claire).get("/staff/")
    assert "Les Tilleuls" in page.text
    assert "Le Vulcain" not in page.text


def test_staff_accredit_a_partner_organisation(world: World) -> None:
    from apps.residences.models import PartnerOrganisation

    organisation = PartnerOrganisation.objects.create(name="CCAS de Lyon", kind="public_service")
    client = client_for(world.claire)
    client.post(f"/r/{world.residence.pk}/partners/", {"organisation": organisation.pk})
    assert organisation.accreditations.filter(residence=world.residence).exists()
    assert "CCAS de Lyon" in client.get(f"/r/{world.residence.pk}/partners/").text
    response = client.post(f"/r/{world.residence.pk}/partners/", {"organisation": 999999})
    assert response.status_code == 200
    assert 'class="errors"' in response.text
