"""process_image: the rules every uploaded image goes through (no database needed)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils import translation
from PIL import ExifTags, GifImagePlugin, Image, ImageFile

from apps.uploads.images import MAX_SIDE, THUMBNAIL_SIDE, ProcessedImage, process_image
from tests.uploads.samples import (
    SECRET,
    encode,
    gif_with_header_size,
    gps_exif,
    halves,
    jpeg,
    noise,
    png_with_header_size,
    reopen,
    srgb_icc,
    upload,
    xmp,
)


def refusal(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> str:
    with pytest.raises(ValidationError) as caught:
        process_image(upload(data, name, content_type))
    assert caught.value.code is not None
    return caught.value.code


def english_message(data: bytes) -> str:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        process_image(upload(data))
    return caught.value.messages[0]


def assert_no_metadata(processed: ProcessedImage) -> None:
    for data in (processed.content, processed.thumbnail):
        image = reopen(data)
        assert dict(image.getexif()) == {}
        assert not {"exif", "xmp", "icc_profile", "comment", "XML:com.adobe.xmp"} & set(image.info)
        for needle in (b"Exif", b"GPS", b"PhoneMaker", SECRET, b"ICC_PROFILE", b"iCCP", b"xmp"):
            assert needle not in data


# --- metadata, orientation ------------------------------------------------------------------


def test_it_strips_exif_gps_xmp_icc_and_comments_from_a_jpeg() -> None:
    source = jpeg(exif=gps_exif(), xmp=xmp(), icc_profile=srgb_icc(), comment=SECRET)
    planted = Image.open(io.BytesIO(source))
    assert planted.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the sample really has GPS
    assert SECRET in source

    processed = process_image(upload(source))

    assert processed.content_type == "image/jpeg"
    assert processed.extension == "jpg"
    assert reopen(processed.content).format == "JPEG"
    assert_no_metadata(processed)


def test_it_strips_metadata_from_a_png() -> None:
    from PIL import PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", SECRET.decode())
    text.add_itxt("XML:com.adobe.xmp", xmp().decode())
    source = encode(
        noise((32, 32), "RGBA"), "PNG", pnginfo=text, exif=gps_exif(), icc_profile=srgb_icc()
    )

    processed = process_image(upload(source, "a.png", "image/png"))

    assert processed.content_type == "image/png"
    assert_no_metadata(processed)


def test_it_applies_the_exif_orientation() -> None:
    # Stored landscape, red on the left; orientation 6 means "rotate 90° clockwise to view".
    stored = halves((60, 40), (220, 0, 0), (0, 0, 220))
    source = encode(stored, "JPEG", quality=95, exif=gps_exif(orientation=6))

    processed = process_image(upload(source))

    assert (processed.width, processed.height) == (40, 60)  # portrait, as the phone showed it
    shown = reopen(processed.content).convert("RGB")
    assert shown.size == (40, 60)
    top, bottom = shown.getpixel((20, 5)), shown.getpixel((20, 55))
    assert isinstance(top, tuple) and isinstance(bottom, tuple)
    assert top[0] > 150 > top[2]  # red went to the top
    assert bottom[2] > 150 > bottom[0]
    assert dict(reopen(processed.content).getexif()) == {}  # no orientation left to re-apply


# --- formats ---------------------------------------------------------------------------------


def test_it_keeps_a_png_with_transparency_as_png_with_alpha() -> None:
    source = encode(halves((50, 50), (255, 0, 0, 255), (0, 0, 255, 0)), "PNG")

    processed = process_image(upload(source, "logo.png", "image/png"))

    assert (processed.content_type, processed.extension) == ("image/png", "png")
    result = reopen(processed.content)
    assert result.format == "PNG" and result.mode == "RGBA"
    assert result.getchannel("A").getextrema() == (0, 255)
    assert reopen(processed.thumbnail).mode == "RGBA"


def test_it_keeps_palette_transparency() -> None:
    palette = Image.new("P", (20, 20), 1)
    palette.putpalette([255, 255, 255, 255, 0, 0])
    palette.paste(0, (0, 0, 10, 20))
    source = encode(palette, "PNG", transparency=0)

    processed = process_image(upload(source, "icon.png", "image/png"))

    assert processed.content_type == "image/png"
    assert reopen(processed.content).getchannel("A").getextrema() == (0, 255)


def test_it_turns_an_opaque_png_into_a_jpeg() -> None:
    source = encode(noise((40, 30), "RGBA").convert("RGB").convert("RGBA"), "PNG")

    processed = process_image(upload(source, "photo.png", "image/png"))

    assert processed.content_type == "image/jpeg"
    assert reopen(processed.content).mode == "RGB"


def test_it_accepts_webp() -> None:
    opaque = process_image(upload(encode(noise((40, 30)), "WEBP"), "p.webp", "image/webp"))
    transparent = process_image(
        upload(
            encode(halves((40, 30), (9, 9, 9, 255), (9, 9, 9, 0)), "WEBP", lossless=True),
            "p.webp",
            "image/webp",
        )
    )

    assert (opaque.content_type, opaque.width, opaque.height) == ("image/jpeg", 40, 30)
    assert transparent.content_type == "image/png"
    assert reopen(transparent.content).mode == "RGBA"


def test_it_keeps_the_first_frame_of_a_gif_as_png() -> None:
    red = Image.new("RGB", (30, 20), (255, 0, 0))
    blue = Image.new("RGB", (30, 20), (0, 0, 255))
    source = encode(red, "GIF", save_all=True, append_images=[blue], duration=100, loop=0)
    opened = Image.open(io.BytesIO(source))
    assert isinstance(opened, GifImagePlugin.GifImageFile) and opened.n_frames == 2

    processed = process_image(upload(source, "anim.gif", "image/gif"))

    assert (processed.content_type, processed.extension) == ("image/png", "png")
    result = reopen(processed.content)
    assert result.format == "PNG"
    assert getattr(result, "n_frames", 1) == 1
    assert result.convert("RGB").getpixel((15, 10)) == (255, 0, 0)


def test_it_accepts_a_multi_picture_jpeg_from_a_camera() -> None:
    first, second = noise((40, 30)), noise((40, 30), seed=2)
    source = encode(first, "MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(source)).format == "MPO"

    processed = process_image(upload(source))

    assert processed.content_type == "image/jpeg"
    assert reopen(processed.content).format == "JPEG"


def test_it_converts_cmyk_and_16_bit_images_to_8_bit_colour() -> None:
    cmyk = process_image(upload(encode(Image.new("CMYK", (20, 20), (0, 255, 255, 0)), "JPEG")))
    grey16 = process_image(
        upload(encode(Image.new("I;16", (20, 20), 30000), "PNG"), "g.png", "image/png")
    )

    red = reopen(cmyk.content).getpixel((10, 10))
    assert isinstance(red, tuple) and red[0] > 200 and red[1] < 60
    grey = reopen(grey16.content).getpixel((10, 10))
    assert isinstance(grey, tuple) and 100 < grey[0] < 135  # 30000/65535, not clipped to white


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer<<>>\n%%EOF\n"
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 200


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
            b'<script>alert(1)</script><rect width="10" height="10"/></svg>',
            "drawing.svg",
            "image/svg+xml",
        ),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "x.jpg", "image/jpeg"),
        (
            b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer<<>>\n%%EOF",
            "a.pdf",
            "image/jpeg",
        ),
        (b"Bonjour, ceci n'est pas une image.\n" * 20, "photo.jpg", "image/jpeg"),
        (
            b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 200,
            "i.heic",
            "image/heic",
        ),
        (encode(noise((10, 10)), "TIFF"), "scan.jpg", "image/jpeg"),
        (encode(noise((10, 10)), "BMP"), "old.jpg", "image/jpeg"),
    ],
    ids=["svg", "svg-named-jpg", "pdf", "text-named-jpg", "heic", "tiff", "bmp"],
)
def test_it_refuses_other_formats_whatever_the_name(
    data: bytes, name: str, content_type: str
) -> None:
    assert refusal(data, name, content_type) == "bad_format"


def test_the_format_message_is_clear() -> None:
    assert english_message(b"<svg/>") == "Only JPEG, PNG, WebP and GIF photos are accepted."


# --- pixel bombs -----------------------------------------------------------------------------


@pytest.fixture
def no_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse_to_decode(self: ImageFile.ImageFile) -> None:
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse_to_decode)


@pytest.mark.parametrize(
    "data",
    [
        png_with_header_size(8000, 6000),  # 48 MP: over our cap, under Pillow's own
        png_with_header_size(10_000, 10_000),  # 100 MP: Pillow warns
        png_with_header_size(20_000, 20_000),  # 400 MP: Pillow refuses
        gif_with_header_size(65_535, 65_535),
    ],
    ids=["png-48MP", "png-100MP", "png-400MP", "gif-4GP"],
)
@pytest.mark.usefixtures("no_decoding")
def test_it_refuses_a_pixel_bomb_from_its_header_without_decoding(data: bytes) -> None:
    assert len(data) < 1000
    assert refusal(data) == "too_many_pixels"


@pytest.mark.usefixtures("no_decoding")
def test_the_pixel_message_gives_the_count_and_the_limit() -> None:
    assert english_message(png_with_header_size(8000, 6000)) == (
        "This image is too large (48 million pixels); the limit is 40 million."
    )
    assert english_message(png_with_header_size(20_000, 20_000)) == (
        "This image is too large (400 million pixels); the limit is 40 million."
    )


def test_the_pixel_cap_follows_the_setting(settings: Any) -> None:
    settings.UPLOAD_MAX_PIXELS = 10_000
    assert refusal(jpeg((101, 100))) == "too_many_pixels"
    assert process_image(upload(jpeg((100, 100)))).width == 100


# --- size ------------------------------------------------------------------------------------


class Unreadable(io.BytesIO):
    def read(self, size: int | None = -1) -> bytes:
        raise AssertionError("an oversized upload was read")


def test_it_refuses_a_file_over_the_size_cap_before_reading_it(
    settings: Any,
) -> None:
    settings.UPLOAD_MAX_BYTES = 2048
    big = jpeg((200, 200))
    assert len(big) > 2048
    unread = File(Unreadable(big), name="big.jpg")

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        process_image(unread)

    assert caught.value.code == "too_large"
    assert caught.value.messages == ["This file is too large: the limit is 0.002 MB."]


class Lying(io.BytesIO):
    """Declares a small size but holds more: reads are counted."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.size = 10
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


def test_it_refuses_a_file_that_lies_about_its_size(settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 2048
    lying = Lying(jpeg((200, 200)))
    assert File(lying).size == 10

    with pytest.raises(ValidationError) as caught:
        process_image(File(lying, name="small.jpg"))

    assert caught.value.code == "too_large"
    assert lying.bytes_read == 2049


def test_the_default_size_message_reads_in_megabytes() -> None:
    big = upload(b"\xff\xd8\xff" + b"\x00" * (8 * 1024 * 1024))
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        process_image(big)
    assert caught.value.messages == ["This file is too large: the limit is 8 MB."]


# --- damaged files ---------------------------------------------------------------------------


@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_it_refuses_a_truncated_jpeg_as_unreadable(keep: float) -> None:
    whole = encode(noise((64, 64)), "JPEG")
    assert refusal(whole[: int(len(whole) * keep)]) == "unreadable"


@pytest.mark.parametrize("cut", [8, 20, 100])
def test_a_file_cut_inside_its_header_is_unreadable_not_a_bad_format(cut: int) -> None:
    assert refusal(encode(noise((64, 64)), "PNG")[:cut], "a.png") == "unreadable"


def test_an_empty_file_is_unreadable() -> None:
    assert refusal(b"") == "unreadable"
    assert english_message(b"") == "This file is not a readable image."


# --- sizes of the results --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (jpeg((3000, 1500)), (2048, 1024)),
        (jpeg((1000, 5000)), (410, 2048)),  # libjpeg decodes at 1/2 first (draft), same result
        (encode(halves((2500, 100), (1, 2, 3, 255), (1, 2, 3, 0)), "PNG"), (2048, 82)),
    ],
    ids=["jpeg-landscape", "jpeg-portrait", "png-transparent"],
)
def test_it_downscales_to_2048_on_the_long_side(source: bytes, expected: tuple[int, int]) -> None:
    processed = process_image(upload(source))

    assert (processed.width, processed.height) == expected
    assert reopen(processed.content).size == expected
    assert max(processed.thumbnail_width, processed.thumbnail_height) == THUMBNAIL_SIDE
    assert reopen(processed.thumbnail).size == (
        processed.thumbnail_width,
        processed.thumbnail_height,
    )
    assert MAX_SIDE == 2048


def test_a_small_image_is_not_enlarged() -> None:
    processed = process_image(upload(jpeg((120, 80))))

    assert (processed.width, processed.height) == (120, 80)
    assert (processed.thumbnail_width, processed.thumbnail_height) == (120, 80)
    assert processed.byte_size == len(processed.content)


def test_a_transparent_image_too_heavy_as_png_is_shrunk_to_fit(
    settings: Any,
) -> None:
    source = encode(noise((700, 700), "RGBA"), "WEBP", quality=10)
    settings.UPLOAD_MAX_BYTES = max(len(source), 1536 * 1024)  # 700² noise in PNG: ~2 MB

    processed = process_image(upload(source, "sticker.webp", "image/webp"))

    assert processed.content_type == "image/png"
    assert processed.byte_size <= settings.UPLOAD_MAX_BYTES
    assert 400 < processed.width < 700
