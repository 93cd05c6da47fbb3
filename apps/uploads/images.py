"""The one way an uploaded image enters Voisinage: checked, decoded, re-encoded, stripped.

``process_image`` never trusts the file name nor the browser's content type. In order:

1. size cap (``UPLOAD_MAX_BYTES``), from the declared size and then by reading at most one
   byte more than the cap;
2. format allow-list by sniffing the content (JPEG, PNG, WebP, GIF; only these Pillow plugins
   are even tried, so SVG, HEIC, PDF, TIFF... are refused without being parsed);
3. pixel cap (``UPLOAD_MAX_PIXELS``) from the header, before any pixel is decoded;
4. decode; a corrupt or truncated file is refused;
5. EXIF orientation applied, colours converted to sRGB when an ICC profile is embedded, long
   side brought down to ``MAX_SIDE``, then re-encoded from bare pixels: no EXIF (GPS), XMP,
   ICC profile or comment survives. Photos become JPEG; images with real transparency (and
   every GIF, first frame only) become PNG.

Every refusal is a ``ValidationError`` with a translated message and a ``code``:
``too_large``, ``bad_format``, ``too_many_pixels`` or ``unreadable``.
"""

from __future__ import annotations

import contextlib
import io
import math
import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

# The only Pillow plugins tried on uploaded bytes. MPO is what Pillow calls the JPEG files with
# several pictures that many phone cameras write: it is a JPEG, its first picture is used.
OPEN_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
ALLOWED_FORMATS = frozenset({*OPEN_FORMATS, "MPO"})
ACCEPT = "image/jpeg,image/png,image/webp,image/gif"

MAX_SIDE = 2048
THUMBNAIL_SIDE = 400
JPEG_QUALITY = 85

# The first bytes of the allowed formats: a file that starts like one of them but that Pillow
# cannot open is a damaged image ("unreadable"), not a wrong format.
_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")
_BOMB_PIXELS = re.compile(r"\((\d+) pixels\)")
_MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ProcessedImage:
    """A re-encoded image, ready to be stored: only bytes produced by Pillow from bare pixels."""

    content: bytes
    thumbnail: bytes
    width: int
    height: int
    content_type: str  # "image/jpeg" or "image/png", for both content and thumbnail
    extension: str  # "jpg" or "png", without the dot
    thumbnail_width: int
    thumbnail_height: int

    @property
    def byte_size(self) -> int:
        return len(self.content)


def process_image(uploaded: File) -> ProcessedImage:
    """Check ``uploaded`` and re-encode it; raises ``ValidationError`` for anything refused."""
    data = _read_capped(uploaded)
    image = _open_checked(data)
    try:
        return _reencode(image)
    except (ValidationError, MemoryError):
        raise
    except Exception as exc:  # untrusted bytes: any decoder failure means a damaged file
        raise _unreadable() from exc
    finally:
        image.close()


# --- errors ----------------------------------------------------------------------------------


def _human(value: float, *, round_up: bool = False) -> str:
    """3 → "3", 1.25 → "1.2" ("1,2" in French), 0.0123 → "0.012". ``round_up`` for amounts
    compared with a limit: 40.01 million pixels read "40.1", never "40"."""
    if value >= 1:
        tenths = math.ceil(value * 10) if round_up else round(value * 10)
        text = f"{tenths / 10:.1f}".removesuffix(".0")
    else:
        text = f"{value:.2g}"
    return number_format(Decimal(text))


def _too_large() -> ValidationError:
    return ValidationError(
        _("This file is too large: the limit is %(limit)s MB."),
        code="too_large",
        params={"limit": _human(settings.UPLOAD_MAX_BYTES / _MIB)},
    )


def _bad_format() -> ValidationError:
    return ValidationError(
        _("Only JPEG, PNG, WebP and GIF photos are accepted."), code="bad_format"
    )


def _too_many_pixels(pixels: int | None) -> ValidationError:
    limit = _human(settings.UPLOAD_MAX_PIXELS / 1_000_000)
    if pixels is None:
        return ValidationError(
            _("This image is too large; the limit is %(limit)s million pixels."),
            code="too_many_pixels",
            params={"limit": limit},
        )
    return ValidationError(
        _("This image is too large (%(pixels)s million pixels); the limit is %(limit)s million."),
        code="too_many_pixels",
        params={"pixels": _human(pixels / 1_000_000, round_up=True), "limit": limit},
    )


def _unreadable() -> ValidationError:
    return ValidationError(_("This file is not a readable image."), code="unreadable")


# --- steps -----------------------------------------------------------------------------------


def _read_capped(uploaded: File) -> bytes:
    limit: int = settings.UPLOAD_MAX_BYTES
    try:
        declared: int | None = uploaded.size
    except (AttributeError, OSError, TypeError, ValueError):
        declared = None
    if declared is not None and declared > limit:
        raise _too_large()
    with contextlib.suppress(AttributeError, OSError, ValueError):
        uploaded.seek(0)  # not seekable: read from where it is
    data = uploaded.read(limit + 1)  # never more than the cap, whatever the declared size
    if not isinstance(data, bytes):
        raise _bad_format()  # a text-mode file is no image
    if len(data) > limit:
        raise _too_large()
    if not data:
        raise _unreadable()
    return data


def _open_checked(data: bytes) -> ImageFile.ImageFile:
    """Parse the header only: format and dimensions, no pixel decoded yet.

    Pillow's own bomb guard (``DecompressionBombError``, and ``DecompressionBombWarning`` when
    warnings are errors) becomes our ``too_many_pixels``. We do not wrap the call in
    ``warnings.catch_warnings``: it changes process-wide state and is not thread-safe. Our cap
    (40 MP) is below Pillow's warning threshold (89 MP), so every image Pillow warns about is
    refused by the check below anyway.
    """
    try:
        image = Image.open(io.BytesIO(data), formats=OPEN_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        match = _BOMB_PIXELS.search(str(exc))
        raise _too_many_pixels(int(match[1]) if match else None) from exc
    except UnidentifiedImageError as exc:
        raise (_unreadable() if _has_allowed_signature(data) else _bad_format()) from exc
    except MemoryError:
        raise
    except Exception as exc:  # a plugin choking on a damaged header
        raise _unreadable() from exc
    if image.format not in ALLOWED_FORMATS:
        image.close()
        raise _bad_format()
    width, height = image.size
    if width * height > settings.UPLOAD_MAX_PIXELS:
        image.close()
        raise _too_many_pixels(width * height)
    return image


def _has_allowed_signature(data: bytes) -> bool:
    return data.startswith(_SIGNATURES) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def _reencode(image: ImageFile.ImageFile) -> ProcessedImage:
    source_format = image.format
    icc_profile = image.info.get("icc_profile")
    if source_format in {"JPEG", "MPO"}:
        # Let libjpeg decode at 1/2, 1/4 or 1/8 scale when the result is downscaled anyway.
        image.draft(None, _fit(image.size, MAX_SIDE))
    image.load()  # decodes the first frame only (GIF, animated WebP, MPO)

    pixels = _oriented(image)
    pixels = _to_srgb(pixels, icc_profile)
    pixels = _without_high_bit_depth(pixels)
    transparent = _has_real_transparency(pixels)
    pixels = pixels.convert("RGBA" if transparent else "RGB")
    as_png = transparent or source_format == "GIF"
    fmt = "PNG" if as_png else "JPEG"

    pixels.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    content = _encode(pixels, fmt)
    # A transparent photo can weigh far more as PNG than it did as WebP: shrink until it fits.
    while len(content) > settings.UPLOAD_MAX_BYTES and max(pixels.size) > THUMBNAIL_SIDE:
        pixels = pixels.resize(_scaled(pixels.size, 0.75), Image.Resampling.LANCZOS)
        content = _encode(pixels, fmt)

    small = pixels.copy()
    small.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    return ProcessedImage(
        content=content,
        thumbnail=_encode(small, fmt),
        width=pixels.width,
        height=pixels.height,
        content_type="image/png" if as_png else "image/jpeg",
        extension="png" if as_png else "jpg",
        thumbnail_width=small.width,
        thumbnail_height=small.height,
    )


def _fit(size: tuple[int, int], side: int) -> tuple[int, int]:
    width, height = size
    ratio = min(1.0, side / max(width, height))
    return _scaled(size, ratio)


def _scaled(size: tuple[int, int], ratio: float) -> tuple[int, int]:
    return max(1, round(size[0] * ratio)), max(1, round(size[1] * ratio))


def _oriented(image: Image.Image) -> Image.Image:
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # a damaged EXIF block: keep the picture as stored
        return image


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Convert to sRGB before the profile is dropped, so that colours do not shift (phones
    shoot in Display P3; print files are CMYK)."""
    if not icc_profile or image.mode not in {"RGB", "RGBA", "CMYK"}:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        converted = ImageCms.profileToProfile(
            image,
            source,
            ImageCms.createProfile("sRGB"),
            outputMode="RGBA" if image.mode == "RGBA" else "RGB",
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image  # an unusable profile: keep the pixels as they are
    return converted if converted is not None else image


def _without_high_bit_depth(image: Image.Image) -> Image.Image:
    """16-bit greyscale PNGs: scale to 8 bits (a plain conversion would clip them to white)."""
    if image.mode.startswith("I"):
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    return image


def _has_real_transparency(image: Image.Image) -> bool:
    if not image.has_transparency_data:
        return False
    alpha = image.convert("RGBA").getchannel("A")
    lowest = alpha.getextrema()[0]
    return isinstance(lowest, int | float) and lowest < 255


def _encode(image: Image.Image, fmt: str) -> bytes:
    # Bare pixels in a new image: nothing of the source's info (EXIF, XMP, ICC profile,
    # comment, text chunks) can reach the encoder, whatever the plugin would carry over.
    bare = Image.new(image.mode, image.size)
    bare.paste(image)
    buffer = io.BytesIO()
    if fmt == "JPEG":
        bare.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    else:
        bare.save(buffer, "PNG")
    return buffer.getvalue()
