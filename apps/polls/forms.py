from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.community.models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH
from apps.polls.models import CHOICE_MAX_LENGTH, MAX_CHOICES


class PollForm(forms.Form):
    title = forms.CharField(
        label=_("Question"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("For example: What should the common room be used for?"),
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional: what the poll is for, what will be done with the answers."),
    )
    choices = forms.CharField(
        label=_("Answers, one per line"),
        max_length=(CHOICE_MAX_LENGTH + 2) * MAX_CHOICES,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Between 2 and 10 different answers, 100 characters each at most."),
    )
    multiple = forms.BooleanField(label=_("Members may choose several answers"), required=False)
    closes_at = forms.DateTimeField(
        label=_("Votes close on"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        help_text=_("In 90 days at most."),
    )
    anonymous = forms.BooleanField(
        label=_("Anonymous: nobody sees who voted what"), required=False, initial=True
    )

    def clean_choices(self) -> list[str]:
        return str(self.cleaned_data["choices"]).replace("\r\n", "\n").split("\n")
