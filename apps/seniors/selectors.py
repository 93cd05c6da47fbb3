"""Reads of senior support, each built for a constant number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from apps.seniors.access import current_aidant_consents
from apps.seniors.models import (
    CallOutcome,
    Consent,
    Heatwave,
    HeatwaveCall,
    HeatwaveRegistration,
    HelpRequest,
    OccurrenceStatus,
    RegularVisit,
    Status,
    VisitOccurrence,
    Volunteer,
)

LIST_LIMIT = 100


def visible_to(user_id: int | None) -> Q:
    """Help requests held or hidden by moderation are seen only by the senior and whoever posted
    them (and by moderators, through the review queue)."""
    if user_id is None:
        return Q(moderation="")
    return Q(moderation="") | Q(senior_id=user_id) | Q(posted_by_id=user_id)


def help_requests_in(
    residence_id: int, *, status: str = "", viewer_id: int | None = None
) -> QuerySet[HelpRequest]:
    """A residence's help requests as ``viewer_id`` may see them, newest first, people joined
    (one query)."""
    rows = (
        HelpRequest.objects.filter(residence_id=residence_id)
        .filter(visible_to(viewer_id))
        .select_related("senior", "posted_by", "volunteer")
    )
    if status in Status.values:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at", "-pk")


def waiting(residence_id: int) -> list[HelpRequest]:
    """Open requests, the longest waiting first (one query)."""
    return list(
        HelpRequest.objects.filter(residence_id=residence_id, status=Status.OPEN, moderation="")
        .select_related("senior", "posted_by")
        .order_by("created_at", "pk")[:LIST_LIMIT]
    )


def open_count(residence_id: int) -> int:
    return HelpRequest.objects.filter(
        residence_id=residence_id, status=Status.OPEN, moderation=""
    ).count()


def volunteer_of(user: Any, residence_id: int) -> Volunteer | None:
    return Volunteer.objects.filter(residence_id=residence_id, user_id=user.pk).first()


def active_volunteers(residence_id: int) -> list[Volunteer]:
    return list(
        Volunteer.objects.filter(residence_id=residence_id, active=True)
        .select_related("user")
        .order_by("user__first_name", "pk")
    )


def matching_volunteer_ids(residence_id: int, kind: str) -> list[int]:
    """Active volunteers whose skills include ``kind`` (one query; skills filtered here, so that
    it works the same on SQLite and PostgreSQL)."""
    rows = Volunteer.objects.filter(residence_id=residence_id, active=True).values_list(
        "user_id", "skills"
    )
    return [user_id for user_id, skills in rows if kind in (skills or [])]


def helped_count(residence_id: int, volunteer_id: int) -> int:
    """How many help requests of the residence this volunteer carried out (one query)."""
    return HelpRequest.objects.filter(
        residence_id=residence_id, volunteer_id=volunteer_id, status=Status.DONE
    ).count()


# --- regular visits ---------------------------------------------------------------------------

MISSED_DAYS = 30


def regular_visits_for(user: Any, residence_id: int, *, everyone: bool) -> list[RegularVisit]:
    """Active regular visits of a residence, next first: all of them (``everyone``: moderators)
    or those of the user as senior, volunteer or registered helper (two queries)."""
    rows = RegularVisit.objects.filter(residence_id=residence_id, active=True)
    if not everyone:
        helped = current_aidant_consents(residence_id).filter(given_to_id=user.pk)
        rows = rows.filter(
            Q(senior_id=user.pk)
            | Q(volunteer_id=user.pk)
            | Q(senior_id__in=helped.values("senior_id"))
        )
    return list(rows.select_related("senior", "volunteer").order_by("next_on", "pk")[:LIST_LIMIT])


def regular_visits_of_request(help_request_id: int) -> list[RegularVisit]:
    return list(
        RegularVisit.objects.filter(help_request_id=help_request_id, active=True)
        .select_related("senior", "volunteer")
        .order_by("pk")
    )


def missed_visits(residence_id: int) -> list[VisitOccurrence]:
    """Dates missed in the last 30 days, newest first (one query)."""
    since = timezone.localdate() - datetime.timedelta(days=MISSED_DAYS)
    return list(
        VisitOccurrence.objects.filter(
            plan__residence_id=residence_id, status=OccurrenceStatus.MISSED, due_on__gte=since
        )
        .select_related("plan__senior", "plan__volunteer")
        .order_by("-due_on", "-pk")[:LIST_LIMIT]
    )


# --- registered helpers -----------------------------------------------------------------------


def aidants_in(residence_id: int, *, user_id: int | None = None) -> list[Consent]:
    """Current helpers' consents of a residence (``user_id``: only those where this member is
    the senior or the helper), people joined (one query)."""
    rows = current_aidant_consents(residence_id)
    if user_id is not None:
        rows = rows.filter(Q(senior_id=user_id) | Q(given_to_id=user_id))
    return list(
        rows.select_related("senior", "given_to", "recorded_by").order_by(
            "senior__first_name", "pk"
        )[:LIST_LIMIT]
    )


# --- heatwave plan ----------------------------------------------------------------------------


def active_heatwave(residence_id: int) -> Heatwave | None:
    """The residence's heatwave mode, if it is on (one query)."""
    return (
        Heatwave.objects.filter(residence_id=residence_id, ended_at__isnull=True)
        .select_related("started_by")
        .first()
    )


def in_heatwave_register(user_id: int) -> bool:
    """Whether this person is on the register of a residence in heatwave mode (one query)."""
    return HeatwaveRegistration.objects.filter(
        senior_id=user_id,
        active=True,
        residence_id__in=Heatwave.objects.filter(ended_at__isnull=True).values("residence_id"),
    ).exists()


def heatwave_register(
    residence_id: int, *, senior_ids: set[int] | None = None
) -> list[HeatwaveRegistration]:
    """Seniors on the residence's heatwave register (``senior_ids``: only these), people
    joined (one query)."""
    rows = HeatwaveRegistration.objects.filter(residence_id=residence_id, active=True)
    if senior_ids is not None:
        rows = rows.filter(senior_id__in=senior_ids)
    return list(
        rows.select_related("senior", "registered_by").order_by("senior__first_name", "pk")[
            :LIST_LIMIT
        ]
    )


class CallState:
    """What a line of the call list says, from the outcome and today's check-in."""

    OK = "ok"
    CHECKED_IN = "checked_in"
    NO_ANSWER = "no_answer"
    TO_CALL = "to_call"


CALL_LABELS = {
    CallState.OK: gettext_lazy("Called, all right"),
    CallState.CHECKED_IN: gettext_lazy("OK, checked in"),
    CallState.NO_ANSWER: gettext_lazy("No answer"),
    CallState.TO_CALL: gettext_lazy("To call"),
}


@dataclass(frozen=True)
class CallRow:
    call: HeatwaveCall
    state: str

    @property
    def needs_call(self) -> bool:
        return self.state in (CallState.TO_CALL, CallState.NO_ANSWER)

    @property
    def label(self) -> str:
        return str(CALL_LABELS[self.state])


def call_state(call: HeatwaveCall, start_of_day: datetime.datetime) -> str:
    """Called and all right; else checked in today ("Ça va !"); else no answer; else to call."""
    if call.outcome == CallOutcome.OK:
        return CallState.OK
    checked = call.registration.last_check_in_at
    if checked is not None and checked >= start_of_day:
        return CallState.CHECKED_IN
    if call.outcome == CallOutcome.NO_ANSWER:
        return CallState.NO_ANSWER
    return CallState.TO_CALL


def start_of_today() -> datetime.datetime:
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


def calls_of_day(
    residence_id: int, day: datetime.date, *, volunteer_id: int | None = None
) -> list[CallRow]:
    """The call list of a day, seniors still on the register, people joined (one query): every
    line, or only those assigned to ``volunteer_id``. Those still to call come first."""
    rows = HeatwaveCall.objects.filter(
        residence_id=residence_id, day=day, registration__active=True
    ).select_related("registration__senior", "volunteer", "called_by")
    if volunteer_id is not None:
        rows = rows.filter(volunteer_id=volunteer_id)
    start = start_of_today()
    result = [
        CallRow(call, call_state(call, start))
        for call in rows.order_by("registration__senior__first_name", "pk")[: LIST_LIMIT * 5]
    ]
    return sorted(result, key=lambda r: not r.needs_call)
