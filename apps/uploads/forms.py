"""The form field every feature uses for a photo: bad images are refused with a clear message
by ``clean()``, before anything is written."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from apps.uploads.images import ACCEPT, process_image


class ImageField(forms.FileField):
    """A ``FileField`` whose cleaned value is an ``apps.uploads.images.ProcessedImage`` (or
    ``None`` when left empty); pass it to ``apps.uploads.actions.store_image``."""

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput):
            attrs.setdefault("accept", ACCEPT)
        return attrs

    def clean(self, data: Any, initial: Any = None) -> Any:
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            return process_image(value)
        return value
