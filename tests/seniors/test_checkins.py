"""“Ça va ?”: a senior opts in, checks in with one button; a missed check-in tells the contact
neighbour (and the co-animators when chosen), once a day."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.notifications.models import Notification
from apps.seniors import checkins
from apps.seniors.models import CheckInPlan
from tests.conftest import World, client_for
from tests.seniors.helpers import resident

pytestmark = pytest.mark.django_db


def _at(hour: int) -> datetime.datetime:
    return timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0)


def test_it_opts_in_and_checks_in_with_one_button(world: World) -> None:
    zoe = resident(world, "zoe@test.fr", "Zoé")
    alice = client_for(world.alice)
    url = f"/r/{world.residence.pk}/help/checkin/"
    assert alice.get(url).status_code == 200
    saved = alice.post(url, {"deadline": "10:00", "contact": zoe.pk, "notify_moderators": "on"})
    assert saved.status_code == 302
    plan = CheckInPlan.objects.get()
    assert (plan.senior_id, plan.contact_id, plan.notify_moderators) == (
        world.alice.user_id,
        zoe.pk,
        True,
    )
    assert alice.get("/checkin/").status_code == 200
    assert alice.post("/checkin/").status_code == 200
    plan.refresh_from_db()
    assert plan.last_check_in_at is not None
    assert alice.post("/api/v1/checkins").status_code == 201
    assert client_for(zoe).post("/api/v1/checkins").status_code == 400  # no plan


def test_a_missed_check_in_tells_the_contact_neighbour_once(world: World) -> None:
    zoe = resident(world, "zoe@test.fr", "Zoé")
    checkins.set_checkin_plan(
        world.alice.user,
        world.residence,
        deadline=datetime.time(10, 0),
        contact_id=zoe.pk,
        notify_moderators=True,
    )
    assert checkins.alert_missed_checkins(_at(9)) == 0  # not yet the deadline
    assert checkins.alert_missed_checkins(_at(11)) == 1
    assert Notification.objects.filter(user=zoe, kind="help").count() == 1
    assert Notification.objects.filter(user=world.bob.user, kind="help").count() == 1
    assert checkins.alert_missed_checkins(_at(12)) == 0  # once a day
    call_command("check_missed_checkins")
    assert Notification.objects.filter(user=zoe).count() == 1


def test_no_alert_after_a_check_in_today(world: World) -> None:
    zoe = resident(world, "zoe@test.fr", "Zoé")
    checkins.set_checkin_plan(
        world.alice.user, world.residence, deadline=datetime.time(0, 0), contact_id=zoe.pk
    )
    checkins.check_in(world.alice.user)
    assert checkins.alert_missed_checkins() == 0
    assert not Notification.objects.filter(user=world.bob.user).exists()
    assert not Notification.objects.filter(user=zoe).exists()


def test_the_contact_must_be_a_neighbour(world: World) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        checkins.set_checkin_plan(
            world.alice.user,
            world.residence,
            deadline=datetime.time(10, 0),
            contact_id=world.eve.user_id,
        )
