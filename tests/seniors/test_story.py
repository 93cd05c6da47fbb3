"""The whole story without JavaScript: three steps → volunteers notified → take → conversation
→ done → thanks; then invalid transitions, who sees the phone, on-behalf with consent."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.messaging.models import Participant
from apps.notifications.models import Notification
from apps.residences.models import Membership
from apps.residences.models import Status as MembershipStatus
from apps.seniors import actions
from apps.seniors.models import Consent, HelpRequest, Status
from tests.conftest import World, client_for
from tests.seniors.helpers import post, resident, volunteer

pytestmark = pytest.mark.django_db


def test_it_runs_the_whole_story_in_three_steps_without_javascript(world: World) -> None:
    zoe = volunteer(world, "zoe@test.fr", "Zoé", ("shopping", "visit"))
    yann = volunteer(world, "yann@test.fr", "Yann", ("diy",))
    alice = client_for(world.alice)
    new = f"/r/{world.residence.pk}/help/new/"
    page = alice.get(new)
    assert page.status_code == 200
    assert "112" in page.content.decode()
    step2 = alice.post(new, {"kind": "shopping", "details": "Du pain et du lait"})
    assert step2.status_code == 302 and step2["Location"].endswith("?step=2")
    assert alice.get(new + "?step=2").status_code == 200
    step3 = alice.post(new + "?step=2", {"when_text": "Mardi matin", "when_date": ""})
    assert step3["Location"].endswith("?step=3")
    missing_phone = alice.post(new + "?step=3", {"contact": "phone", "phone": ""})
    assert missing_phone.status_code == 400
    done = alice.post(new + "?step=3", {"contact": "phone", "phone": "06 12 34 56 78"})
    assert done.status_code == 302
    help_request = HelpRequest.objects.get()
    assert done["Location"] == f"/help/{help_request.pk}/"
    assert (help_request.kind, help_request.details, help_request.when_text) == (
        "shopping",
        "Du pain et du lait",
        "Mardi matin",
    )
    assert help_request.senior_id == help_request.posted_by_id == world.alice.user_id
    assert Notification.objects.filter(user=zoe, kind="help").count() == 1
    assert not Notification.objects.filter(user=yann).exists()

    assert client_for(zoe).post(f"/help/{help_request.pk}/take/").status_code == 302
    help_request.refresh_from_db()
    assert help_request.status == Status.TAKEN and help_request.volunteer_id == zoe.pk
    assert help_request.conversation_id is not None
    assert set(
        Participant.objects.filter(conversation_id=help_request.conversation_id).values_list(
            "user_id", flat=True
        )
    ) == {zoe.pk, world.alice.user_id}
    assert Notification.objects.filter(user=world.alice.user, kind="help").exists()

    assert alice.post(f"/help/{help_request.pk}/complete/").status_code == 302
    help_request.refresh_from_db()
    assert help_request.status == Status.DONE and help_request.done_at is not None
    alice.post(f"/help/{help_request.pk}/thanks/", {"text": "Merci Zoé !"})
    help_request.refresh_from_db()
    assert help_request.thanks_text == "Merci Zoé !"
    assert Notification.objects.filter(user=zoe, title__icontains="Alice").exists()
    assert "Merci Zoé" in client_for(zoe).get(f"/help/{help_request.pk}/").content.decode()


def test_a_later_step_without_the_earlier_ones_goes_back_to_the_start(world: World) -> None:
    response = client_for(world.alice).get(f"/r/{world.residence.pk}/help/new/?step=3")
    assert response.status_code == 302
    assert response["Location"] == f"/r/{world.residence.pk}/help/new/"


def test_it_refuses_invalid_transitions(world: World) -> None:
    zoe = volunteer(world, "zoe@test.fr", "Zoé")
    yann = volunteer(world, "yann@test.fr", "Yann")
    stranger = resident(world, "sam@test.fr", "Sam")
    help_request = post(world)
    with pytest.raises(ValidationError) as own:
        actions.opt_in_volunteer(world.alice.user, world.residence, skills=["shopping"])
        actions.take_request(world.alice.user, help_request)
    assert own.value.code == "own"
    with pytest.raises(ValidationError) as not_volunteer:
        actions.take_request(stranger, help_request)
    assert not_volunteer.value.code == "not_volunteer"
    with pytest.raises(ValidationError) as not_taken:
        actions.complete_request(world.alice.user, help_request)
    assert not_taken.value.code == "not_taken"
    actions.take_request(zoe, help_request)
    with pytest.raises(ValidationError) as twice:
        actions.take_request(yann, help_request)
    assert twice.value.code == "already_taken"
    with pytest.raises(PermissionDenied):
        actions.complete_request(stranger, help_request)
    with pytest.raises(PermissionDenied):
        actions.thank_volunteer(zoe, help_request, "Merci")
    with pytest.raises(ValidationError):
        actions.thank_volunteer(world.alice.user, help_request, "Merci")  # not done yet
    Membership.objects.filter(user=zoe).update(status=MembershipStatus.LEFT)
    with pytest.raises(ValidationError) as left:
        actions.complete_request(zoe, help_request)
    assert left.value.code == "not_member"
    actions.complete_request(world.alice.user, help_request)
    with pytest.raises(ValidationError) as done_twice:
        actions.complete_request(world.alice.user, help_request)
    assert done_twice.value.code == "already_done"


def test_the_api_says_why_a_request_cannot_be_taken(world: World) -> None:
    zoe = volunteer(world, "zoe@test.fr", "Zoé")
    yann = volunteer(world, "yann@test.fr", "Yann")
    help_request = post(world)
    first = client_for(zoe).post(f"/api/v1/help-requests/{help_request.pk}/take")
    assert first.status_code == 200 and first.json()["volunteer_id"] == zoe.pk
    second = client_for(yann).post(f"/api/v1/help-requests/{help_request.pk}/take")
    assert second.status_code == 400
    assert second.json()["code"] == "already_taken"
    assert "déjà pris" in second.json()["detail"]
    stranger = client_for(resident(world, "sam@test.fr", "Sam"))
    assert stranger.post(f"/api/v1/help-requests/{help_request.pk}/complete").status_code == 403


def test_only_the_volunteer_and_moderators_see_the_phone(world: World) -> None:
    zoe = volunteer(world, "zoe@test.fr", "Zoé")
    yann = volunteer(world, "yann@test.fr", "Yann")
    help_request = post(world)
    url = f"/help/{help_request.pk}/"
    api = f"/api/v1/residences/{world.residence.pk}/help-requests"

    def sees(user: object) -> bool:
        page = "06 12 34 56 78" in client_for(user).get(url).content.decode()
        json_phone = client_for(user).get(api).json()[0]["phone"]
        assert page == (json_phone == "06 12 34 56 78")
        return page

    assert not sees(zoe)  # before taking it
    actions.take_request(zoe, help_request)
    assert sees(zoe)
    assert not sees(yann)
    assert sees(world.bob)  # co-animator
    assert sees(world.claire)  # landlord staff
    assert sees(world.alice)  # the senior herself


def test_outsiders_and_partners_do_not_see_help_requests(world: World) -> None:
    help_request = post(world)
    for persona in (world.eve, world.dave):
        assert client_for(persona).get(f"/help/{help_request.pk}/").status_code == 404
        assert client_for(persona).get(f"/r/{world.residence.pk}/help/").status_code == 404
    assert client_for(world.dave).get(f"/r/{world.residence.pk}/help/new/").status_code == 403
    assert client_for(world.alice).get(f"/r/{world.residence.pk}/help/waiting/").status_code == 403


def test_a_co_animator_posts_on_behalf_of_a_senior_who_agreed(world: World) -> None:
    zoe = volunteer(world, "zoe@test.fr", "Zoé", ("visit",))
    bob = client_for(world.bob)
    url = f"/r/{world.residence.pk}/help/on-behalf/"
    data = {
        "senior": world.alice.user_id,
        "consent_how": "phone",
        "kind": "visit",
        "when_text": "Jeudi après-midi",
        "contact": "phone",
        "phone": "04 78 00 00 00",
    }
    refused = bob.post(url, data)  # the box "the person agreed" is not ticked
    assert refused.status_code == 400 and not HelpRequest.objects.exists()
    assert bob.post(url, {**data, "consent": "on"}).status_code == 302
    help_request = HelpRequest.objects.get()
    assert help_request.senior_id == world.alice.user_id
    assert help_request.posted_by_id == world.bob.user_id
    consent = Consent.objects.get()
    assert (consent.senior_id, consent.given_to_id, consent.recorded_by_id, consent.how) == (
        world.alice.user_id,
        world.bob.user_id,
        world.bob.user_id,
        "phone",
    )
    assert Notification.objects.filter(user=zoe, kind="help").exists()
    # The helper may complete and thank on the senior's behalf.
    actions.take_request(zoe, help_request)
    actions.complete_request(world.bob.user, help_request)
    actions.thank_volunteer(world.bob.user, help_request, "Merci de la part d'Alice")
    # A resident cannot post on behalf of someone.
    with pytest.raises(PermissionDenied):
        actions.post_help_request(
            world.alice.user,
            world.residence,
            kind="call",
            when_text="Demain",
            contact="message",
            senior_id=world.bob.user_id,
            consent_how="oral",
        )
    assert client_for(world.alice).get(url).status_code == 403


def test_a_moderator_assigns_an_unanswered_request(world: World) -> None:
    zoe = volunteer(world, "zoe@test.fr", "Zoé", ("diy",))
    help_request = post(world)
    page = client_for(world.bob).get(f"/r/{world.residence.pk}/help/waiting/")
    assert page.status_code == 200 and "Mardi matin" in page.content.decode()
    response = client_for(world.bob).post(f"/help/{help_request.pk}/assign/", {"volunteer": zoe.pk})
    assert response.status_code == 302
    help_request.refresh_from_db()
    assert help_request.volunteer_id == zoe.pk and help_request.status == Status.TAKEN
    assert Notification.objects.filter(user=zoe, title__icontains="Bob").exists()


def test_a_member_opts_in_as_a_volunteer_over_the_api(world: World) -> None:
    url = f"/api/v1/residences/{world.residence.pk}/volunteers"
    client = client_for(world.alice)
    bad = client.post(url, {"skills": ["money"]}, content_type="application/json")
    assert bad.status_code == 400
    good = client.post(
        url,
        {"skills": ["call", "visit"], "availability": "Le week-end"},
        content_type="application/json",
    )
    assert good.status_code == 201
    assert good.json()["skills"] == ["call", "visit"]
    page = client.post(
        f"/r/{world.residence.pk}/help/volunteer/", {"skills": ["diy"], "availability": ""}
    )
    assert page.status_code == 302


def test_the_api_posts_and_lists_help_requests(world: World) -> None:
    url = f"/api/v1/residences/{world.residence.pk}/help-requests"
    client = client_for(world.alice)
    bad = client.post(
        url,
        {"kind": "call", "when_text": "Demain", "contact": "phone"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    created = client.post(
        url,
        {"kind": "call", "when_text": "Demain", "contact": "message", "phone": "0600000000"},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["phone"] == ""  # no phone kept when a message is preferred
    assert [r["id"] for r in client.get(url).json()] == [created.json()["id"]]


def test_a_past_date_is_refused_at_the_second_step(world: World) -> None:
    alice = client_for(world.alice)
    new = f"/r/{world.residence.pk}/help/new/"
    alice.post(new, {"kind": "call"})
    response = alice.post(new + "?step=2", {"when_text": "Hier", "when_date": "2001-01-01"})
    assert response.status_code == 400
