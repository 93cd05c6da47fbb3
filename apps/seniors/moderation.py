"""Help requests are moderatable ("help_request"): registered with apps.moderation in
``SeniorsConfig.ready``. Moderators see the request's text, never the senior's phone."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.moderation import registry
from apps.seniors import access
from apps.seniors.models import HelpRequest


def _target(hr: HelpRequest) -> registry.Target:
    return registry.Target(
        type="help_request",
        id=hr.pk,
        residence_id=hr.residence_id,
        author_id=hr.posted_by_id,
        author_name=hr.posted_by.display_name,
        excerpt="\n".join(p for p in (str(hr.get_kind_display()), hr.when_text, hr.details) if p),
        url=reverse("seniors:detail", args=[hr.pk]),
        state=hr.moderation,
    )


def find(user: Any, help_request_id: int) -> registry.Target:
    return _target(access.access_help_request(user, help_request_id).help_request)


def load(ids: Iterable[int]) -> dict[int, registry.Target]:
    rows = HelpRequest.objects.select_related("posted_by").filter(pk__in=list(ids))
    return {hr.pk: _target(hr) for hr in rows}


def register() -> None:
    from apps.seniors import actions  # actions import the moderation app's registry too

    registry.register(
        registry.Moderatable(
            type="help_request",
            label=_("Help request"),
            find=find,
            load=load,
            set_state=actions.set_moderation,
        )
    )
