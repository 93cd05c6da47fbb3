"""Landlords, residences and who belongs to them. Workflows live in ``actions.py``."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Invitation codes avoid letters and digits that look alike (0/O, 1/I/L) when read on a flyer.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def new_invitation_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Landlord(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    # The landlord-wide charter residences start from (empty: the platform's default one).
    charter = models.TextField(_("charter"), blank=True)

    class Meta:
        verbose_name = _("landlord")
        verbose_name_plural = _("landlords")

    def __str__(self) -> str:
        return self.name


class LandlordStaff(models.Model):
    """A person working for a landlord: sees and runs every residence of that landlord."""

    landlord = models.ForeignKey(Landlord, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="landlord_roles"
    )
    job_title = models.CharField(_("job title"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("landlord staff")
        verbose_name_plural = _("landlord staff")
        constraints = [models.UniqueConstraint(fields=["landlord", "user"], name="unique_staff")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.landlord}"


class Residence(models.Model):
    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="residences")
    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=10)
    city = models.CharField(_("city"), max_length=80)
    # The residence's own version of the charter (empty: the landlord's).
    charter = models.TextField(_("charter of the residence"), blank=True)
    # Dwellings (households) the landlord declares: the base of "share of households reached".
    dwellings = models.PositiveIntegerField(_("number of dwellings"), null=True, blank=True)
    invitation_code = models.CharField(
        _("invitation code"), max_length=16, unique=True, default=new_invitation_code
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("residence")
        verbose_name_plural = _("residences")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["landlord", "name"], name="unique_residence_name")
        ]

    def __str__(self) -> str:
        return self.name


class Entrance(models.Model):
    """A stairwell or building entrance ("cage d'escalier")."""

    residence = models.ForeignKey(Residence, on_delete=models.CASCADE, related_name="entrances")
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        verbose_name = _("entrance")
        verbose_name_plural = _("entrances")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["residence", "name"], name="unique_entrance")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    CO_ANIMATOR = "co_animator", _("Co-animator")
    STAFF = "staff", _("Landlord staff")
    PARTNER = "partner", _("Partner")


class Status(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    LEFT = "left", _("Left")
    DECLINED = "declined", _("Declined")


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    residence = models.ForeignKey(Residence, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.RESIDENT)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    entrance = models.ForeignKey(
        Entrance, on_delete=models.SET_NULL, null=True, blank=True, related_name="memberships"
    )
    charter_accepted_at = models.DateTimeField(_("charter accepted at"), null=True, blank=True)
    # Hidden by moderation: the bio, skills and languages are not shown to other members.
    profile_hidden = models.BooleanField(_("profile hidden by moderation"), default=False)
    message = models.CharField(_("message to the co-animators"), max_length=300, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)  # removed from the residence
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "residence"], name="unique_membership")
        ]
        indexes = [models.Index(fields=["residence", "status"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.residence} ({self.role}, {self.status})"

    @property
    def is_active(self) -> bool:
        return self.status == Status.ACTIVE

    @property
    def is_moderator(self) -> bool:
        return self.is_active and self.role in {Role.CO_ANIMATOR, Role.STAFF}


class PartnerOrganisation(models.Model):
    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("Association")
        MERCHANT = "merchant", _("Merchant")
        PUBLIC_SERVICE = "public_service", _("Public service")

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="partner_organisations", blank=True
    )

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")

    def __str__(self) -> str:
        return self.name


class Accreditation(models.Model):
    """A partner organisation allowed to publish to a residence."""

    organisation = models.ForeignKey(
        PartnerOrganisation, on_delete=models.CASCADE, related_name="accreditations"
    )
    residence = models.ForeignKey(
        Residence, on_delete=models.CASCADE, related_name="accreditations"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "residence"], name="unique_accreditation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.residence}"


class AuditEntry(models.Model):
    """Who changed what in a residence's membership and settings: written by actions."""

    residence = models.ForeignKey(Residence, on_delete=models.CASCADE, related_name="audit")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    verb = models.CharField(max_length=40)
    detail = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.verb} @ {self.residence_id}"
