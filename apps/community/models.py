"""Residence life: one feed of posts (landlord notices, news; initiatives, events and polls
come next), with comments and reactions. Workflows live in ``actions.py``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.residences.models import Entrance, PartnerOrganisation, Residence

TITLE_MAX_LENGTH = 140
BODY_MAX_LENGTH = 5000
COMMENT_MAX_LENGTH = 2000


class Kind(models.TextChoices):
    NOTICE = "notice", _("Landlord notice")
    NEWS = "news", _("News")
    INITIATIVE = "initiative", _("Initiative")
    EVENT = "event", _("Event")
    POLL = "poll", _("Poll")


class Audience(models.TextChoices):
    RESIDENCE = "residence", _("This residence")
    CITY = "city", _("Every residence of the landlord in the same city")


class Post(models.Model):
    residence = models.ForeignKey(Residence, on_delete=models.CASCADE, related_name="posts")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="posts"
    )
    # Shown with the author: the partner organisation, or the landlord for its staff.
    organisation = models.ForeignKey(
        PartnerOrganisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed_as = models.CharField(max_length=120, blank=True)
    audience = models.CharField(
        _("who sees it"), max_length=10, choices=Audience.choices, default=Audience.RESIDENCE
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    body = models.TextField(_("text"), max_length=BODY_MAX_LENGTH, blank=True)
    # Pinned on top of the feed until then (an urgent notice: until it expires).
    pinned_until = models.DateTimeField(null=True, blank=True)
    # Moderation state ("", "held", "hidden"): see apps/moderation/registry.py.
    moderation = models.CharField(max_length=8, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["residence", "-created_at"]),
            models.Index(fields=["audience", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.title


class Notice(models.Model):
    """What only landlord staff publish: works, water cut, lift down..."""

    class Category(models.TextChoices):
        WORKS = "works", _("Works")
        WATER = "water", _("Water cut")
        LIFT = "lift", _("Lift")
        HEATING = "heating", _("Heating")
        CLEANING = "cleaning", _("Cleanliness")
        SAFETY = "safety", _("Safety")
        ADMIN = "admin", _("Administrative")

    class Urgency(models.TextChoices):
        INFO = "info", _("Information")
        IMPORTANT = "important", _("Important")
        URGENT = "urgent", _("Urgent")

    post = models.OneToOneField(Post, on_delete=models.CASCADE, primary_key=True)
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.INFO
    )
    valid_from = models.DateTimeField(_("from"))
    valid_until = models.DateTimeField(_("until"))
    entrances = models.ManyToManyField(
        Entrance, blank=True, related_name="+", verbose_name=_("entrances concerned")
    )

    class Meta:
        verbose_name = _("landlord notice")
        verbose_name_plural = _("landlord notices")
        indexes = [models.Index(fields=["valid_until"])]

    def __str__(self) -> str:
        return str(self.post_id)


class Initiative(models.Model):
    """A collective or individual action led by residents (jardin partagé, fête des voisins…),
    from the idea to what came of it."""

    class Status(models.TextChoices):
        IDEA = "idea", _("Idea")
        PREPARING = "preparing", _("Being prepared")
        ONGOING = "ongoing", _("Under way")
        DONE = "done", _("Carried out")

    post = models.OneToOneField(Post, on_delete=models.CASCADE, primary_key=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.IDEA
    )
    team = models.ForeignKey(
        "messaging.Conversation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.TextField(_("what came of it"), max_length=BODY_MAX_LENGTH, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        indexes = [models.Index(fields=["status", "done_at"])]

    def __str__(self) -> str:
        return str(self.post_id)


class PostImage(models.Model):
    """A photo of a post (through the shared upload module); ``outcome``: of what came of an
    initiative."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey("uploads.Image", on_delete=models.CASCADE, related_name="+")
    outcome = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"image {self.image_id} of {self.post_id}"


class NoticeRead(models.Model):
    """Who has read a notice ("Lu" count for staff)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="read_once")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.post_id}"


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    moderation = models.CharField(max_length=8, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["post", "created_at"])]

    def __str__(self) -> str:
        return f"{self.author_id} on {self.post_id}"


class Reaction(models.Model):
    class Kind(models.TextChoices):
        THANKS = "thanks", _("Thank you")
        JOIN = "join", _("I’m in")
        GOOD_IDEA = "idea", _("Good idea")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user", "kind"], name="one_reaction_each")
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.user_id} on {self.post_id}"
