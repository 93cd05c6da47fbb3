"""Who may see and do what with residence life. Not visible → 404, visible but not allowed → 403
(with the reason). DESIGN.md §4:

- The feed: members see everything visible; an accredited partner sees its own posts and the
  residence's events.
- Landlord notices: landlord staff only. News: co-animators, staff and accredited partners.
- Comments and reactions: members (not partners).
- A post held or hidden by moderation: only its author sees it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from apps.community.models import Audience, Kind, Post
from apps.residences import access as residence_access
from apps.residences.models import Residence, Role

WHO_POSTS = {
    Kind.NOTICE: frozenset({Role.STAFF}),
    Kind.NEWS: frozenset({Role.CO_ANIMATOR, Role.STAFF, Role.PARTNER}),
    Kind.INITIATIVE: frozenset({Role.RESIDENT, Role.CO_ANIMATOR, Role.STAFF}),
    Kind.EVENT: frozenset({Role.CO_ANIMATOR, Role.STAFF, Role.PARTNER}),
    Kind.POLL: frozenset({Role.CO_ANIMATOR, Role.STAFF}),
}


def access_feed(user: Any, residence_id: int) -> residence_access.ResidenceAccess:
    return residence_access.access_residence(user, residence_id)


def check_may_post(here: residence_access.ResidenceAccess, kind: str) -> None:
    """403 with the reason when this role may not publish this kind; an unknown kind is bad
    input (400), not a refusal."""
    if kind not in WHO_POSTS:
        raise ValidationError(
            _("This kind of post does not exist: notice, news, initiative, event or poll."),
            code="kind",
        )
    if here.role not in WHO_POSTS[Kind(kind)]:
        if kind == Kind.NOTICE:
            raise PermissionDenied(_("Only the landlord's staff publish official notices."))
        if kind == Kind.INITIATIVE:
            raise PermissionDenied(_("Initiatives are led by members of the residence."))
        if kind == Kind.POLL:
            raise PermissionDenied(_("Polls are run by the co-animators and the landlord."))
        if kind == Kind.EVENT:
            raise PermissionDenied(
                _("Events are published by the co-animators, the landlord and partners.")
            )
        raise PermissionDenied(
            _("News is published by the co-animators, the landlord and partner associations.")
        )


def may_post(here: residence_access.ResidenceAccess, kind: str) -> bool:
    try:
        check_may_post(here, kind)
    except (PermissionDenied, ValidationError):
        return False
    return True


def access_post_form(user: Any, residence_id: int, kind: str) -> residence_access.ResidenceAccess:
    here = residence_access.access_residence(user, residence_id)
    if kind not in WHO_POSTS:
        raise Http404  # no form for a kind that does not exist
    check_may_post(here, kind)
    return here


@dataclass(frozen=True)
class PostAccess:
    post: Post
    here: residence_access.ResidenceAccess  # the residence it is seen from
    user_id: int

    @property
    def is_author(self) -> bool:
        return self.post.author_id == self.user_id

    @property
    def can_interact(self) -> bool:
        """Comment and react: members only."""
        return self.here.is_member and not self.post.moderation

    @property
    def may_steer(self) -> bool:
        """Move an initiative through its stages: its leader and the residence's moderators."""
        return self.is_author or self.here.can_moderate

    @property
    def sees_read_count(self) -> bool:
        """How many read a notice: the landlord's staff."""
        return self.post.kind == Kind.NOTICE and self.here.is_staff


def _seen_from(user: Any, post: Post) -> residence_access.ResidenceAccess | None:
    """The residence through which the user sees the post: its own, or, for a post addressed to
    every residence of the landlord in the city, one of the user's residences there."""
    mine = {a.residence.pk: a for a in residence_access.visible_residences(user)}
    if post.residence_id in mine:
        return mine[post.residence_id]
    if post.audience == Audience.CITY:
        home = Residence.objects.filter(pk=post.residence_id).values("landlord_id", "city").first()
        for access in mine.values():
            if home and (access.residence.landlord_id, access.residence.city) == (
                home["landlord_id"],
                home["city"],
            ):
                return access
    return None


def access_post(user: Any, post_id: int, *, for_write: bool = False) -> PostAccess:
    """A post, for whoever may see it; ``for_write``: its author only (others 403)."""
    if not user.is_authenticated:
        raise Http404
    post = (
        Post.objects.select_related("author", "organisation", "residence", "notice")
        .filter(pk=post_id)
        .first()
    )
    if post is None:
        raise Http404
    here = _seen_from(user, post)
    if here is None:
        raise Http404
    is_author = post.author_id == user.pk
    if here.role == Role.PARTNER and not is_author and post.kind != Kind.EVENT:
        raise Http404
    if post.moderation and not is_author:
        raise Http404
    pa = PostAccess(post, here, user.pk)
    if for_write and not is_author:
        raise PermissionDenied
    return pa


def access_interaction(user: Any, post_id: int) -> PostAccess:
    """Commenting and reacting: members who see the post (partners 403)."""
    pa = access_post(user, post_id)
    if not pa.here.is_member:
        raise PermissionDenied(_("Only members of the residence comment and react."))
    return pa
