from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.rooms.models import (
    MAX_CAPACITY,
    NAME_MAX_LENGTH,
    PURPOSE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    CommonRoom,
)

START_CHOICES = [(f"{h:02d}:{m:02d}", f"{h:02d}:{m:02d}") for h in range(24) for m in (0, 30)]
DURATION_CHOICES = [
    (str(minutes), f"{minutes // 60} h {minutes % 60:02d}" if minutes >= 60 else f"{minutes} min")
    for minutes in range(30, 12 * 60 + 1, 30)
]


class RoomForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX_LENGTH)
    capacity = forms.IntegerField(label=_("Capacity (people)"), min_value=1, max_value=MAX_CAPACITY)
    accessibility = forms.CharField(
        label=_("Accessibility"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: ground floor, step-free access, adapted toilets."),
    )
    rules = forms.CharField(
        label=_("Rules"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: leave the room clean, no noise after 10 pm."),
    )


class RoomEditForm(RoomForm):
    active = forms.BooleanField(label=_("Open for bookings"), required=False)


class BookingForm(forms.Form):
    room = forms.TypedChoiceField(label=_("Room"), coerce=int)
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.ChoiceField(label=_("From"), choices=START_CHOICES, initial="18:00")
    duration = forms.TypedChoiceField(
        label=_("For"), choices=DURATION_CHOICES, coerce=int, initial="120"
    )
    purpose = forms.CharField(
        label=_("What for"),
        max_length=PURPOSE_MAX_LENGTH,
        help_text=_("For example: a birthday, a knitting workshop, a tenants’ meeting."),
    )
    public = forms.BooleanField(
        label=_("Open to all neighbours (it can become an event of the residence)"),
        required=False,
    )

    def __init__(self, *args: Any, rooms: list[CommonRoom], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].choices = [(r.pk, r.name) for r in rooms]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, start, duration = data.get("day"), data.get("start"), data.get("duration")
        if day is not None and start and duration:
            hour, minute = (int(part) for part in str(start).split(":"))
            starts_at = timezone.make_aware(
                datetime.datetime.combine(day, datetime.time(hour, minute))
            )
            data["starts_at"] = starts_at
            data["ends_at"] = starts_at + datetime.timedelta(minutes=int(duration))
        return data


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=REASON_MAX_LENGTH)
