from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.residences.models import PartnerOrganisation


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Invitation code"),
        max_length=20,
        help_text=_("It is printed on the flyer in your entrance, e.g. K7M2-QP4R."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    message = forms.CharField(
        label=_("A word for the co-animators (optional)"),
        required=False,
        max_length=300,
        help_text=_("For example your entrance, so they know you."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    charter = forms.BooleanField(
        label=_("I have read and accept the residence charter (charte du mieux vivre ensemble)."),
        required=True,
        error_messages={"required": _("Please accept the residence charter to join.")},
    )


class AccreditationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Partner organisation"),
        queryset=PartnerOrganisation.objects.order_by("name"),
        help_text=_("Associations, merchants and public services registered by the operators."),
    )


class ResidenceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    address = forms.CharField(label=_("Address"), max_length=200)
    postcode = forms.RegexField(
        label=_("Postcode"),
        regex=r"^\d{5}$",
        error_messages={"invalid": _("A French postcode has five digits.")},
    )
    city = forms.CharField(label=_("City"), max_length=80)
    dwellings = forms.IntegerField(
        label=_("Number of dwellings"),
        required=False,
        min_value=1,
        max_value=100_000,
        help_text=_(
            "The households of the residence: the base of the share of households reached."
        ),
    )
    entrances = forms.CharField(
        label=_("Entrances"),
        required=False,
        help_text=_("One per line, e.g. Entrance A."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def entrance_names(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data["entrances"].splitlines() if line.strip()
        ]


class DwellingsForm(forms.Form):
    dwellings = forms.IntegerField(
        label=_("Number of dwellings"),
        required=False,
        min_value=1,
        max_value=100_000,
        help_text=_("Leave empty if unknown: the share of households reached is then not shown."),
    )
