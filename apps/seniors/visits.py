"""Writes of regular visits and calls: a volunteer and a senior agree on a call or a visit that
comes back every week, two weeks or month; either marks it done (the next date moves on) or
stops it; a date nobody marked done is recorded as missed and the co-animators are told."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.notifications import actions as notifications
from apps.realtime import groups
from apps.realtime.events import publish_on_commit
from apps.residences import access as residence_access
from apps.residences.models import Membership, Role
from apps.residences.models import Status as MembershipStatus
from apps.seniors.access import acts_for
from apps.seniors.models import (
    Every,
    HelpRequest,
    OccurrenceStatus,
    RegularVisit,
    Status,
    VisitKind,
    VisitOccurrence,
)

# A date not marked done by the end of the next day is missed.
GRACE_DAYS = 1
# Marking done is possible from the day before the date.
EARLY_DAYS = 1


def visit_data(plan: RegularVisit) -> dict[str, Any]:
    """What ``visit.*`` events carry (no phone, no note)."""
    return {
        "id": plan.pk,
        "residence_id": plan.residence_id,
        "help_request_id": plan.help_request_id,
        "kind": plan.kind,
        "next_on": plan.next_on.isoformat(),
        "active": plan.active,
    }


def _publish(plan: RegularVisit, event_type: str) -> None:
    names = [groups.moderators(plan.residence_id)]
    names += [groups.user(uid) for uid in sorted({plan.senior_id, plan.volunteer_id})]
    publish_on_commit(names, event_type, visit_data(plan))


def _url(plan: RegularVisit) -> str:
    if plan.help_request_id:
        return reverse("seniors:detail", args=[plan.help_request_id])
    return reverse("seniors:list", args=[plan.residence_id])


def _check_party(actor: Any, plan: RegularVisit) -> None:
    """The senior, the volunteer or the senior's registered helper."""
    if actor.pk != plan.volunteer_id and not acts_for(actor.pk, plan.senior_id, plan.residence_id):
        raise PermissionDenied
    if actor.pk not in residence_access.active_member_ids(plan.residence_id, [actor.pk]):
        raise ValidationError(_("You are no longer a member of this residence."), code="not_member")


@transaction.atomic
def set_up_regular_visit(
    actor: Any,
    help_request: HelpRequest,
    *,
    every_days: int,
    next_on: datetime.date,
    time: datetime.time | None = None,
) -> RegularVisit:
    """From a visit or call request that a volunteer took: the volunteer, the senior (or the
    person who asked for them) sets up a regular one; the other side is told."""
    help_request = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
    is_volunteer = actor.pk == help_request.volunteer_id
    if not is_volunteer and not (
        actor.pk == help_request.posted_by_id
        or acts_for(actor.pk, help_request.senior_id, help_request.residence_id)
    ):
        raise PermissionDenied
    if actor.pk not in residence_access.active_member_ids(help_request.residence_id, [actor.pk]):
        raise ValidationError(_("You are no longer a member of this residence."), code="not_member")
    if help_request.kind not in VisitKind.values:
        raise ValidationError(
            _("Only a visit or a phone call can come back regularly."), code="kind"
        )
    if help_request.status not in (Status.TAKEN, Status.DONE) or help_request.volunteer_id is None:
        raise ValidationError(_("A volunteer must take the request first."), code="not_taken")
    if every_days not in Every.values:
        raise ValidationError(_("Choose how often."), code="every_days")
    if next_on < timezone.localdate():
        raise ValidationError(_("This date is already past."), code="next_on")
    if RegularVisit.objects.filter(help_request=help_request, active=True).exists():
        raise ValidationError(
            _("A regular visit is already planned for this request."), code="exists"
        )
    plan = RegularVisit.objects.create(
        residence_id=help_request.residence_id,
        help_request=help_request,
        senior_id=help_request.senior_id,
        volunteer_id=help_request.volunteer_id,
        kind=help_request.kind,
        every_days=every_days,
        next_on=next_on,
        time=time,
        created_by=actor,
    )
    others = (
        {plan.volunteer_id} if not is_volunteer else {plan.senior_id, help_request.posted_by_id}
    )
    notifications.notify(
        others - {actor.pk},
        kind="help",
        title=_("%(name)s planned a regular %(kind)s")
        % {
            "name": actor.display_name,
            "kind": plan.get_kind_display(),
        },
        body=_("Next time: %(date)s") % {"date": _date(plan.next_on)},
        url=_url(plan),
    )
    _publish(plan, "visit.created")
    return plan


def _date(day: datetime.date) -> str:
    from django.utils.formats import date_format

    return date_format(day, "DATE_FORMAT")


def _locked(plan: RegularVisit) -> RegularVisit:
    return RegularVisit.objects.select_for_update().get(pk=plan.pk)


@transaction.atomic
def mark_visit_done(actor: Any, plan: RegularVisit) -> RegularVisit:
    """The senior or the volunteer says the call or visit took place: it is recorded and the
    next date moves on."""
    plan = _locked(plan)
    _check_party(actor, plan)
    if not plan.active:
        raise ValidationError(_("These regular visits were stopped."), code="stopped")
    if plan.next_on > timezone.localdate() + datetime.timedelta(days=EARLY_DAYS):
        raise ValidationError(_("You can mark it done on the day of the visit."), code="not_yet")
    VisitOccurrence.objects.create(
        plan=plan, due_on=plan.next_on, status=OccurrenceStatus.DONE, by=actor
    )
    plan.next_on = plan.next_on + datetime.timedelta(days=plan.every_days)
    plan.save(update_fields=["next_on"])
    _publish(plan, "visit.updated")
    return plan


@transaction.atomic
def stop_regular_visit(actor: Any, plan: RegularVisit) -> RegularVisit:
    """The senior, the volunteer (or a moderator) stops the regular visits; the other is told."""
    plan = _locked(plan)
    is_moderator = (
        residence_access.role_in(actor, plan.residence_id) in residence_access.MODERATOR_ROLES
    )
    if not is_moderator:
        _check_party(actor, plan)
    if not plan.active:
        raise ValidationError(_("These regular visits were already stopped."), code="stopped")
    plan.active = False
    plan.stopped_at = timezone.now()
    plan.stopped_by = actor
    plan.save(update_fields=["active", "stopped_at", "stopped_by"])
    notifications.notify(
        {plan.senior_id, plan.volunteer_id} - {actor.pk},
        kind="help",
        title=_("The regular %(kind)s was stopped") % {"kind": plan.get_kind_display()},
        body="",
        url=_url(plan),
    )
    _publish(plan, "visit.updated")
    return plan


@transaction.atomic
def flag_missed_visits(today: datetime.date | None = None) -> int:
    """Dates that nobody marked done by the end of the next day: recorded as missed, the
    co-animators of the residence told once, and the next date moved on. Run daily
    (``manage.py flag_missed_visits``); running it twice changes nothing. Returns how many
    dates were recorded as missed."""
    today = today or timezone.localdate()
    late = today - datetime.timedelta(days=GRACE_DAYS)
    plans = list(
        RegularVisit.objects.select_for_update(of=("self",))
        .filter(active=True, next_on__lt=late)
        .select_related("senior", "volunteer")
    )
    if not plans:
        return 0
    rows = Membership.objects.filter(
        residence_id__in={p.residence_id for p in plans},
        role=Role.CO_ANIMATOR,
        status=MembershipStatus.ACTIVE,
    ).values_list("residence_id", "user_id")
    moderators: dict[int, set[int]] = {}
    for residence_id, user_id in rows:
        moderators.setdefault(residence_id, set()).add(user_id)
    missed: list[VisitOccurrence] = []
    for plan in plans:
        first_missed = plan.next_on
        while plan.next_on < late:
            missed.append(
                VisitOccurrence(plan=plan, due_on=plan.next_on, status=OccurrenceStatus.MISSED)
            )
            plan.next_on += datetime.timedelta(days=plan.every_days)
        notifications.notify(
            moderators.get(plan.residence_id, set()),
            kind="help",
            title=_("A regular %(kind)s was missed") % {"kind": plan.get_kind_display()},
            body=_("%(volunteer)s and %(senior)s, on %(date)s")
            % {
                "volunteer": plan.volunteer.display_name,
                "senior": plan.senior.display_name,
                "date": _date(first_missed),
            },
            url=reverse("seniors:waiting", args=[plan.residence_id]),
            direct=True,
        )
        _publish(plan, "visit.missed")
    VisitOccurrence.objects.bulk_create(missed, ignore_conflicts=True)
    RegularVisit.objects.bulk_update(plans, ["next_on"])
    return len(missed)
