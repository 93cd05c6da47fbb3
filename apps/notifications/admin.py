from django.contrib import admin

from apps.notifications.models import Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ("title", "user", "kind", "created_at", "read_at", "emailed_at")
    list_filter = ("kind",)
    raw_id_fields = ("user",)
    search_fields = ("title", "user__email")
    readonly_fields = ("created_at",)


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin[Preference]):
    list_display = ("user", "kind", "frequency")
    list_filter = ("kind", "frequency")
    raw_id_fields = ("user",)
