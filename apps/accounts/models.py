"""People. The email address is the identity; the name shown to neighbours is "Prénom N."."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailUserManager(UserManager["User"]):
    def _create_user_object(self, username: Any, email: Any, password: Any, **extra: Any) -> Any:
        email = self.normalize_email(email or username)
        user = self.model(email=email, **extra)
        user.set_password(password)
        return user

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        user = self._create_user_object(None, email, password, **extra)
        user.save(using=self._db)
        return user

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80, blank=True)
    bio = models.TextField(_("a few words about you"), max_length=600, blank=True)
    skills = models.CharField(
        _("what you can help with"),
        max_length=300,
        blank=True,
        help_text=_("For example: DIY, computers, cooking, paperwork."),
    )
    languages = models.CharField(
        _("languages you speak"),
        max_length=200,
        blank=True,
        help_text=_("For example: French, Arabic."),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    show_phone = models.BooleanField(
        _("show my phone number to members of my residences"), default=False
    )
    is_senior = models.BooleanField(
        _("I am a senior and may ask for help"),
        default=False,
    )
    large_text = models.BooleanField(_("large text"), default=False)
    share_read_receipts = models.BooleanField(
        _('show others when I have read their messages ("seen")'), default=True
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["first_name"]

    objects: ClassVar[EmailUserManager] = EmailUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """What neighbours see: first name and initial of the last name ("Fatima B.")."""
        first = self.first_name.strip() or self.email.split("@")[0]
        last = self.last_name.strip()
        return f"{first} {last[0].upper()}." if last else first

    @property
    def visible_phone(self) -> str:
        return self.phone if self.show_phone else ""


class ApiToken(models.Model):
    """A personal token for API clients other than the browser. Only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return "vsn_" + secrets.token_urlsafe(32)


class SignIn(models.Model):
    """One sign-in (password, link or social), counted by the participation indicators."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sign_ins")
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("sign-in")
        verbose_name_plural = _("sign-ins")

    def __str__(self) -> str:
        return f"{self.user_id} {self.at:%Y-%m-%d %H:%M}"


class Visit(models.Model):
    """A person used Voisinage on a (local) day, signed in or with a remembered session: the
    indicators' "connected members per day". One row per person and day."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="visits")
    day = models.DateField(db_index=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="unique_visit")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"
