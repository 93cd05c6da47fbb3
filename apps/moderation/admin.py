"""The moderation audit is append-only: the admin shows it read-only (no add, change or
delete), and the other moderation tables read-only too: every write goes through actions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from apps.moderation.models import AuditEntry, Case, Decision


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "residence",
        "actor",
        "verb",
        "target_type",
        "target_id",
        "before",
        "after",
    )
    list_filter = ("verb", "residence")


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "residence", "action", "reason", "status", "decided_as", "urgent")
    list_filter = ("status", "action", "residence")


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("opened_at", "residence", "target_type", "target_id", "origin", "status")
    list_filter = ("status", "origin", "residence")
