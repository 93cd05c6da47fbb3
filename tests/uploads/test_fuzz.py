"""A small, deterministic fuzz: whatever bytes arrive, process_image either returns a clean
image or raises ValidationError with one of its codes; nothing else escapes."""

from __future__ import annotations

import random

import pytest
from django.core.exceptions import ValidationError

from apps.uploads.images import process_image
from tests.uploads.samples import encode, gif_with_header_size, jpeg, noise, upload

CODES = {"too_large", "bad_format", "too_many_pixels", "unreadable"}
SIGNATURES = [
    b"",
    b"\xff\xd8\xff\xe0",
    b"\x89PNG\r\n\x1a\n",
    b"GIF89a",
    b"RIFF\x00\x00\x00\x00WEBP",
]


def outcome(data: bytes) -> str:
    try:
        processed = process_image(upload(data))
    except ValidationError as error:
        assert error.code in CODES
        return str(error.code)
    assert processed.content and processed.thumbnail
    return "ok"


def test_random_bytes_are_refused_cleanly() -> None:
    rng = random.Random(20240601)
    outcomes = [
        outcome(rng.choice(SIGNATURES) + rng.randbytes(rng.randint(0, 3000))) for _ in range(200)
    ]
    assert set(outcomes) <= CODES
    assert {"bad_format", "unreadable"} <= set(outcomes)


@pytest.mark.parametrize(
    "whole",
    [
        jpeg((80, 60)),
        encode(noise((40, 30)), "JPEG", progressive=True),
        encode(noise((40, 30), "RGBA"), "PNG"),
        encode(noise((40, 30), "RGBA"), "WEBP"),
        encode(noise((40, 30)).convert("P"), "GIF"),
        gif_with_header_size(300, 200),
    ],
    ids=["jpeg", "jpeg-progressive", "png", "webp", "gif", "gif-odd-header"],
)
def test_truncated_and_corrupted_images_never_escape(whole: bytes) -> None:
    rng = random.Random(len(whole))
    truncations = [whole[: rng.randrange(len(whole))] for _ in range(40)]
    corruptions = []
    for _ in range(40):
        damaged = bytearray(whole)
        for _ in range(rng.randint(1, 8)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        corruptions.append(bytes(damaged))

    outcomes = [outcome(data) for data in truncations + corruptions]

    assert set(outcomes) <= CODES | {"ok"}
    assert "unreadable" in outcomes
