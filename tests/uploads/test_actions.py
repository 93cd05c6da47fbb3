"""store_image / delete_image: files under MEDIA_ROOT with random names, never half-written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.db import IntegrityError

from apps.uploads import actions
from apps.uploads.actions import (
    delete_image,
    delete_images_of,
    store_image,
    sweep_orphan_files,
)
from apps.uploads.images import process_image
from apps.uploads.models import Image
from tests.conftest import World
from tests.uploads.samples import (
    encode,
    gps_exif,
    jpeg,
    noise,
    on_disk,
    reopen,
    stored_files,
    upload,
)

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


def test_it_stores_both_files_under_random_dated_names(world: World, media_root: Path) -> None:
    source = jpeg((3000, 1000), exif=gps_exif())

    image = store_image(world.alice.user, upload(source, "Mme-Dupont-appartement-12.jpg"))

    image.refresh_from_db()
    assert image.owner == world.alice.user
    assert (image.width, image.height) == (2048, 683)
    assert (image.thumbnail_width, image.thumbnail_height) == (400, 133)
    assert image.content_type == "image/jpeg"
    assert str(image.file.name).startswith(f"uploads/images/{image.created_at:%Y/%m/%d}/")
    assert str(image.thumbnail.name).startswith(f"uploads/thumbnails/{image.created_at:%Y/%m/%d}/")
    files = stored_files(media_root)
    assert files == sorted([on_disk(media_root, image.file), on_disk(media_root, image.thumbnail)])
    for path in files:
        assert "Dupont" not in str(path) and "appartement" not in str(path)
        assert len(path.stem) == 32 and path.suffix == ".jpg"  # a uuid4 hex
    content = (on_disk(media_root, image.file)).read_bytes()
    assert image.byte_size == len(content)
    assert dict(reopen(content).getexif()) == {}
    assert reopen((on_disk(media_root, image.thumbnail)).read_bytes()).size == (400, 133)


def test_two_uploads_of_the_same_file_get_different_names(world: World, media_root: Path) -> None:
    first = store_image(world.alice.user, upload(jpeg()))
    second = store_image(world.alice.user, upload(jpeg()))

    assert first.file.name != second.file.name
    assert len(stored_files(media_root)) == 4


def test_a_png_is_stored_as_png(world: World, media_root: Path) -> None:
    image = store_image(
        world.bob.user, upload(encode(noise((30, 30), "RGBA"), "PNG"), "a.png", "image/png")
    )

    assert image.content_type == "image/png"
    assert str(image.file.name).endswith(".png")
    assert str(image.thumbnail.name).endswith(".png")


def test_it_takes_an_already_processed_image_without_processing_it_again(
    world: World, media_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    processed = process_image(upload(jpeg()))
    monkeypatch.setattr(actions, "process_image", pytest.fail)

    image = store_image(world.alice.user, processed)

    assert (on_disk(media_root, image.file)).read_bytes() == processed.content
    assert (on_disk(media_root, image.thumbnail)).read_bytes() == processed.thumbnail


def test_a_refused_file_writes_nothing(world: World, media_root: Path) -> None:
    with pytest.raises(ValidationError):
        store_image(world.alice.user, upload(b"<svg/>", "x.svg", "image/svg+xml"))

    assert stored_files(media_root) == []
    assert not Image.objects.exists()


def test_a_failed_database_write_leaves_no_file_behind(media_root: Path) -> None:
    with pytest.raises(IntegrityError):
        store_image(None, upload(jpeg()))  # owner is NOT NULL: the INSERT fails

    assert stored_files(media_root) == []
    assert not Image.objects.exists()


def test_a_failed_thumbnail_write_removes_the_first_file(
    world: World, media_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real_save = FileSystemStorage.save

    def save_once(self: FileSystemStorage, name: str, content: Any, **kwargs: Any) -> str:
        calls.append(name)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_save(self, name, content, **kwargs)

    monkeypatch.setattr(FileSystemStorage, "save", save_once)

    with pytest.raises(OSError, match="disk full"):
        store_image(world.alice.user, upload(jpeg()))

    assert len(calls) == 2
    assert stored_files(media_root) == []
    assert not Image.objects.exists()


def test_delete_image_removes_the_row_then_the_files_after_commit(
    world: World, media_root: Path, django_capture_on_commit_callbacks: Capture
) -> None:
    image = store_image(world.alice.user, upload(jpeg()))
    kept = store_image(world.alice.user, upload(jpeg()))

    with django_capture_on_commit_callbacks() as callbacks:
        delete_image(image)
        assert not Image.objects.filter(pk=image.pk).exists()
        assert len(stored_files(media_root)) == 4  # files stay until the commit

    for callback in callbacks:
        callback()
    assert stored_files(media_root) == sorted(
        [on_disk(media_root, kept.file), on_disk(media_root, kept.thumbnail)]
    )


def test_delete_image_keeps_going_when_a_file_is_already_gone(
    world: World, media_root: Path, django_capture_on_commit_callbacks: Capture
) -> None:
    image = store_image(world.alice.user, upload(jpeg()))
    (on_disk(media_root, image.file)).unlink()

    with django_capture_on_commit_callbacks(execute=True):
        delete_image(image)

    assert stored_files(media_root) == []


def test_delete_images_of_removes_every_image_of_the_owner(
    world: World, media_root: Path, django_capture_on_commit_callbacks: Capture
) -> None:
    store_image(world.alice.user, upload(jpeg()))
    store_image(world.alice.user, upload(jpeg()))
    bobs = store_image(world.bob.user, upload(jpeg()))

    with django_capture_on_commit_callbacks(execute=True):
        assert delete_images_of(world.alice.user) == 2

    assert list(Image.objects.all()) == [bobs]
    assert len(stored_files(media_root)) == 2


def test_the_sweep_removes_old_orphans_only(world: World, media_root: Path) -> None:
    kept = store_image(world.alice.user, upload(jpeg()))
    orphan = store_image(world.alice.user, upload(jpeg()))
    Image.objects.filter(pk=orphan.pk).delete()  # as a CASCADE or a rolled-back outer block

    assert sweep_orphan_files() == 0  # too young: may belong to a running transaction
    assert len(stored_files(media_root)) == 4

    assert sweep_orphan_files(older_than=timedelta(0)) == 2
    assert stored_files(media_root) == sorted(
        [on_disk(media_root, kept.file), on_disk(media_root, kept.thumbnail)]
    )


def test_the_sweep_command_runs(media_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("sweep_uploads", "--older-than-hours", "0")

    assert "0 orphan file(s) removed." in capsys.readouterr().out
