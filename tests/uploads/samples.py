"""Images crafted in memory for the upload tests: small, deterministic, cheap to build."""

from __future__ import annotations

import io
import random
import struct
import zlib
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict
from PIL import ExifTags, Image, ImageCms

SECRET = b"SECRET-7f3a"  # planted in every metadata block; must never reach the output


def encode(image: Image.Image, fmt: str, **options: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def noise(size: tuple[int, int], mode: str = "RGB", seed: int = 1) -> Image.Image:
    bands = len(mode)
    rng = random.Random(seed)
    return Image.frombytes(mode, size, rng.randbytes(size[0] * size[1] * bands))


def halves(size: tuple[int, int], left: tuple[int, ...], right: tuple[int, ...]) -> Image.Image:
    """Left half one colour, right half another: shows where a rotation put things."""
    mode = "RGBA" if len(left) == 4 else "RGB"
    image = Image.new(mode, size, left)
    image.paste(right, (size[0] // 2, 0, size[0], size[1]))
    return image


def jpeg(size: tuple[int, int] = (64, 48), **options: Any) -> bytes:
    return encode(halves(size, (200, 30, 30), (30, 30, 200)), "JPEG", quality=90, **options)


def gps_exif(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.ImageDescription] = SECRET.decode()
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (45.0, 45.0, 12.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (4.0, 51.0, 36.0)
    return exif


def srgb_icc() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def xmp() -> bytes:
    return b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><secret>' + SECRET + b"</secret></x:xmpmeta>"


def png_with_header_size(width: int, height: int) -> bytes:
    """A real 8x8 PNG whose IHDR claims ``width`` x ``height`` (CRC fixed): a pixel bomb
    that costs nothing to build."""
    data = bytearray(encode(Image.new("L", (8, 8)), "PNG"))
    assert data[12:16] == b"IHDR"
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def gif_with_header_size(width: int, height: int) -> bytes:
    data = bytearray(encode(Image.new("P", (8, 8)), "GIF"))
    data[6:10] = struct.pack("<HH", width, height)  # logical screen size
    return bytes(data)


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> Any:
    return SimpleUploadedFile(name, data, content_type=content_type)


def reopen(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def on_disk(root: Path, field: Any) -> Path:
    """Where a stored ``FieldFile`` lives under ``MEDIA_ROOT``."""
    assert field.name
    return root / str(field.name)


def files(**uploads: Any) -> MultiValueDict[str, Any]:
    """``request.FILES`` for a bound form."""
    return MultiValueDict({name: [value] for name, value in uploads.items()})


def stored_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []
