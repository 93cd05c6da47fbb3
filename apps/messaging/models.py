"""Conversations between neighbours: direct (two people), group (chosen members) and the
residence room that every active member reads and writes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.moderation import registry as moderation
from apps.residences.models import Residence

BODY_MAX_LENGTH = 4000

# A message's moderation state (apps.moderation.registry): visible, held or hidden.
MODERATION_CHOICES = [
    (moderation.VISIBLE, _("Visible")),
    (moderation.HELD, _("Waiting for a moderator")),
    (moderation.HIDDEN, _("Hidden by the moderators")),
]


class Conversation(models.Model):
    class Kind(models.TextChoices):
        DIRECT = "direct", _("Direct")
        GROUP = "group", _("Group")
        ROOM = "room", _("Residence room")

    residence = models.ForeignKey(Residence, on_delete=models.CASCADE, related_name="conversations")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=120, blank=True)
    # "<smaller user id>-<larger user id>" for direct conversations: one per pair and residence.
    direct_key = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.UniqueConstraint(
                fields=["residence", "direct_key"],
                condition=models.Q(kind="direct"),
                name="one_direct_conversation_per_pair",
            ),
            models.UniqueConstraint(
                fields=["residence"], condition=models.Q(kind="room"), name="one_room_per_residence"
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} #{self.pk}"


class Participant(models.Model):
    """Someone in a conversation, with how far they have read. In the residence room, a row
    appears the first time a member opens or writes in it."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participations"
    )
    last_read_id = models.BigIntegerField(default=0)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="unique_participant")
        ]
        indexes = [models.Index(fields=["user", "conversation"])]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.conversation_id}"


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="messages"
    )
    body = models.TextField(_("message"), max_length=BODY_MAX_LENGTH, blank=True)
    image = models.ForeignKey(
        "uploads.Image", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Held and hidden messages are seen by their author only (and by moderators, through the
    # case of a reported or held message).
    moderation = models.CharField(
        max_length=8, blank=True, default=moderation.VISIBLE, choices=MODERATION_CHOICES
    )

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["conversation", "id"]), models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} in {self.conversation_id}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_visible(self) -> bool:
        """Not held nor hidden by moderation."""
        return self.moderation == moderation.VISIBLE


class MessageRevision(models.Model):
    """The text a message had before each edit (and before deletion): kept for moderation."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("message revision")
        verbose_name_plural = _("message revisions")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"revision of {self.message_id}"
