"""Who may see and do what with events (DESIGN.md §4). Not visible → 404, visible but not
allowed → 403 with the reason.

- An event is a post: whoever sees the post sees the event (``community.access.access_post``);
  its ``.ics`` too.
- Say "I'm coming": members of the residence (residents, co-animators, staff), not partners.
- Cancel it: its author, or a moderator of its residence (co-animators, staff).
- The list of who comes: its author and the moderators.
- The calendar feed: whoever holds the unguessable token (no session: calendar apps fetch it).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.community import access as community_access
from apps.community.models import Kind
from apps.events.models import CalendarToken


def access_event(user: Any, post_id: int) -> community_access.PostAccess:
    """An event post, for whoever may see it (anything else: 404)."""
    pa = community_access.access_post(user, post_id)
    if pa.post.kind != Kind.EVENT:
        raise Http404
    return pa


def access_rsvp(user: Any, post_id: int) -> community_access.PostAccess:
    pa = access_event(user, post_id)
    if not pa.here.is_member:
        raise PermissionDenied(_("Only members of the residence sign up for its events."))
    return pa


def may_cancel(pa: community_access.PostAccess) -> bool:
    return pa.is_author or pa.here.can_moderate


def sees_attendees(pa: community_access.PostAccess) -> bool:
    return may_cancel(pa)


def access_cancel(user: Any, post_id: int) -> community_access.PostAccess:
    pa = access_event(user, post_id)
    if not may_cancel(pa):
        raise PermissionDenied(_("Only its organiser or a moderator cancels an event."))
    return pa


def user_of_calendar(token: str) -> User:
    """The person whose calendar feed this token opens (unknown or renewed token: 404)."""
    row = (
        CalendarToken.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
        if token
        else None
    )
    if row is None:
        raise Http404
    return row.user
