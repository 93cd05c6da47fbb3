from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from apps.moderation.models import (
    EXPLANATION_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    REPORT_REASONS,
    Action,
    Reason,
)


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("What is wrong?"),
        choices=[(r.value, r.label) for r in REPORT_REASONS],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("A few words for the moderators (optional)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The person you report will never know who reported them."),
    )


class DecisionForm(forms.Form):
    action = forms.ChoiceField(label=gettext_lazy("Decision"), choices=Action.choices)
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=Reason.choices)
    explanation = forms.CharField(
        label=gettext_lazy("Written reason"),
        max_length=EXPLANATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "The author reads it. The public log shows only the reason category."
        ),
    )
    message = forms.CharField(
        label=gettext_lazy("Message to the author (for a warning)"),
        help_text=gettext_lazy("Left empty, a warning sends the standard message."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    until = forms.DateField(
        label=gettext_lazy("Until (mute or suspension)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    urgent = forms.BooleanField(
        label=gettext_lazy("Apply at once: threat, personal data or illegal content (staff only)"),
        required=False,
    )

    def __init__(self, *args: Any, actions: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if actions is not None:
            field: Any = self.fields["action"]
            field.choices = [c for c in Action.choices if c[0] in actions]


class NoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Your reason"),
        max_length=EXPLANATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AppealForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Why do you contest this decision?"),
        max_length=EXPLANATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "You can contest a decision once. Moderators of the other side will review it."
        ),
    )


class SettingsForm(forms.Form):
    keywords = forms.CharField(
        label=gettext_lazy("Words that hold a post for review"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "One word or expression per line. A post containing one waits for a moderator."
        ),
    )
    hold_new_members = forms.BooleanField(
        label=gettext_lazy("Read the first two posts of new members before they are published"),
        required=False,
    )
    charter = forms.CharField(
        label=gettext_lazy("The residence's charter"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy("Leave empty to use the landlord's charter."),
    )
