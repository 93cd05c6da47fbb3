from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.exchanges.models import TEXT_MAX_LENGTH, TITLE_MAX_LENGTH, Category, Kind, Status
from apps.exchanges.validators import refuse_money


def _no_money(value: str) -> None:
    refuse_money(value)


class ExchangeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you want to do?"), choices=Kind.choices, widget=forms.RadioSelect
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH, validators=[_no_money])
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[_no_money],
        help_text=_("Services are free: never mention a price or a payment."),
    )
    availability = forms.CharField(
        label=_("Availability"),
        required=False,
        max_length=200,
        validators=[_no_money],
        help_text=_("For example: weekday evenings, or Saturday 12 April."),
    )
    ends_on = forms.DateField(
        label=_("Ends on (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class RespondForm(forms.Form):
    message = forms.CharField(
        label=_("Your message to the author"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[_no_money],
    )


class ThanksForm(forms.Form):
    text = forms.CharField(
        label=_("Your thank-you message"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[_no_money],
    )
    to_user = forms.IntegerField(required=False, widget=forms.HiddenInput)


class FilterForm(forms.Form):
    text = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *Kind.choices]
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All")), *Category.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Status.choices]
    )

    def values(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}
