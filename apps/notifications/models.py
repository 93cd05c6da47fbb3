"""In-app notifications and each person's email preference per kind of notification.

Every feature notifies through ``actions.notify``; nothing here knows the features.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    MESSAGES = "messages", _("Messages")
    EXCHANGES = "exchanges", _("Service exchanges")
    HELP = "help", _("Help for seniors")
    NEWS = "news", _("News and notices")
    MODERATION = "moderation", _("Moderation")


class Frequency(models.TextChoices):
    INSTANT = "instant", _("Instant")
    DIGEST = "digest", _("Daily summary")
    OFF = "off", _("Off")


# What a person gets when they never chose (no Preference row).
DEFAULT_FREQUENCY: dict[str, str] = {
    Kind.MESSAGES: Frequency.INSTANT,
    Kind.EXCHANGES: Frequency.DIGEST,
    Kind.HELP: Frequency.DIGEST,
    Kind.NEWS: Frequency.DIGEST,
    Kind.MODERATION: Frequency.INSTANT,
}


def default_frequency(kind: str) -> str:
    return DEFAULT_FREQUENCY[kind]


class Preference(models.Model):
    """How a person wants emails about one kind of notification. No row: the default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    frequency = models.CharField(_("emails"), max_length=10, choices=Frequency.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="unique_notification_preference")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.frequency}"


class Notification(models.Model):
    """One thing that happened for one person. ``url`` is a path on this site."""

    TITLE_MAX = 200
    BODY_MAX = 300
    BATCH_KEY_MAX = 100

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    body = models.CharField(_("excerpt"), max_length=BODY_MAX, blank=True)
    url = models.CharField(_("link"), max_length=500)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # When an email about it was queued (instant or digest); null: never emailed.
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    # Notifications with the same key (e.g. one conversation) share one email per 15 minutes.
    batch_key = models.CharField(max_length=BATCH_KEY_MAX, blank=True)
    # What it is about ("message:12"), so that it can be withdrawn when that is hidden.
    source = models.CharField(max_length=40, blank=True, db_index=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["user", "read_at"], name="notif_user_read"),
            models.Index(fields=["user", "-created_at"], name="notif_user_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
