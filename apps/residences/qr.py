"""Invitation QR codes (segno), as SVG."""

from __future__ import annotations

import io

import segno


def svg(url: str) -> str:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=6, border=2, xmldecl=False, svgns=True, title="QR code"
    )
    return buffer.getvalue().decode()
