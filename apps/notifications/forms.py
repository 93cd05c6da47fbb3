from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.notifications.models import Frequency, Kind


class PreferencesForm(forms.Form):
    """One radio group per kind of notification: how the person wants emails about it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Frequency.choices,
                widget=forms.RadioSelect,
            )


FREQUENCY_HELP = {
    Frequency.INSTANT: _(
        "An email as soon as it happens, unless Voisinage is open on your screen."
    ),
    Frequency.DIGEST: _(
        "At most one email a day, listing what you have not read yet. What is addressed to you "
        "personally (a private message, an answer to your own request) still comes at once."
    ),
    Frequency.OFF: _("No email. You still see it in Notifications."),
}
