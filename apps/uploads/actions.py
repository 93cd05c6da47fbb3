"""Writes about stored images. Files are written before the row and removed if the row is not
written; on deletion they are removed after the commit. ``sweep_orphan_files`` catches what no
transaction hook can: files of a row rolled back by an outer transaction, or of rows deleted in
bulk (owner deleted: CASCADE)."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable, Iterator
from datetime import timedelta
from typing import Any

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.uploads.images import ProcessedImage, process_image
from apps.uploads.models import IMAGES_DIR, THUMBNAILS_DIR, Image

logger = logging.getLogger(__name__)


def _storage() -> Storage:
    return Image._meta.get_field("file").storage


def store_image(owner: Any, uploaded: File | ProcessedImage) -> Image:
    """Check, re-encode and store ``uploaded`` for ``owner``. Raises ``ValidationError`` for a
    refused file (nothing written). Pass the ``ProcessedImage`` returned by
    ``apps.uploads.forms.ImageField`` to avoid processing the image twice."""
    processed = uploaded if isinstance(uploaded, ProcessedImage) else process_image(uploaded)
    image = Image(
        owner=owner,
        width=processed.width,
        height=processed.height,
        thumbnail_width=processed.thumbnail_width,
        thumbnail_height=processed.thumbnail_height,
        content_type=processed.content_type,
        byte_size=processed.byte_size,
    )
    storage = _storage()
    written: list[str] = []
    name = f"image.{processed.extension}"  # upload_to keeps only the extension
    try:
        image.file.save(name, ContentFile(processed.content), save=False)
        written.append(str(image.file.name))
        image.thumbnail.save(name, ContentFile(processed.thumbnail), save=False)
        written.append(str(image.thumbnail.name))
        with transaction.atomic():
            image.save(force_insert=True)
    except BaseException:
        _remove_files(storage, written)
        raise
    return image


def delete_image(image: Image) -> None:
    """Delete the row now and both files once the deletion is committed."""
    storage = _storage()
    names = [name for name in (image.file.name, image.thumbnail.name) if name]
    with transaction.atomic():
        image.delete()
        transaction.on_commit(lambda: _remove_files(storage, names), robust=True)


def delete_images_of(owner: Any) -> int:
    """Delete every image of ``owner`` (account deletion) and, after commit, their files."""
    storage = _storage()
    with transaction.atomic():
        rows = list(Image.objects.filter(owner_id=owner.pk).values_list("file", "thumbnail"))
        Image.objects.filter(owner_id=owner.pk).delete()
        names = [name for pair in rows for name in pair if name]
        transaction.on_commit(lambda: _remove_files(storage, names), robust=True)
    return len(rows)


def sweep_orphan_files(*, older_than: timedelta = timedelta(hours=1)) -> int:
    """Remove stored files that no row references, if older than ``older_than`` (younger ones
    may belong to a transaction still running). Returns how many were removed."""
    storage = _storage()
    cutoff = timezone.now() - older_than
    removed = 0
    for directory in (IMAGES_DIR, THUMBNAILS_DIR):
        for names in itertools.batched(_files_under(storage, directory), 500):
            known = {
                name
                for pair in Image.objects.filter(Q(file__in=names) | Q(thumbnail__in=names))
                .values_list("file", "thumbnail")
                .iterator()
                for name in pair
            }
            for name in names:
                if name not in known and storage.get_modified_time(name) < cutoff:
                    removed += _remove_files(storage, [name])
    return removed


def _remove_files(storage: Storage, names: Iterable[str]) -> int:
    removed = 0
    for name in names:
        try:
            storage.delete(name)
            removed += 1
        except OSError:
            logger.exception("Could not delete uploaded file %s", name)
    return removed


def _files_under(storage: Storage, directory: str) -> Iterator[str]:
    if not storage.exists(directory):
        return
    subdirectories, files = storage.listdir(directory)
    for name in sorted(files):
        yield f"{directory}/{name}"
    for subdirectory in sorted(subdirectories):
        yield from _files_under(storage, f"{directory}/{subdirectory}")
