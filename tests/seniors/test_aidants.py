"""Registered helpers (aidants): a moderator records a senior's consent; the helper then asks
for help for that senior only and follows their requests like them; the senior (or a moderator)
withdraws it; an expired or withdrawn consent no longer counts."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.notifications.models import Notification
from apps.seniors import access, actions
from apps.seniors.models import Consent, HelpRequest
from tests.conftest import World, client_for
from tests.seniors.helpers import resident, volunteer

pytestmark = pytest.mark.django_db


def _register(world: World, helper: object, **extra: object) -> Consent:
    fields: dict[str, object] = {"how": "written"}
    fields.update(extra)
    return actions.register_aidant(
        world.bob.user,
        world.residence,
        senior_id=world.alice.user_id,
        aidant_id=helper.pk,  # type: ignore[attr-defined]
        **fields,  # type: ignore[arg-type]
    )


def _ask(world: World, helper: object, senior_id: int | None = None) -> HelpRequest:
    return actions.post_help_request(
        helper,
        world.residence,
        kind="shopping",
        when_text="Jeudi",
        contact="phone",
        phone="06 12 34 56 78",
        senior_id=senior_id or world.alice.user_id,
    )


def test_it_lets_a_registered_helper_ask_for_their_senior(world: World) -> None:
    helper = resident(world, "hugo@test.fr", "Hugo")
    consent = _register(world, helper, expires_on=timezone.localdate())
    assert (consent.scope, consent.recorded_by_id, consent.how) == (
        "aidant",
        world.bob.user_id,
        "written",
    )
    assert Notification.objects.filter(user=world.alice.user, kind="help").exists()
    assert Notification.objects.filter(user=helper, kind="help").exists()
    help_request = _ask(world, helper)
    assert (help_request.senior_id, help_request.posted_by_id) == (world.alice.user_id, helper.pk)
    # No new per-request consent: the standing one covers it.
    assert Consent.objects.count() == 1


def test_it_refuses_a_helper_for_another_senior(world: World) -> None:
    helper = resident(world, "hugo@test.fr", "Hugo")
    other = resident(world, "odile@test.fr", "Odile")
    _register(world, helper)
    with pytest.raises(PermissionDenied):
        _ask(world, helper, senior_id=other.pk)


def test_it_refuses_a_member_who_is_no_helper(world: World) -> None:
    stranger = resident(world, "sam@test.fr", "Sam")
    with pytest.raises(PermissionDenied):
        _ask(world, stranger)
    assert client_for(stranger).get(f"/r/{world.residence.pk}/help/on-behalf/").status_code == 403


def test_it_refuses_an_expired_or_withdrawn_consent(world: World) -> None:
    helper = resident(world, "hugo@test.fr", "Hugo")
    consent = _register(world, helper)
    Consent.objects.filter(pk=consent.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    with pytest.raises(PermissionDenied):
        _ask(world, helper)
    consent = _register(world, helper)
    actions.revoke_aidant(world.alice.user, consent)
    with pytest.raises(PermissionDenied):
        _ask(world, helper)
    consent.refresh_from_db()
    assert consent.revoked_at is not None and consent.revoked_by_id == world.alice.user_id


def test_it_lets_only_moderators_register(world: World) -> None:
    helper = resident(world, "hugo@test.fr", "Hugo")
    with pytest.raises(PermissionDenied):
        actions.register_aidant(
            world.alice.user,
            world.residence,
            senior_id=world.alice.user_id,
            aidant_id=helper.pk,
            how="oral",
        )
    consent = actions.register_aidant(
        world.claire,
        world.residence,
        senior_id=world.alice.user_id,
        aidant_id=helper.pk,
        how="oral",
    )
    assert consent.recorded_by_id == world.claire.pk


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"how": "telepathy"}, "consent"),
        ({"expires_on": datetime.date(2000, 1, 1)}, "expires_on"),
        ({"same": True}, "same"),
        ({"outsider": True}, "member"),
    ],
)
def test_it_refuses_a_bad_registration(world: World, change: dict[str, object], code: str) -> None:
    helper = resident(world, "hugo@test.fr", "Hugo")
    aidant_id = helper.pk
    if change.pop("same", False):
        aidant_id = world.alice.user_id
    if change.pop("outsider", False):
        aidant_id = world.eve.user_id
    fields: dict[str, object] = {"how": "oral", **change}
    with pytest.raises(ValidationError) as error:
        actions.register_aidant(
            world.bob.user,
            world.residence,
            senior_id=world.alice.user_id,
            aidant_id=aidant_id,
            **fields,  # type: ignore[arg-type]
        )
    assert error.value.code == code


def test_it_refuses_registering_twice(world: World) -> None:
    helper = resident(world, "hugo@test.fr", "Hugo")
    _register(world, helper)
    with pytest.raises(ValidationError) as error:
        _register(world, helper)
    assert error.value.code == "already"


def test_it_lets_the_senior_or_a_moderator_revoke_but_not_the_helper_or_another(
    world: World,
) -> None:
    helper = resident(world, "hugo@test.fr", "Hugo")
    other = resident(world, "sam@test.fr", "Sam")
    consent = _register(world, helper)
    for person in (helper, other):
        with pytest.raises(PermissionDenied):
            actions.revoke_aidant(person, consent)
    actions.revoke_aidant(world.bob.user, consent)
    with pytest.raises(ValidationError) as error:
        actions.revoke_aidant(world.alice.user, consent)
    assert error.value.code == "revoked"


def test_it_lets_the_helper_follow_complete_cancel_and_thank_like_the_senior(
    world: World,
) -> None:
    helper = resident(world, "hugo@test.fr", "Hugo")
    zoe = volunteer(world, "zoe@test.fr", "Zoé")
    _register(world, helper)
    # A request Alice posted herself: the helper sees her phone and acts on it.
    mine = actions.post_help_request(
        world.alice.user,
        world.residence,
        kind="shopping",
        when_text="Lundi",
        contact="phone",
        phone="06 12 34 56 78",
    )
    hr = access.access_help_request(helper, mine.pk)
    assert hr.is_aidant and hr.is_requester and hr.can_see_contact
    page = client_for(helper).get(f"/help/{mine.pk}/")
    assert "06 12 34 56 78" in page.content.decode()
    actions.take_request(zoe, mine)
    actions.complete_request(helper, mine)
    actions.thank_volunteer(helper, mine, "Merci Zoé")
    other = actions.post_help_request(
        world.alice.user, world.residence, kind="shopping", when_text="Mardi", contact="message"
    )
    actions.cancel_request(helper, other)
    assert HelpRequest.objects.get(pk=other.pk).status == "cancelled"
    # Another neighbour may not.
    sam = resident(world, "sam@test.fr", "Sam")
    assert not access.access_help_request(sam, mine.pk).is_requester
    third = actions.post_help_request(
        world.alice.user, world.residence, kind="shopping", when_text="Mercredi", contact="message"
    )
    with pytest.raises(PermissionDenied):
        actions.cancel_request(sam, third)


def test_it_offers_a_helper_only_their_seniors_without_consent_boxes(world: World) -> None:
    helper = resident(world, "hugo@test.fr", "Hugo")
    _register(world, helper)
    page = client_for(helper).get(f"/r/{world.residence.pk}/help/on-behalf/")
    assert page.status_code == 200
    choices = page.context["form"].fields["senior"].choices
    assert list(choices) == [(world.alice.user_id, "Alice M.")]
    assert "consent" not in page.context["form"].fields
    response = client_for(helper).post(
        f"/r/{world.residence.pk}/help/on-behalf/",
        {
            "senior": world.alice.user_id,
            "kind": "visit",
            "when_text": "Jeudi",
            "contact": "message",
        },
    )
    assert response.status_code == 302
    assert HelpRequest.objects.get().posted_by_id == helper.pk
    # Moderators still see every member, with the consent boxes.
    page = client_for(world.bob).get(f"/r/{world.residence.pk}/help/on-behalf/")
    assert len(page.context["form"].fields["senior"].choices) > 1
    assert "consent" in page.context["form"].fields


def test_it_registers_and_revokes_through_the_pages(world: World) -> None:
    helper = resident(world, "hugo@test.fr", "Hugo")
    url = f"/r/{world.residence.pk}/help/aidants/"
    bob = client_for(world.bob)
    refused = bob.post(url, {"senior": world.alice.user_id, "aidant": helper.pk, "how": "oral"})
    assert refused.status_code == 400  # the consent box is required
    response = bob.post(
        url, {"senior": world.alice.user_id, "aidant": helper.pk, "how": "oral", "consent": "on"}
    )
    assert response.status_code == 302
    consent = Consent.objects.get(scope="aidant")
    alice = client_for(world.alice)
    page = alice.get(url)
    assert page.status_code == 200 and "Hugo V." in page.content.decode()
    assert list(page.context["mine"]) == [consent]
    assert alice.post(url, {}).status_code == 403
    assert alice.post(f"/aidants/{consent.pk}/revoke/").status_code == 302
    consent.refresh_from_db()
    assert consent.revoked_at is not None
    assert client_for(world.eve).post(f"/aidants/{consent.pk}/revoke/").status_code == 404
    # Another member of the residence does not even see it.
    sam = resident(world, "sam@test.fr", "Sam")
    assert client_for(sam).post(f"/aidants/{consent.pk}/revoke/").status_code == 404


def test_it_answers_the_api(world: World) -> None:
    helper = resident(world, "hugo@test.fr", "Hugo")
    base = f"/api/v1/residences/{world.residence.pk}/aidants"
    created = client_for(world.bob).post(
        base,
        {"senior_id": world.alice.user_id, "aidant_id": helper.pk, "how": "phone"},
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["senior"]["id"], body["aidant"]["id"], body["how"]) == (
        world.alice.user_id,
        helper.pk,
        "phone",
    )
    again = client_for(world.bob).post(
        base,
        {"senior_id": world.alice.user_id, "aidant_id": helper.pk, "how": "phone"},
        content_type="application/json",
    )
    assert again.status_code == 400
    assert [c["id"] for c in client_for(world.alice).get(base).json()] == [body["id"]]
    revoked = client_for(world.alice).post(f"/api/v1/aidants/{body['id']}/revoke")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert client_for(world.eve).post(f"/api/v1/aidants/{body['id']}/revoke").status_code == 404


def test_it_lists_helpers_in_a_constant_number_of_queries(world: World) -> None:
    url = f"/r/{world.residence.pk}/help/aidants/"
    client = client_for(world.bob)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for i in range(2):
        _register(world, resident(world, f"h{i}@test.fr", f"H{i}"))
    small = count()
    for i in range(2, 12):
        _register(world, resident(world, f"h{i}@test.fr", f"H{i}"))
    assert count() == small
