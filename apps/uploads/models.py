"""Stored images. Files are only ever written by ``actions.store_image`` from re-encoded bytes,
under random names: the uploader's file name is never kept."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

IMAGES_DIR = "uploads/images"
THUMBNAILS_DIR = "uploads/thumbnails"
EXTENSIONS = frozenset({".jpg", ".png"})


def _dated_random_name(directory: str, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()
    suffix = suffix if suffix in EXTENSIONS else ""
    return f"{directory}/{timezone.now():%Y/%m/%d}/{uuid.uuid4().hex}{suffix}"


def image_upload_to(instance: Any, filename: str) -> str:
    return _dated_random_name(IMAGES_DIR, filename)


def thumbnail_upload_to(instance: Any, filename: str) -> str:
    return _dated_random_name(THUMBNAILS_DIR, filename)


class Image(models.Model):
    """A re-encoded picture (JPEG or PNG, no metadata) and its thumbnail, owned by its uploader.

    Files are served only through an access-checked view of the app that uses the image
    (``apps.uploads.http.image_response``), never from ``MEDIA_URL``.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="uploaded_images",
        verbose_name=_("owner"),
    )
    file = models.FileField(_("file"), upload_to=image_upload_to, max_length=200)
    thumbnail = models.FileField(_("thumbnail"), upload_to=thumbnail_upload_to, max_length=200)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    thumbnail_width = models.PositiveIntegerField(_("thumbnail width"))
    thumbnail_height = models.PositiveIntegerField(_("thumbnail height"))
    content_type = models.CharField(_("content type"), max_length=40)
    byte_size = models.PositiveIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        indexes = [models.Index(fields=["owner", "created_at"], name="uploads_image_owner_idx")]

    def __str__(self) -> str:
        return f"{self.content_type} {self.width}x{self.height} #{self.pk}"
