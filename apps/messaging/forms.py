from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.messaging.models import BODY_MAX_LENGTH
from apps.uploads.forms import ImageField


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        required=False,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": BODY_MAX_LENGTH}),
    )
    image = ImageField(label=_("Add a photo (optional)"), required=False)


class EditForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": BODY_MAX_LENGTH}),
    )
