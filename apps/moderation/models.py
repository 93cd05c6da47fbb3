"""Moderation: reports grouped into cases, decisions (with the two-key rule), appeals,
sanctions, per-residence settings and an append-only audit. Workflows live in ``actions.py``;
what can be moderated is registered by the content apps (``registry.py``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.residences.models import Residence, Role

NOTE_MAX_LENGTH = 500
EXPLANATION_MAX_LENGTH = 1000


class Reason(models.TextChoices):
    DISRESPECT = "disrespect", _("Disrespectful")
    DISCRIMINATION = "discrimination", _("Discriminatory")
    SCAM = "scam", _("Scam or money")
    PERSONAL_DATA = "personal_data", _("Personal data")
    OFF_TOPIC = "off_topic", _("Off topic")
    THREAT = "threat", _("Threat")
    ILLEGAL = "illegal", _("Illegal content")
    OTHER = "other", _("Other")


# What a member can choose when reporting (the list, threats included: they matter most).
REPORT_REASONS = [
    Reason.DISRESPECT,
    Reason.DISCRIMINATION,
    Reason.SCAM,
    Reason.PERSONAL_DATA,
    Reason.THREAT,
    Reason.OFF_TOPIC,
    Reason.OTHER,
]
# Reasons for which landlord staff may apply a decision at once, before a co-animator agrees.
EMERGENCY_REASONS = frozenset({Reason.THREAT, Reason.PERSONAL_DATA, Reason.ILLEGAL})


class Origin(models.TextChoices):
    REPORTS = "reports", _("Reported by members")
    KEYWORD = "keyword", _("Held by the keyword filter")
    NEW_MEMBER = "new_member", _("First posts of a new member")
    MODERATOR = "moderator", _("Noticed by a moderator")


class Case(models.Model):
    """Everything about one reported or held item: its reports are grouped here."""

    class Status(models.TextChoices):
        OPEN = "open", _("To review")
        CLOSED = "closed", _("Reviewed")

    residence = models.ForeignKey(Residence, on_delete=models.CASCADE, related_name="+")
    target_type = models.CharField(max_length=20)
    target_id = models.PositiveBigIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    origin = models.CharField(max_length=12, choices=Origin.choices, default=Origin.REPORTS)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    auto_hidden = models.BooleanField(default=False)
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("moderation case")
        verbose_name_plural = _("moderation cases")
        constraints = [
            models.UniqueConstraint(fields=["target_type", "target_id"], name="one_case_per_item")
        ]
        indexes = [models.Index(fields=["residence", "status", "opened_at"])]

    def __str__(self) -> str:
        return f"{self.target_type}:{self.target_id}"


class Report(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "reporter"], name="one_report_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.reason} on {self.case_id}"


class Action(models.TextChoices):
    DISMISS = "dismiss", _("Dismiss the reports")
    APPROVE = "approve", _("Publish (approve)")
    HIDE = "hide", _("Hide")
    RESTORE = "restore", _("Restore")
    WARN = "warn", _("Warn the author")
    MUTE = "mute", _("Mute (can read, cannot post)")
    SUSPEND = "suspend", _("Suspend from the residence")
    REMOVE = "remove", _("Remove from the residence")


CONTENT_ACTIONS = frozenset({Action.DISMISS, Action.APPROVE, Action.HIDE, Action.RESTORE})
MEMBER_ACTIONS = frozenset({Action.WARN, Action.MUTE, Action.SUSPEND, Action.REMOVE})
TIMED_ACTIONS = frozenset({Action.MUTE, Action.SUSPEND})


class Decision(models.Model):
    """A moderation decision (``ModerationAction`` in the vocabulary). Under the two-key rule
    it may wait for a second moderator before it takes effect."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a second moderator")
        APPLIED = "applied", _("Applied")
        DECLINED = "declined", _("Declined by the second moderator")
        OVERTURNED = "overturned", _("Overturned")

    residence = models.ForeignKey(Residence, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    target_type = models.CharField(max_length=20)
    target_id = models.PositiveBigIntegerField()
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    action = models.CharField(_("decision"), max_length=10, choices=Action.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    explanation = models.TextField(_("written reason"), max_length=EXPLANATION_MAX_LENGTH)
    message = models.TextField(_("message to the author"), max_length=2000, blank=True)
    until = models.DateTimeField(_("until"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_as = models.CharField(max_length=16, choices=Role.choices)  # the decider's role then
    # The role whose agreement is awaited ("": none).
    needs = models.CharField(max_length=16, choices=Role.choices, blank=True)
    urgent = models.BooleanField(_("applied as an emergency"), default=False)
    status = models.CharField(max_length=10, choices=Status.choices)
    second_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    second_at = models.DateTimeField(null=True, blank=True)
    second_note = models.TextField(max_length=EXPLANATION_MAX_LENGTH, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["residence", "status", "created_at"]),
            models.Index(fields=["subject", "residence"]),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type}:{self.target_id}"


class Appeal(models.Model):
    """The author contests a decision, once. The other side reviews it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        UPHELD = "upheld", _("Decision upheld")
        OVERTURNED = "overturned", _("Decision overturned")

    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="appeal")
    message = models.TextField(_("your message"), max_length=EXPLANATION_MAX_LENGTH)
    # Who reviews it: the side that did not decide.
    reviewer_role = models.CharField(max_length=16, choices=Role.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(max_length=EXPLANATION_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self) -> str:
        return f"appeal of {self.decision_id}"


class Sanction(models.Model):
    """A member muted (reads, cannot post) or suspended, until a date."""

    class Kind(models.TextChoices):
        MUTE = "mute", _("Muted")
        SUSPEND = "suspend", _("Suspended")

    residence = models.ForeignKey(Residence, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    until = models.DateTimeField()
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="sanctions")
    lifted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        indexes = [models.Index(fields=["residence", "user", "until"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.user_id} until {self.until:%Y-%m-%d}"


class ResidenceSettings(models.Model):
    """What the co-animators of a residence set: the keyword filter and holding new members'
    first posts (the residence's charter is on the residence itself)."""

    residence = models.OneToOneField(
        Residence, on_delete=models.CASCADE, related_name="moderation_settings"
    )
    keywords = models.TextField(
        _("words that hold a post for review"),
        blank=True,
        help_text=_("One word or expression per line."),
    )
    hold_new_members = models.BooleanField(
        _("hold the first two posts of new members for approval"), default=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("moderation settings")
        verbose_name_plural = _("moderation settings")

    def __str__(self) -> str:
        return str(self.residence_id)


class AuditEntry(models.Model):
    """Append-only: every moderation write, who did it, and the status before and after.
    Written only by ``actions``; read-only in the admin."""

    residence = models.ForeignKey(Residence, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    verb = models.CharField(max_length=30)
    target_type = models.CharField(max_length=20, blank=True)
    target_id = models.PositiveBigIntegerField(null=True)
    before = models.CharField(max_length=20, blank=True)
    after = models.CharField(max_length=20, blank=True)
    detail = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("moderation audit entry")
        verbose_name_plural = _("moderation audit entries")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.verb} {self.target_type}:{self.target_id}"
