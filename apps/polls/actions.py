"""Writes of polls: publish one, vote once, close early. Refusals: ValidationError with a code
(→ 400) and a clear message, PermissionDenied with the reason (→ 403)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.community import access as community_access
from apps.community import actions as community
from apps.community.models import Audience, Kind, Post
from apps.moderation import actions as moderation
from apps.moderation import registry
from apps.polls.models import (
    CHOICE_MAX_LENGTH,
    MAX_CHOICES,
    MAX_DAYS_OPEN,
    MIN_CHOICES,
    Ballot,
    Choice,
    Poll,
    Vote,
)
from apps.residences import access as residence_access
from apps.residences.models import Residence


def clean_choices(choices: Iterable[str]) -> list[str]:
    """2 to 10 distinct answers, blank ones dropped, spaces tidied."""
    labels = [" ".join(str(c or "").split()) for c in choices]
    labels = [label for label in labels if label]
    if any(len(label) > CHOICE_MAX_LENGTH for label in labels):
        raise ValidationError(
            _("An answer is too long (%(max)d characters at most).") % {"max": CHOICE_MAX_LENGTH},
            code="choices",
        )
    if len({label.casefold() for label in labels}) != len(labels):
        raise ValidationError(_("Each answer must be different."), code="choices")
    if not MIN_CHOICES <= len(labels) <= MAX_CHOICES:
        raise ValidationError(
            _("Give between %(min)d and %(max)d answers.")
            % {"min": MIN_CHOICES, "max": MAX_CHOICES},
            code="choices",
        )
    return labels


def clean_closes_at(closes_at: datetime.datetime | None) -> datetime.datetime:
    if closes_at is None:
        raise ValidationError(_("Say until when members can vote."), code="closes_at")
    if timezone.is_naive(closes_at):
        closes_at = timezone.make_aware(closes_at)
    now = timezone.now()
    if closes_at <= now:
        raise ValidationError(_("The closing date must be in the future."), code="closes_at")
    if closes_at > now + datetime.timedelta(days=MAX_DAYS_OPEN):
        raise ValidationError(
            _("A poll stays open %(days)d days at most.") % {"days": MAX_DAYS_OPEN},
            code="closes_at",
        )
    return closes_at


@transaction.atomic
def publish_poll(
    actor: Any,
    residence: Residence,
    *,
    title: str,
    body: str = "",
    choices: Iterable[str],
    multiple: bool = False,
    closes_at: datetime.datetime | None,
    anonymous: bool = True,
) -> Post:
    """A poll of the co-animators or the landlord's staff, for the members of one residence.
    Held by the keyword filter like any post (its answers are screened too)."""
    here = residence_access.access_residence(actor, residence.pk)
    community_access.check_may_post(here, Kind.POLL)
    title, body = community.clean_text(title, body)
    labels = clean_choices(choices)
    closes_at = clean_closes_at(closes_at)
    held = moderation.screen(actor, residence.pk, "\n".join([title, body, *labels]))
    organisation, signed_as = community.signature(actor, here)
    post = Post.objects.create(
        residence=residence,
        kind=Kind.POLL,
        author=actor,
        organisation=organisation,
        signed_as=signed_as,
        audience=Audience.RESIDENCE,
        title=title,
        body=body,
        moderation=registry.HELD if held else registry.VISIBLE,
    )
    poll = Poll.objects.create(
        post=post, multiple=bool(multiple), closes_at=closes_at, anonymous=bool(anonymous)
    )
    Choice.objects.bulk_create(
        [Choice(poll=poll, label=label, position=i) for i, label in enumerate(labels)]
    )
    if held:
        moderation.record_held("post", post.pk, residence.pk, actor.pk, held)
        community.publish(post, "post.created")
        return post
    community.announce(post)
    return post


@transaction.atomic
def vote(actor: Any, post: Post, choice_ids: Iterable[int]) -> Ballot:
    """A member's ballot, once: one answer in a single-choice poll, one or more otherwise.
    Two tabs voting at the same moment make one ballot (the database refuses the second)."""
    if not residence_access.is_member(actor, post.residence_id):
        raise PermissionDenied(_("Only members of the residence vote."))
    poll = Poll.objects.select_for_update().filter(pk=post.pk).first()
    if poll is None:
        raise ValidationError(_("This post is not a poll."), code="not_a_poll")
    if post.moderation:
        raise ValidationError(
            _("This poll is waiting for a moderator: votes open once it is published."),
            code="held",
        )
    if not poll.is_open():
        raise ValidationError(_("This poll is closed: votes are no longer taken."), code="closed")
    wanted = sorted(set(choice_ids))
    if not wanted:
        raise ValidationError(_("Choose an answer."), code="choice")
    if not poll.multiple and len(wanted) > 1:
        raise ValidationError(_("Choose only one answer in this poll."), code="one_choice")
    found = list(Choice.objects.filter(poll=poll, pk__in=wanted).values_list("pk", flat=True))
    if len(found) != len(wanted):
        raise ValidationError(_("Choose among the answers of this poll."), code="choice")
    already = _("You have already voted in this poll.")
    if Ballot.objects.filter(poll=poll, user_id=actor.pk).exists():
        raise ValidationError(already, code="already_voted")
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(poll=poll, user=actor)
    except IntegrityError:
        # The same member from another tab at the same moment: that ballot counts.
        raise ValidationError(already, code="already_voted") from None
    Vote.objects.bulk_create([Vote(ballot=ballot, choice_id=pk) for pk in found])
    community.publish(post, "post.updated")
    return ballot


def may_close(actor: Any, post: Post) -> bool:
    """Its author or a moderator of the residence (co-animators, the landlord's staff)."""
    if post.author_id == actor.pk:
        return True
    return residence_access.role_in(actor, post.residence_id) in residence_access.MODERATOR_ROLES


@transaction.atomic
def close_poll(actor: Any, post: Post) -> Poll:
    """Closes a poll before its date: votes stop, everyone sees the results."""
    if not may_close(actor, post):
        raise PermissionDenied(_("Only its author or a moderator closes a poll."))
    poll = Poll.objects.select_for_update().filter(pk=post.pk).first()
    if poll is None:
        raise ValidationError(_("This post is not a poll."), code="not_a_poll")
    if not poll.is_open():
        raise ValidationError(_("This poll is already closed."), code="closed")
    poll.closed_at = timezone.now()
    poll.save(update_fields=["closed_at"])
    community.publish(post, "post.updated")
    return poll
