from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.community.models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH
from apps.events.actions import MAX_CAPACITY
from apps.events.models import PLACE_MAX_LENGTH

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class EventForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS
    )
    ends_at = forms.DateTimeField(
        label=_("Ends (optional)"),
        required=False,
        widget=DATETIME_WIDGET,
        input_formats=DATETIME_FORMATS,
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=PLACE_MAX_LENGTH,
        initial=_("Common room"),
        help_text=_("For example: the common room, the courtyard, the social centre."),
    )
    capacity = forms.IntegerField(
        label=_("Number of places (optional)"),
        required=False,
        min_value=1,
        max_value=MAX_CAPACITY,
        help_text=_("Empty: no limit. When it is full, people go on a waiting list."),
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Plain text: links become clickable, line breaks are kept."),
    )
