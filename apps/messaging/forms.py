from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.messaging.models import BODY_MAX_LENGTH
from apps.uploads.forms import ImageField


class MessageBody(forms.CharField):
    """Browsers count a line break as one character for ``maxlength`` but send two (CRLF):
    normalise, so that what fits in the box fits the limit."""

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).replace("\r\n", "\n")


class MessageForm(forms.Form):
    body = MessageBody(
        label=_("Your message"),
        required=False,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": BODY_MAX_LENGTH}),
    )
    image = ImageField(label=_("Add a photo (optional)"), required=False)


class EditForm(forms.Form):
    body = MessageBody(
        label=_("Message"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": BODY_MAX_LENGTH}),
    )
