from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from apps.uploads.models import Image


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin[Image]):
    """Read-only: images are created and deleted through ``apps.uploads.actions`` (which handle
    the files); the pictures themselves are not shown here, they may be private."""

    list_display = ("id", "owner", "content_type", "width", "height", "byte_size", "created_at")
    list_filter = ("content_type",)
    list_select_related = ("owner",)
    search_fields = ("owner__email",)
    date_hierarchy = "created_at"
    exclude = ("file", "thumbnail")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
