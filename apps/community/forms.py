from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.community.models import (
    BODY_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Audience,
    Notice,
)
from apps.uploads.forms import ImageField


class NewsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text: links become clickable, line breaks are kept."),
    )
    audience = forms.ChoiceField(
        label=_("Who sees it"),
        choices=Audience.choices,
        initial=Audience.RESIDENCE,
        widget=forms.RadioSelect,
    )


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    category = forms.ChoiceField(label=_("Category"), choices=Notice.Category.choices)
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Notice.Urgency.choices,
        initial=Notice.Urgency.INFO,
        widget=forms.RadioSelect,
        help_text=_("An urgent notice is pinned and notifies every member at once."),
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    valid_until = forms.DateTimeField(
        label=_("Valid until"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )
    entrances = forms.MultipleChoiceField(
        label=_("Entrances concerned (none: the whole residence)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, entrances: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["entrances"]
        field.choices = entrances


class InitiativeForm(forms.Form):
    title = forms.CharField(label=_("Your idea in a few words"), max_length=TITLE_MAX_LENGTH)
    body = forms.CharField(
        label=_("Tell the neighbours about it"),
        max_length=BODY_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What, where, who can help: neighbours say “Je participe” to join."),
    )
    photo = ImageField(label=_("A photo (optional)"), required=False)


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("What came of it?"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    photo = ImageField(label=_("A photo of the result (optional)"), required=False)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
