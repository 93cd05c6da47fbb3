"""Free service exchanges between neighbours: offers, requests, responses and thanks.
Workflows live in ``actions.py``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.messaging.models import MODERATION_CHOICES, Conversation
from apps.moderation import registry as moderation
from apps.residences.models import Residence

TITLE_MAX_LENGTH = 120
TEXT_MAX_LENGTH = 2000


class Kind(models.TextChoices):
    OFFER = "offer", _("I offer")
    REQUEST = "request", _("I am looking for")


class Category(models.TextChoices):
    DIY = "diy", _("DIY")
    SHOPPING = "shopping", _("Shopping")
    COMPUTERS = "computers", _("Computers and paperwork")
    PETS = "pets", _("Pet sitting")
    GARDENING = "gardening", _("Gardening")
    COOKING = "cooking", _("Cooking")
    LENDING = "lending", _("Lending an object")
    LESSONS = "lessons", _("Lessons and conversation")
    ACCOMPANYING = "accompanying", _("Accompanying")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


class Exchange(models.Model):
    residence = models.ForeignKey(Residence, on_delete=models.CASCADE, related_name="exchanges")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchanges"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), max_length=TEXT_MAX_LENGTH, blank=True)
    availability = models.CharField(_("availability"), max_length=200, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    # The end date the author was reminded of (once per end date: a new date, a new reminder).
    expiry_reminded_for = models.DateField(
        _("end date the author was reminded of"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    # Held and hidden exchanges are seen by their author only (and by the moderators).
    moderation = models.CharField(
        max_length=8, blank=True, default=moderation.VISIBLE, choices=MODERATION_CHOICES
    )
    # When a response was first accepted (in progress) and when it left the open/in-progress
    # states (done, cancelled, expired; cleared when reopened): what the indicators count.
    taken_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("service exchange")
        verbose_name_plural = _("service exchanges")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["residence", "status", "-created_at"]),
            models.Index(fields=["status", "ends_on"]),  # the daily expiry and reminder job
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN

    @property
    def is_visible(self) -> bool:
        """Not held nor hidden by moderation."""
        return self.moderation == moderation.VISIBLE


class Response(models.Model):
    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="responses")
    responder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchange_responses"
    )
    message = models.TextField(_("message"), max_length=TEXT_MAX_LENGTH)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted = models.BooleanField(_("accepted"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["exchange", "responder"], name="unique_response")
        ]

    def __str__(self) -> str:
        return f"{self.responder_id} → {self.exchange_id}"


class Thanks(models.Model):
    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="thanks")
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thanks_given"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thanks_received"
    )
    text = models.CharField(_("thank you message"), max_length=500)
    public = models.BooleanField(_("public"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thanks")
        verbose_name_plural = _("thanks")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["exchange", "from_user", "to_user"], name="unique_thanks"
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_user_id} → {self.to_user_id}"
