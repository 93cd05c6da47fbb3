"""Senior support: help requests, volunteers (voisins solidaires), recorded consent, check-ins.
Workflows live in ``actions.py``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
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


class ConsentScope(models.TextChoices):
    REQUEST = "request", _("For one request")
    AIDANT = "aidant", _("As their registered helper")


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
    # Moderation state ("", "held", "hidden"): see apps/moderation/registry.py.
    moderation = models.CharField(max_length=8, blank=True, default="")
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
    # "request": recorded with one request posted on behalf by a moderator; "aidant": a
    # standing consent, registered by a moderator, that lets ``given_to`` act for the senior.
    scope = models.CharField(
        _("scope"), max_length=10, choices=ConsentScope.choices, default=ConsentScope.REQUEST
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

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


class CheckIn(models.Model):
    """One "Ça va !" in one residence: the plans keep only the last one, the indicators count
    them all."""

    residence = models.ForeignKey(Residence, on_delete=models.CASCADE, related_name="+")
    senior = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_ins"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        indexes = [models.Index(fields=["residence", "at"])]

    def __str__(self) -> str:
        return f"{self.senior_id} @ {self.residence_id} {self.at:%Y-%m-%d %H:%M}"


class VisitKind(models.TextChoices):
    CALL = "call", _("A friendly phone call")
    VISIT = "visit", _("A friendly visit")


class Every(models.IntegerChoices):
    WEEK = 7, _("Every week")
    TWO_WEEKS = 14, _("Every two weeks")
    MONTH = 30, _("Every month")


class RegularVisit(models.Model):
    """A volunteer and a senior agreed on a call or a visit that comes back regularly. ``next_on``
    is the next date; it moves on when one of them marks the visit done, or when the daily
    command records it as missed."""

    residence = models.ForeignKey(Residence, on_delete=models.CASCADE, related_name="+")
    help_request = models.ForeignKey(
        HelpRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="regular_visits"
    )
    senior = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="regular_visits"
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="regular_visits_given"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=VisitKind.choices)
    every_days = models.PositiveSmallIntegerField(_("how often"), choices=Every.choices)
    next_on = models.DateField(_("next date"))
    time = models.TimeField(_("at about"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("regular visit")
        verbose_name_plural = _("regular visits")
        indexes = [models.Index(fields=["active", "next_on"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.senior_id} ← {self.volunteer_id}"


class OccurrenceStatus(models.TextChoices):
    DONE = "done", _("Done")
    MISSED = "missed", _("Missed")


class VisitOccurrence(models.Model):
    """One date of a regular visit: done (marked by the senior or the volunteer) or missed
    (recorded by ``manage.py flag_missed_visits``)."""

    plan = models.ForeignKey(RegularVisit, on_delete=models.CASCADE, related_name="occurrences")
    due_on = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=10, choices=OccurrenceStatus.choices)
    recorded_at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("visit date")
        verbose_name_plural = _("visit dates")
        ordering = ["-due_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "due_on"], name="unique_visit_occurrence")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.due_on} {self.status}"


# --- heatwave plan (plan canicule) ------------------------------------------------------------

PHONE_MAX_LENGTH = 30
NOTE_MAX_LENGTH = 200


class HeatwaveRegistration(models.Model):
    """A senior on the residence's heatwave register (registre canicule): in heatwave mode they
    check in every day, and a volunteer calls them when they have not. ``active`` False: they
    left the register (the row is kept and comes back if they join again)."""

    residence = models.ForeignKey(Residence, on_delete=models.CASCADE, related_name="+")
    senior = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="heatwave_registrations"
    )
    phone = models.CharField(_("phone number for the call"), max_length=PHONE_MAX_LENGTH)
    note = models.CharField(_("note for the caller"), max_length=NOTE_MAX_LENGTH, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    active = models.BooleanField(_("active"), default=True)
    last_check_in_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("heatwave register entry")
        verbose_name_plural = _("heatwave register")
        constraints = [
            models.UniqueConstraint(
                fields=["residence", "senior"], name="unique_heatwave_registration"
            )
        ]

    def __str__(self) -> str:
        return f"{self.senior_id} @ {self.residence_id}"


class Heatwave(models.Model):
    """A residence in heatwave mode, from ``started_at`` until ``ended_at`` (None: now).
    At most one active per residence."""

    residence = models.ForeignKey(Residence, on_delete=models.CASCADE, related_name="heatwaves")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("heatwave plan")
        verbose_name_plural = _("heatwave plans")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["residence"],
                condition=models.Q(ended_at__isnull=True),
                name="one_active_heatwave_per_residence",
            )
        ]

    def __str__(self) -> str:
        return f"{self.residence_id} {self.started_at:%Y-%m-%d}"


class CallOutcome(models.TextChoices):
    OK = "ok", _("Called, all right")
    NO_ANSWER = "no_answer", _("No answer")


class HeatwaveCall(models.Model):
    """One line of a day's call list: a registered senior and the volunteer who calls them."""

    residence = models.ForeignKey(Residence, on_delete=models.CASCADE, related_name="+")
    heatwave = models.ForeignKey(Heatwave, on_delete=models.CASCADE, related_name="calls")
    registration = models.ForeignKey(
        HeatwaveRegistration, on_delete=models.CASCADE, related_name="calls"
    )
    day = models.DateField(_("day"))
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="heatwave_calls",
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=CallOutcome.choices, blank=True)
    note = models.CharField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    called_at = models.DateTimeField(null=True, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("heatwave call")
        verbose_name_plural = _("heatwave calls")
        indexes = [models.Index(fields=["residence", "day"])]
        constraints = [
            models.UniqueConstraint(fields=["registration", "day"], name="unique_heatwave_call")
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} {self.day} {self.outcome or '-'}"
