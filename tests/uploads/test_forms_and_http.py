"""The form field and the response helper that features build on."""

from __future__ import annotations

from pathlib import Path

import pytest
from django import forms
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import translation

from apps.uploads.actions import store_image
from apps.uploads.forms import ImageField
from apps.uploads.http import image_response
from apps.uploads.images import ProcessedImage
from tests.conftest import World, make_user
from tests.uploads.samples import encode, files, jpeg, noise, on_disk, stored_files, upload


class PhotoForm(forms.Form):
    photo = ImageField(label="Photo", required=False)


def test_the_field_returns_a_processed_image(media_root: Path) -> None:
    form = PhotoForm(data={}, files=files(photo=upload(jpeg((3000, 100)))))

    assert form.is_valid(), form.errors
    photo = form.cleaned_data["photo"]
    assert isinstance(photo, ProcessedImage)
    assert (photo.width, photo.height) == (2048, 68)
    assert stored_files(media_root) == []  # a form writes nothing


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "Only JPEG, PNG, WebP and GIF photos"),
        (jpeg()[:200], "This file is not a readable image."),
    ],
)
def test_the_field_gives_the_clear_message(data: bytes, message: str, media_root: Path) -> None:
    with translation.override("en"):
        form = PhotoForm(data={}, files=files(photo=upload(data, "x.jpg")))
        assert not form.is_valid()
        assert message in form.errors["photo"][0]
    assert stored_files(media_root) == []


def test_the_field_may_be_left_empty_or_required() -> None:
    assert PhotoForm(data={}, files=files()).is_valid()

    class Required(forms.Form):
        photo = ImageField()

    with translation.override("en"):
        form = Required(data={}, files=files())
        assert not form.is_valid()
        assert form.errors["photo"] == ["This field is required."]


def test_the_widget_tells_the_browser_what_to_offer() -> None:
    html = str(PhotoForm()["photo"])

    assert 'accept="image/jpeg,image/png,image/webp,image/gif"' in html
    assert 'type="file"' in html


@pytest.mark.django_db
def test_image_response_serves_the_file_privately(world: World, media_root: Path) -> None:
    image = store_image(world.alice.user, upload(jpeg()))

    response = image_response(image)

    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, max-age=3600"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'inline; filename="photo-{image.pk}.jpg"'
    body = b"".join(response.streaming_content)  # type: ignore[arg-type]
    response.close()
    assert body == (on_disk(media_root, image.file)).read_bytes()
    assert int(response["Content-Length"]) == image.byte_size


@pytest.mark.django_db
def test_image_response_serves_the_thumbnail(world: World, media_root: Path) -> None:
    image = store_image(
        world.alice.user, upload(encode(noise((30, 30), "RGBA"), "PNG"), "a.png", "image/png")
    )

    response = image_response(image, thumbnail=True)

    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    body = b"".join(response.streaming_content)  # type: ignore[arg-type]
    response.close()
    assert body == (on_disk(media_root, image.thumbnail)).read_bytes()


@pytest.mark.django_db
def test_image_response_is_a_404_when_the_file_is_gone(world: World, media_root: Path) -> None:
    image = store_image(world.alice.user, upload(jpeg()))
    (on_disk(media_root, image.file)).unlink()

    with pytest.raises(Http404):
        image_response(image)


@pytest.mark.django_db
def test_the_admin_lists_images_read_only(world: World, media_root: Path) -> None:
    store_image(world.alice.user, upload(jpeg()))
    admin = make_user("root@test.fr", "Root", "Admin", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)

    listing = client.get(reverse("admin:uploads_image_changelist"))
    adding = client.get(reverse("admin:uploads_image_add"))

    assert listing.status_code == 200
    assert b"alice@test.fr" in listing.content or b"Alice" in listing.content
    assert adding.status_code == 403
