"""Members' profiles (bio, skills, languages) are moderatable too. Accounts and residences sit
below moderation, so moderation registers their adapter itself; the target id is the
membership id (a profile as shown in one residence)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.moderation import registry
from apps.residences import access as residence_access
from apps.residences import actions as residence_actions
from apps.residences.models import Membership, Status


def _target(m: Membership) -> registry.Target:
    user = m.user
    parts = [user.bio, user.skills, user.languages]
    return registry.Target(
        type="profile",
        id=m.pk,
        residence_id=m.residence_id,
        author_id=m.user_id,
        author_name=user.display_name,
        excerpt="\n".join(p for p in parts if p) or user.display_name,
        url=reverse("residences:member", args=[m.residence_id, m.user_id]),
        state=registry.HIDDEN if m.profile_hidden else registry.VISIBLE,
    )


def find(user: Any, membership_id: int) -> registry.Target:
    membership = (
        Membership.objects.select_related("user")
        .filter(pk=membership_id, status=Status.ACTIVE)
        .first()
    )
    if membership is None or not residence_access.is_member(user, membership.residence_id):
        raise Http404
    return _target(membership)


def load(ids: Iterable[int]) -> dict[int, registry.Target]:
    rows = Membership.objects.select_related("user").filter(pk__in=list(ids))
    return {m.pk: _target(m) for m in rows}


def set_state(membership_id: int, state: str) -> None:
    residence_actions.set_profile_hidden(membership_id, state != registry.VISIBLE)


def register() -> None:
    registry.register(
        registry.Moderatable(
            type="profile", label=_("Profile"), find=find, load=load, set_state=set_state
        )
    )
