"""Polls (sondages): a post of kind "poll" with its answers and the members' ballots.

One ballot per member per poll is enforced by the database (``Ballot`` unique on poll and
user); a ballot holds one vote per answer chosen (one for a single-choice poll). Workflows live
in ``actions.py``."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.community.models import Post

CHOICE_MAX_LENGTH = 100
MIN_CHOICES = 2
MAX_CHOICES = 10
MAX_DAYS_OPEN = 90


class Poll(models.Model):
    post = models.OneToOneField(Post, on_delete=models.CASCADE, primary_key=True)
    multiple = models.BooleanField(_("several answers allowed"), default=False)
    closes_at = models.DateTimeField(_("closes at"))
    # Anonymous by default: nobody, moderators included, is shown who voted what.
    anonymous = models.BooleanField(_("anonymous"), default=True)
    # Closed early by its author or a moderator.
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")

    def __str__(self) -> str:
        return str(self.post_id)

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        return self.closed_at is None and self.closes_at > (now or timezone.now())

    @property
    def ended_at(self) -> datetime.datetime:
        """When votes stopped (or will stop)."""
        if self.closed_at is not None and self.closed_at < self.closes_at:
            return self.closed_at
        return self.closes_at


class Choice(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="choices")
    label = models.CharField(_("answer"), max_length=CHOICE_MAX_LENGTH)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "position"], name="poll_choice_position")
        ]

    def __str__(self) -> str:
        return self.label


class Ballot(models.Model):
    """That a member voted in a poll: once."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "user"], name="one_ballot_each")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.poll_id}"


class Vote(models.Model):
    """One answer chosen on a ballot."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="votes")
    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, related_name="votes")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "choice"], name="one_vote_per_choice")
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id}: {self.choice_id}"
