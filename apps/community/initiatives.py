"""Writes of initiatives: resident-led actions from the idea to what came of it, with photos,
the "je participe" list (the ``join`` reactions), a team conversation made on demand and an
outcome report."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.community import actions
from apps.community.models import BODY_MAX_LENGTH, Initiative, Kind, Post, PostImage, Reaction
from apps.messaging import actions as messaging
from apps.messaging.models import Conversation
from apps.notifications import actions as notifications
from apps.residences import access as residence_access
from apps.residences.models import Residence
from apps.uploads import actions as uploads
from apps.uploads.images import ProcessedImage

MAX_PHOTOS = 6


def _add_photos(actor: Any, post: Post, photos: Sequence[ProcessedImage], *, outcome: bool) -> None:
    if PostImage.objects.filter(post=post).count() + len(photos) > MAX_PHOTOS * 2:
        raise ValidationError(_("Too many photos on this post."), code="too_many_photos")
    for photo in photos:
        image = uploads.store_image(actor, photo)
        PostImage.objects.create(post=post, image=image, outcome=outcome)


@transaction.atomic
def publish_initiative(
    actor: Any,
    residence: Residence,
    *,
    title: str,
    body: str = "",
    photos: Sequence[ProcessedImage] = (),
) -> Post:
    """A member proposes an initiative (an idea first); optional photos."""
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(
            _("%(max)d photos at most.") % {"max": MAX_PHOTOS}, code="too_many_photos"
        )
    post = actions.publish_post(actor, residence, kind=Kind.INITIATIVE, title=title, body=body)
    _add_photos(actor, post, photos, outcome=False)
    return post


def _locked(post: Post) -> Initiative:
    return Initiative.objects.select_for_update().get(post_id=post.pk)


def _check_lead(actor: Any, post: Post) -> None:
    """Its author and the moderators steer an initiative."""
    role = residence_access.role_in(actor, post.residence_id)
    if post.author_id != actor.pk and role not in residence_access.MODERATOR_ROLES:
        raise PermissionDenied(_("Only who leads the initiative, or a co-animator, can do this."))


@transaction.atomic
def set_status(actor: Any, post: Post, status: str) -> Initiative:
    """Idea → being prepared → under way (and back); "carried out" comes with its report."""
    initiative = _locked(post)
    _check_lead(actor, post)
    if status not in (
        Initiative.Status.IDEA,
        Initiative.Status.PREPARING,
        Initiative.Status.ONGOING,
    ):
        raise ValidationError(
            _("Choose a step; an initiative is carried out with its report."), code="status"
        )
    if initiative.status == Initiative.Status.DONE:
        raise ValidationError(_("This initiative is already carried out."), code="done")
    initiative.status = status
    initiative.save(update_fields=["status"])
    actions.publish(post, "post.updated")
    return initiative


def participant_ids(post: Post) -> list[int]:
    """Who said "je participe", first come first (one query)."""
    return list(
        Reaction.objects.filter(post=post, kind=Reaction.Kind.JOIN)
        .order_by("created_at", "pk")
        .values_list("user_id", flat=True)
    )


@transaction.atomic
def team(actor: Any, post: Post) -> Conversation:
    """The initiative's team conversation, made on demand by its leader or a participant with
    everyone taking part; later participants are added when they open it."""
    initiative = _locked(post)
    members = [pid for pid in [post.author_id, *participant_ids(post)] if pid is not None]
    if actor.pk not in members:
        raise PermissionDenied(_("Say “Je participe” to join the team."))
    if initiative.team_id is not None:
        conversation = Conversation.objects.select_related("residence").get(pk=initiative.team_id)
        messaging.add_to_group(conversation, [actor.pk])
        return conversation
    others = [uid for uid in members if uid != actor.pk]
    if len(others) < 2:
        raise ValidationError(
            _("A team conversation needs at least two other people taking part."),
            code="too_few",
        )
    residence = Residence.objects.get(pk=post.residence_id)
    conversation = messaging.start_group(actor, residence, others, title=post.title)
    initiative.team = conversation
    initiative.save(update_fields=["team"])
    return conversation


@transaction.atomic
def report_outcome(
    actor: Any, post: Post, outcome: str, photos: Sequence[ProcessedImage] = ()
) -> Initiative:
    """What came of it, with photos: the initiative is carried out, the participants are told
    and the residence page shows it."""
    initiative = _locked(post)
    _check_lead(actor, post)
    if initiative.status == Initiative.Status.DONE:
        raise ValidationError(_("This initiative is already carried out."), code="done")
    outcome = (outcome or "").replace("\r\n", "\n").strip()
    if not outcome:
        raise ValidationError(_("Tell the residence what came of it."), code="outcome")
    if len(outcome) > BODY_MAX_LENGTH:
        raise ValidationError(_("This text is too long."), code="too_long")
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(
            _("%(max)d photos at most.") % {"max": MAX_PHOTOS}, code="too_many_photos"
        )
    _add_photos(actor, post, photos, outcome=True)
    initiative.status = Initiative.Status.DONE
    initiative.outcome = outcome
    initiative.done_at = timezone.now()
    initiative.save(update_fields=["status", "outcome", "done_at"])
    notifications.notify(
        [uid for uid in participant_ids(post) if uid != actor.pk],
        kind="news",
        title=_("“%(title)s” is carried out: thank you!") % {"title": post.title},
        body=outcome,
        url=actions.post_url(post),
        source=f"post:{post.pk}",
    )
    actions.publish(post, "post.updated")
    return initiative
