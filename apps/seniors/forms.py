"""Forms of senior support: the three steps in plain words, volunteering, on-behalf."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.seniors.models import (
    DETAILS_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    PHONE_MAX_LENGTH,
    WHEN_MAX_LENGTH,
    CallOutcome,
    ConsentHow,
    Contact,
    Every,
    Kind,
)

BIG = {"class": "big-choice"}


class NeedForm(forms.Form):
    """Step 1: what do you need?"""

    kind = forms.ChoiceField(
        label=_("What do you need?"),
        choices=Kind.choices,
        widget=forms.RadioSelect(attrs=BIG),
        error_messages={"required": _("Choose what you need.")},
    )
    details = forms.CharField(
        label=_("A few words more (optional)"),
        required=False,
        max_length=DETAILS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: bread and milk, or the doctor in rue Paul Bert."),
    )


class WhenForm(forms.Form):
    """Step 2: when?"""

    when_text = forms.CharField(
        label=_("When?"),
        max_length=WHEN_MAX_LENGTH,
        help_text=_("For example: Tuesday morning, or this week in the afternoon."),
        error_messages={"required": _("Say when you need help.")},
    )
    when_date = forms.DateField(
        label=_("Date (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_when_date(self) -> datetime.date | None:
        value: datetime.date | None = self.cleaned_data.get("when_date")
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("This date is already past."))
        return value


class ContactForm(forms.Form):
    """Step 3: how can we reach you?"""

    contact = forms.ChoiceField(
        label=_("How can we reach you?"),
        choices=Contact.choices,
        widget=forms.RadioSelect(attrs=BIG),
        error_messages={"required": _("Choose how we can reach you.")},
    )
    phone = forms.CharField(
        label=_("Your phone number (only if you want a call)"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text=_("Only the volunteer who helps you and the co-animators will see it."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("contact") == Contact.PHONE and not (data.get("phone") or "").strip():
            self.add_error("phone", _("Give a phone number where we can call you."))
        return data


class VolunteerForm(forms.Form):
    skills = forms.MultipleChoiceField(
        label=_("How can you help?"),
        choices=Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one way you can help.")},
    )
    availability = forms.CharField(
        label=_("When are you available?"),
        required=False,
        max_length=200,
        help_text=_("For example: weekday evenings, Saturday mornings."),
    )


class OnBehalfForm(forms.Form):
    senior = forms.TypedChoiceField(label=_("For whom?"), coerce=int)
    consent = forms.BooleanField(
        label=_("The person agreed that I ask for help on their behalf"),
        error_messages={"required": _("The person must agree first.")},
    )
    consent_how = forms.ChoiceField(
        label=_("How did they agree?"), choices=ConsentHow.choices, widget=forms.RadioSelect
    )
    consent_expires_on = forms.DateField(
        label=_("Consent valid until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    kind = NeedForm.base_fields["kind"]
    details = NeedForm.base_fields["details"]
    when_text = WhenForm.base_fields["when_text"]
    when_date = WhenForm.base_fields["when_date"]
    contact = ContactForm.base_fields["contact"]
    phone = forms.CharField(label=_("Their phone number"), required=False, max_length=30)

    def __init__(
        self,
        *args: Any,
        members: list[tuple[int, str]],
        needs_consent: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["senior"]
        field.choices = members
        if not needs_consent:
            # A registered helper: the senior's consent is already recorded.
            for name in ("consent", "consent_how", "consent_expires_on"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("contact") == Contact.PHONE and not (data.get("phone") or "").strip():
            self.add_error("phone", _("Give a phone number where we can call you."))
        return data


class ThanksForm(forms.Form):
    text = forms.CharField(
        label=_("Your thank-you message"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssignForm(forms.Form):
    volunteer = forms.TypedChoiceField(label=_("Volunteer"), coerce=int)

    def __init__(self, *args: Any, volunteers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["volunteer"]
        field.choices = volunteers


class CheckInPlanForm(forms.Form):
    deadline = forms.TimeField(
        label=_("I press the button every day before"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("For example 10:00."),
    )
    contact = forms.TypedChoiceField(label=_("Who should be told if I forget?"), coerce=int)
    notify_moderators = forms.BooleanField(label=_("Also tell the co-animators"), required=False)

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["contact"]
        field.choices = members


class RegularVisitForm(forms.Form):
    every_days = forms.TypedChoiceField(
        label=_("How often?"),
        choices=Every.choices,
        coerce=int,
        widget=forms.RadioSelect(attrs=BIG),
        error_messages={"required": _("Choose how often.")},
    )
    next_on = forms.DateField(
        label=_("Next time"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Choose a date.")},
    )
    time = forms.TimeField(
        label=_("At about (optional)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )


class AidantForm(forms.Form):
    senior = forms.TypedChoiceField(label=_("The senior"), coerce=int)
    aidant = forms.TypedChoiceField(label=_("Their helper"), coerce=int)
    consent = forms.BooleanField(
        label=_("The senior agreed that this person asks for help for them"),
        error_messages={"required": _("The person must agree first.")},
    )
    how = forms.ChoiceField(
        label=_("How did they agree?"), choices=ConsentHow.choices, widget=forms.RadioSelect
    )
    expires_on = forms.DateField(
        label=_("Valid until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("senior", "aidant"):
            field: Any = self.fields[name]
            field.choices = members


class HeatwaveRegisterForm(forms.Form):
    """Joining the heatwave register; ``people``: for whom the person may register (themselves
    first; moderators: every member; a registered helper: the seniors they help)."""

    senior = forms.TypedChoiceField(
        label=_("Who goes on the register?"), coerce=int, required=False, empty_value=None
    )
    phone = forms.CharField(
        label=_("Phone number for the daily call"),
        max_length=PHONE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text=_("Only the volunteer who calls, the helpers and the co-animators will see it."),
        error_messages={"required": _("Give a phone number where we can call you.")},
    )
    note = forms.CharField(
        label=_("Something the caller should know (optional)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        help_text=_("For example: lives alone, 4th floor, hard of hearing."),
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["senior"]
        field.choices = people
        if len(people) <= 1:
            del self.fields["senior"]


class CallForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How did the call go?"),
        choices=CallOutcome.choices,
        error_messages={"required": _("Choose how the call went.")},
    )
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=NOTE_MAX_LENGTH)
