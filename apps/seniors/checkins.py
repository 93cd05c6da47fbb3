"""Writes of the "Ça va ?" check-in: set a plan, check in, alert when a check-in is missed.
During a heatwave plan every senior on the residence's heatwave register checks in too, with or
without a plan of their own (see ``heatwave.py``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.notifications import actions as notifications
from apps.realtime import groups
from apps.realtime.events import publish_on_commit
from apps.residences import access as residence_access
from apps.residences.models import Membership, Residence, Role
from apps.residences.models import Status as MembershipStatus
from apps.seniors.models import (
    CheckIn,
    CheckInPlan,
    Heatwave,
    HeatwaveCall,
    HeatwaveRegistration,
)


@transaction.atomic
def set_checkin_plan(
    actor: Any,
    residence: Residence,
    *,
    deadline: datetime.time,
    contact_id: int,
    notify_moderators: bool = False,
) -> CheckInPlan:
    """The senior opts in (or changes the plan): a daily deadline and a contact neighbour."""
    ids = residence_access.active_member_ids(residence.pk, [actor.pk, contact_id])
    if actor.pk not in ids:
        raise ValidationError(_("You are no longer a member of this residence."), code="not_member")
    if contact_id == actor.pk or contact_id not in ids:
        raise ValidationError(_("Choose a neighbour of the residence."), code="contact")
    plan, _created = CheckInPlan.objects.update_or_create(
        residence=residence,
        senior=actor,
        defaults={
            "deadline": deadline,
            "contact_id": contact_id,
            "notify_moderators": notify_moderators,
            "active": True,
        },
    )
    return plan


@transaction.atomic
def check_in(actor: Any) -> int:
    """ "Ça va !": records today's check-in on each of the actor's active plans and on their
    heatwave registrations where a heatwave plan is on (the call list then says "OK, checked
    in"). Returns how many were recorded; none: refused."""
    now = timezone.now()
    plans = CheckInPlan.objects.filter(senior_id=actor.pk, active=True)
    residence_ids = set(plans.values_list("residence_id", flat=True))
    count = plans.update(last_check_in_at=now)
    in_heatwave = dict(
        HeatwaveRegistration.objects.filter(
            senior_id=actor.pk,
            active=True,
            residence_id__in=Heatwave.objects.filter(ended_at__isnull=True).values("residence_id"),
        ).values_list("pk", "residence_id")
    )
    if in_heatwave:
        count += HeatwaveRegistration.objects.filter(pk__in=in_heatwave).update(
            last_check_in_at=now
        )
        callers = HeatwaveCall.objects.filter(
            registration_id__in=in_heatwave, day=timezone.localdate(), volunteer__isnull=False
        ).values_list("volunteer_id", flat=True)
        names = [groups.moderators(rid) for rid in sorted(set(in_heatwave.values()))]
        names += [groups.user(uid) for uid in sorted(set(callers))]
        publish_on_commit(names, "heatwave.checked_in", {"senior_id": actor.pk})
    if not count:
        raise ValidationError(_("You have not asked for a daily check-in."), code="no_plan")
    residence_ids.update(in_heatwave.values())
    CheckIn.objects.bulk_create(
        [CheckIn(residence_id=rid, senior_id=actor.pk, at=now) for rid in sorted(residence_ids)]
    )
    return count


@transaction.atomic
def alert_missed_checkins(now: datetime.datetime | None = None) -> int:
    """Plans whose deadline passed today without a check-in: tell the contact neighbour (and
    the co-animators if chosen), once a day. Run every few minutes
    (``manage.py check_missed_checkins``); returns how many alerts were sent."""
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    start_of_day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    due = list(
        CheckInPlan.objects.select_for_update(of=("self",))
        .filter(active=True, deadline__lte=now.time())
        .exclude(last_alert_on=today)
        .exclude(last_check_in_at__gte=start_of_day)
        .select_related("senior")
    )
    if not due:
        return 0
    moderator_rows = Membership.objects.filter(
        residence_id__in={p.residence_id for p in due if p.notify_moderators},
        role=Role.CO_ANIMATOR,
        status=MembershipStatus.ACTIVE,
    ).values_list("residence_id", "user_id")
    moderators: dict[int, set[int]] = {}
    for residence_id, user_id in moderator_rows:
        moderators.setdefault(residence_id, set()).add(user_id)
    notes = []
    for plan in due:
        recipients = {plan.contact_id}
        if plan.notify_moderators:
            recipients |= moderators.get(plan.residence_id, set())
        title = _("%(name)s has not said “Ça va ?” today") % {"name": plan.senior.display_name}
        body = _("Could you check that everything is all right?")
        url = reverse("seniors:list", args=[plan.residence_id])
        notes += [notifications.Note(uid, title, body, url) for uid in sorted(recipients)]
        plan.last_alert_on = today
    notifications.notify_each(notes, kind="help", direct=True)
    CheckInPlan.objects.bulk_update(due, ["last_alert_on"])
    return len(due)
