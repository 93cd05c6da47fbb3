"""Common rooms (salles communes) and their bookings.

No double booking is enforced by the database, on SQLite as on PostgreSQL: an approved booking
holds one ``BookingSlot`` row per 30-minute slot it covers, and ``BookingSlot`` is unique on
(room, start). Approving inserts the slots in the approval's transaction, so of two overlapping
approvals the second fails on the constraint. Workflows live in ``actions.py``."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.community.models import Post
from apps.residences.models import Residence

SLOT = datetime.timedelta(minutes=30)
MAX_DURATION = datetime.timedelta(hours=12)
MAX_DAYS_AHEAD = 180
NAME_MAX_LENGTH = 100
TEXT_MAX_LENGTH = 2000
PURPOSE_MAX_LENGTH = 200
REASON_MAX_LENGTH = 300
MAX_CAPACITY = 1000


class CommonRoom(models.Model):
    residence = models.ForeignKey(Residence, on_delete=models.CASCADE, related_name="common_rooms")
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    capacity = models.PositiveIntegerField(_("capacity"))
    accessibility = models.TextField(_("accessibility"), blank=True)
    rules = models.TextField(_("rules"), blank=True)
    # An inactive room is kept (with its bookings) but takes no new request.
    active = models.BooleanField(_("open for bookings"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("common room")
        verbose_name_plural = _("common rooms")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["residence", "name"], name="room_name_per_residence")
        ]

    def __str__(self) -> str:
        return self.name


class Booking(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for an answer")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    room = models.ForeignKey(CommonRoom, on_delete=models.CASCADE, related_name="bookings")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="room_bookings"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    purpose = models.CharField(_("what for"), max_length=PURPOSE_MAX_LENGTH)
    public = models.BooleanField(_("open to all neighbours"), default=False)
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.REQUESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=REASON_MAX_LENGTH, blank=True)
    # The event an approved public booking became (kept if the event post is deleted: null).
    event = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after"
            )
        ]
        indexes = [models.Index(fields=["room", "status", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.room_id} {self.starts_at:%Y-%m-%d %H:%M} {self.status}"


class BookingSlot(models.Model):
    """A 30-minute slot of a room held by an approved booking: the unique constraint is what
    makes a double booking impossible."""

    room = models.ForeignKey(CommonRoom, on_delete=models.CASCADE, related_name="+")
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "starts_at"], name="one_booking_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.room_id} {self.starts_at:%Y-%m-%d %H:%M}"
