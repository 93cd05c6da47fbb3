from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts import actions
from apps.accounts.models import User


class SignupForm(forms.Form):
    """Extra fields of allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    first_name = forms.CharField(label=_("First name"), max_length=80)
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=80,
        help_text=_("Neighbours only see its first letter."),
    )

    def signup(self, request: Any, user: User) -> None:
        user.first_name = self.cleaned_data["first_name"].strip()
        user.last_name = self.cleaned_data["last_name"].strip()
        user.save(update_fields=["first_name", "last_name"])


class ProfileForm(forms.ModelForm[User]):
    class Meta:
        model = User
        fields = actions.PROFILE_FIELDS
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}


class SettingsForm(forms.ModelForm[User]):
    class Meta:
        model = User
        fields = actions.SETTINGS_FIELDS


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the application"), max_length=80, help_text=_("For example: my phone.")
    )
