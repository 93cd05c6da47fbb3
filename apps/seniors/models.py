"""Senior support: help requests, volunteers (voisins solidaires), recorded consent, check-ins.
Workflows live in ``actions.py``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.messaging.models import Conversation
from apps.residences.models import Residence

DETAILS_MAX_LENGTH = 2000
WHEN_MAX_LENGTH = 200


class Kind(models.TextChoices):
    SHOPPING = "shopping", _("Shopping")
    VISIT = "visit", _("A friendly visit")
    CALL = "call", _("A phone call")
    APPOINTMENT = "appointment", _("Going with me to an appointment")
    PAPERWORK = "paperwork", _("Paperwork and computers")
    DIY = "diy", _("Small repairs")


class Contact(models.TextChoices):
    PHONE = "phone", _("Call me on the phone")
    MESSAGE = "message", _("Send me a message on Voisinage")


class Status(models.TextChoices):
    OPEN = "open", _("Waiting for a volunteer")
    TAKEN = "taken", _("A volunteer is coming")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ConsentHow(models.TextChoices):
    ORAL = "oral", _("Orally, in person")
    WRITTEN = "written", _("In writing")
    PHONE = "phone", _("On the phone")


class HelpRequest(models.Model):
    residence = models.ForeignKey(Residence, on_delete=models.CASCADE, related_name="help_requests")
    senior = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="help_requests"
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="help_requests_posted"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    when_text = models.CharField(_("when"), max_length=WHEN_MAX_LENGTH)
    when_date = models.DateField(_("date"), null=True, blank=True)
    details = models.TextField(_("details"), max_length=DETAILS_MAX_LENGTH, blank=True)
    contact = models.CharField(_("contact preference"), max_length=10, choices=Contact.choices)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_requests_taken",
    )
    conversation = models.ForeignKey(
        Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    taken_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    thanks_text = models.CharField(_("thank you message"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["residence", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} ({self.pk})"


class Volunteer(models.Model):
    residence = models.ForeignKey(Residence, on_delete=models.CASCADE, related_name="volunteers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteering"
    )
    skills = models.JSONField(_("skills"), default=list)  # a list of Kind values
    availability = models.CharField(_("availability"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        constraints = [
            models.UniqueConstraint(fields=["residence", "user"], name="unique_volunteer")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.residence_id}"


class Consent(models.Model):
    """A senior agreed that someone posts help requests on their behalf."""

    residence = models.ForeignKey(Residence, on_delete=models.CASCADE, related_name="+")
    senior = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents_given"
    )
    given_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents_received"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    how = models.CharField(_("how"), max_length=10, choices=ConsentHow.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.senior_id} → {self.given_to_id}"


class CheckInPlan(models.Model):
    """ "Ça va ?": a senior presses one button each day; if nothing comes by ``deadline``, their
    contact neighbour (and the co-animators, if they chose so) are told."""

    residence = models.ForeignKey(Residence, on_delete=models.CASCADE, related_name="+")
    senior = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkin_plans"
    )
    deadline = models.TimeField(_("check in before"))
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkin_contacts"
    )
    notify_moderators = models.BooleanField(_("also tell the co-animators"), default=False)
    active = models.BooleanField(_("active"), default=True)
    last_check_in_at = models.DateTimeField(null=True, blank=True)
    last_alert_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("check-in plan")
        verbose_name_plural = _("check-in plans")
        constraints = [
            models.UniqueConstraint(fields=["residence", "senior"], name="unique_checkin_plan")
        ]

    def __str__(self) -> str:
        return f"{self.senior_id} @ {self.residence_id}"
