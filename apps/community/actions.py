"""Writes of residence life: check, save with explicit fields, publish on commit, notify.
Refusals: ValidationError with a code (→ 400), PermissionDenied with the reason (→ 403)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.community import access
from apps.community.models import (
    BODY_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Audience,
    Comment,
    Initiative,
    Kind,
    Notice,
    NoticeRead,
    Post,
    Reaction,
)
from apps.moderation import actions as moderation
from apps.moderation import registry
from apps.notifications import actions as notifications
from apps.realtime import groups
from apps.realtime.events import publish_on_commit
from apps.residences import access as residence_access
from apps.residences.models import Entrance, Membership, Residence, Role
from apps.residences.models import Status as MembershipStatus

MAX_NOTICE_DAYS = 366


def post_data(post: Post) -> dict[str, Any]:
    """What live events say about a post: ids and kind, no text (partners' and other
    residences' sockets never get content through an event)."""
    return {"id": post.pk, "residence_id": post.residence_id, "kind": post.kind}


def _residence_ids(post: Post) -> list[int]:
    """The residences whose feed shows the post."""
    if post.audience != Audience.CITY:
        return [post.residence_id]
    home = Residence.objects.values("landlord_id", "city").get(pk=post.residence_id)
    return list(
        Residence.objects.filter(landlord_id=home["landlord_id"], city=home["city"]).values_list(
            "pk", flat=True
        )
    )


def publish(post: Post, event_type: str) -> None:
    """``post.created`` / ``post.updated`` to the members of every residence that shows it; a
    held or hidden post: to its author only."""
    if post.moderation:
        if post.author_id:
            publish_on_commit(groups.user(post.author_id), event_type, post_data(post))
        return
    names = [groups.members(rid) for rid in _residence_ids(post)]
    publish_on_commit(names, event_type, post_data(post))


def publish_on_commit_to_all(post: Post, event_type: str) -> None:
    """An event every member's page needs even when the post is no longer visible (it was just
    hidden: their feeds must drop it). Ids only."""
    names = [groups.members(rid) for rid in _residence_ids(post)]
    publish_on_commit(names, event_type, post_data(post))


def post_url(post: Post) -> str:
    return reverse("community:post", args=[post.pk])


def signature(actor: Any, here: residence_access.ResidenceAccess) -> tuple[Any, str]:
    """Who a post is signed by: the landlord for its staff, the partner organisation for a
    partner, nobody extra for co-animators."""
    if here.role == Role.STAFF:
        return None, here.residence.landlord.name
    if here.role == Role.PARTNER:
        organisation = actor.partner_organisations.filter(
            accreditations__residence_id=here.residence.pk
        ).first()
        return organisation, organisation.name if organisation else ""
    return None, ""


def clean_text(title: str, body: str) -> tuple[str, str]:
    title = " ".join((title or "").split())
    body = (body or "").replace("\r\n", "\n").strip()
    if not title:
        raise ValidationError(_("Give a title."), code="title")
    if len(title) > TITLE_MAX_LENGTH:
        raise ValidationError(
            _("The title is too long (%(max)d characters at most).") % {"max": TITLE_MAX_LENGTH},
            code="too_long",
        )
    if len(body) > BODY_MAX_LENGTH:
        raise ValidationError(
            _("The text is too long (%(max)d characters at most).") % {"max": BODY_MAX_LENGTH},
            code="too_long",
        )
    return title, body


def _member_ids(residence_ids: list[int]) -> list[int]:
    return list(
        Membership.objects.filter(
            residence_id__in=residence_ids, status=MembershipStatus.ACTIVE
        ).values_list("user_id", flat=True)
    )


@transaction.atomic
def publish_post(
    actor: Any,
    residence: Residence,
    *,
    kind: str,
    title: str,
    body: str = "",
    audience: str = Audience.RESIDENCE,
    category: str = "",
    urgency: str = Notice.Urgency.INFO,
    valid_from: datetime.datetime | None = None,
    valid_until: datetime.datetime | None = None,
    entrance_ids: list[int] | None = None,
) -> Post:
    """A notice (landlord staff) or news (co-animators, staff, accredited partners). An urgent
    notice is pinned until it expires and notifies every member at once."""
    here = residence_access.access_residence(actor, residence.pk)
    access.check_may_post(here, kind)
    if kind not in (Kind.NOTICE, Kind.NEWS, Kind.INITIATIVE):
        raise ValidationError(_("This kind of post has its own form."), code="kind")
    title, body = clean_text(title, body)
    if audience not in Audience.values:
        raise ValidationError(_("Choose who sees it."), code="audience")
    if kind in (Kind.NOTICE, Kind.INITIATIVE) and audience != Audience.RESIDENCE:
        raise ValidationError(_("A notice concerns one residence."), code="audience")
    now = timezone.now()
    entrances: list[Entrance] = []
    if kind == Kind.NOTICE:
        if category not in Notice.Category.values:
            raise ValidationError(_("Choose a category."), code="category")
        if urgency not in Notice.Urgency.values:
            raise ValidationError(_("Choose how urgent it is."), code="urgency")
        valid_from = valid_from or now
        if valid_until is None or valid_until <= max(valid_from, now):
            raise ValidationError(_("Say until when the notice is valid."), code="valid_until")
        if valid_until > now + datetime.timedelta(days=MAX_NOTICE_DAYS):
            raise ValidationError(_("A notice is valid one year at most."), code="valid_until")
        wanted = sorted(set(entrance_ids or []))
        entrances = list(Entrance.objects.filter(residence=residence, pk__in=wanted))
        if len(entrances) != len(wanted):
            raise ValidationError(_("Choose entrances of this residence."), code="entrances")
    held = moderation.screen(actor, residence.pk, f"{title}\n{body}")
    organisation, signed_as = signature(actor, here)
    post = Post.objects.create(
        residence=residence,
        kind=kind,
        author=actor,
        organisation=organisation,
        signed_as=signed_as,
        audience=audience,
        title=title,
        body=body,
        moderation=registry.HELD if held else registry.VISIBLE,
        pinned_until=valid_until
        if kind == Kind.NOTICE and urgency == Notice.Urgency.URGENT
        else None,
    )
    if kind == Kind.NOTICE:
        assert valid_from is not None and valid_until is not None
        notice = Notice.objects.create(
            post=post,
            category=category,
            urgency=urgency,
            valid_from=valid_from,
            valid_until=valid_until,
        )
        notice.entrances.set(entrances)
    if kind == Kind.INITIATIVE:
        Initiative.objects.create(post=post)
    if held:
        moderation.record_held("post", post.pk, residence.pk, actor.pk, held)
        publish(post, "post.created")
        return post
    announce(post)
    return post


def announce(post: Post) -> None:
    """A visible post reaches the feeds live; an urgent notice notifies every member at once
    (whatever their email setting for news: it is emailed unless they turned news off), an
    important one and news go to the members' news (daily digest by default)."""
    publish(post, "post.created")
    urgency = post.notice.urgency if post.kind == Kind.NOTICE else ""
    if post.kind == Kind.NOTICE and urgency == Notice.Urgency.INFO:
        return
    recipients = [uid for uid in _member_ids(_residence_ids(post)) if uid != post.author_id]
    notifications.notify(
        recipients,
        kind="news",
        title=(_("Urgent notice: %(title)s") if urgency == Notice.Urgency.URGENT else "%(title)s")
        % {"title": post.title},
        body=post.body,
        url=post_url(post),
        direct=urgency == Notice.Urgency.URGENT,
        source=f"post:{post.pk}",
    )


@transaction.atomic
def edit_post(actor: Any, post: Post, *, title: str | None = None, body: str | None = None) -> Post:
    """Its author corrects a post (a new forbidden word holds it again)."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.author_id != actor.pk:
        raise PermissionDenied
    if (
        not residence_access.is_member(actor, post.residence_id)
        and residence_access.role_in(actor, post.residence_id) != Role.PARTNER
    ):
        raise PermissionDenied
    new_title, new_body = clean_text(
        post.title if title is None else title, post.body if body is None else body
    )
    held = moderation.screen(actor, post.residence_id, f"{new_title}\n{new_body}")
    post.title, post.body = new_title, new_body
    fields = ["title", "body", "updated_at"]
    newly_held = bool(held) and post.moderation == registry.VISIBLE
    if newly_held:
        post.moderation = registry.HELD
        fields.append("moderation")
        moderation.record_held("post", post.pk, post.residence_id, actor.pk, held)
        notifications.withdraw([f"post:{post.pk}"])  # announced again if approved
    post.save(update_fields=fields)
    if newly_held:
        publish_on_commit_to_all(post, "post.updated")  # members' feeds drop it live
    else:
        publish(post, "post.updated")
    return post


@transaction.atomic
def delete_post(actor: Any, post: Post) -> None:
    """Its author removes a post (moderators hide instead: that is logged)."""
    if post.author_id != actor.pk:
        raise PermissionDenied
    data = post_data(post)
    names = [groups.members(rid) for rid in _residence_ids(post)]
    notifications.withdraw([f"post:{post.pk}"])
    post.delete()
    publish_on_commit(names, "post.deleted", data)


@transaction.atomic
def add_comment(actor: Any, post: Post, body: str) -> Comment:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise ValidationError(_("Write a comment."), code="empty")
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            _("The comment is too long (%(max)d characters at most).")
            % {"max": COMMENT_MAX_LENGTH},
            code="too_long",
        )
    if not residence_access.is_member(actor, post.residence_id) and post.audience != Audience.CITY:
        raise PermissionDenied
    held = moderation.screen(actor, post.residence_id, body)
    comment = Comment.objects.create(
        post=post,
        author=actor,
        body=body,
        moderation=registry.HELD if held else registry.VISIBLE,
    )
    if held:
        moderation.record_held("comment", comment.pk, post.residence_id, actor.pk, held)
        publish_on_commit(groups.user(actor.pk), "post.updated", post_data(post))
        return comment
    announce_comment(comment, post)
    return comment


def announce_comment(comment: Comment, post: Post) -> None:
    publish(post, "post.updated")
    if post.author_id and post.author_id != comment.author_id:
        notifications.notify(
            [post.author_id],
            kind="news",
            title=_("%(name)s commented on “%(title)s”")
            % {"name": comment.author.display_name if comment.author else "", "title": post.title},
            body=comment.body,
            url=post_url(post) + f"#comment-{comment.pk}",
            source=f"comment:{comment.pk}",
        )


@transaction.atomic
def set_post_moderation(post_id: int, state: str) -> None:
    """Moderation hides, holds or shows a post (``registry.Moderatable.set_state``). Hidden or
    held: its notifications are withdrawn and open pages update; approved (held → visible):
    announced as if just published; restored: pages update."""
    post = Post.objects.select_for_update(of=("self",)).select_related("notice").get(pk=post_id)
    before = post.moderation
    post.moderation = state
    post.save(update_fields=["moderation", "updated_at"])
    if state != registry.VISIBLE:
        notifications.withdraw([f"post:{post_id}"])
        publish_on_commit_to_all(post, "post.updated")
    elif before == registry.HELD:
        announce(post)
    else:
        publish(post, "post.updated")


@transaction.atomic
def set_comment_moderation(comment_id: int, state: str) -> None:
    """The same for a comment: approved, it is announced as if just written."""
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("post", "author")
        .get(pk=comment_id)
    )
    before = comment.moderation
    comment.moderation = state
    comment.save(update_fields=["moderation"])
    if state != registry.VISIBLE:
        notifications.withdraw([f"comment:{comment_id}"])
        publish(comment.post, "post.updated")
    elif before == registry.HELD:
        announce_comment(comment, comment.post)
    else:
        publish(comment.post, "post.updated")


@transaction.atomic
def react(actor: Any, post: Post, kind: str) -> bool:
    """Toggles a reaction ("merci", "je participe", "bonne idée"); returns whether it is on."""
    if kind not in Reaction.Kind.values:
        raise ValidationError(_("Choose a reaction."), code="kind")
    moderation.screen(actor, post.residence_id, "")
    existing = Reaction.objects.filter(post=post, user=actor, kind=kind)
    if existing.exists():
        existing.delete()
        on = False
    else:
        try:
            with transaction.atomic():
                Reaction.objects.create(post=post, user=actor, kind=kind)
        except IntegrityError:
            pass  # the same reaction from another tab at the same moment: already on
        on = True
    publish(post, "post.updated")
    return on


def mark_read(user: Any, post: Post) -> None:
    """A member opened a notice: counted once ("Lu" for staff)."""
    if post.kind == Kind.NOTICE and post.author_id != user.pk:
        NoticeRead.objects.get_or_create(post=post, user=user)
