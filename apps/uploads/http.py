"""Serving a stored image. Always called from an access-checked view of the app that owns the
context (a conversation, an exchange, a news item): photos can be private, so there is no
public URL and nothing is served from ``MEDIA_URL``."""

from __future__ import annotations

from django.http import FileResponse, Http404

from apps.uploads.models import Image


def image_response(image: Image, *, thumbnail: bool = False) -> FileResponse:
    field = image.thumbnail if thumbnail else image.file
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError) as exc:  # file lost, or no file on the row
        raise Http404 from exc
    extension = "png" if image.content_type == "image/png" else "jpg"
    response = FileResponse(
        handle,
        content_type=image.content_type,
        filename=f"photo-{image.pk}{'-small' if thumbnail else ''}.{extension}",
    )  # not an attachment: "Content-Disposition: inline; filename=..."
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
