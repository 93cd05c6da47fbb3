"""Panels that the features above the core add to the residence page and to a member's
profile, without the residence app knowing them (DESIGN.md §3: the lower layer offers a
registry, the upper layer fills it).

A feature registers a panel in its ``AppConfig.ready()``:

    panels.register_residence_panel("exchanges", "exchanges/_residence_panel.html", build, order=20)

``build(here, viewer)`` (or ``build(here, viewer, member)`` for a profile panel) returns the
panel's template context, or ``None`` to leave the panel out for this viewer. Each builder
must use a constant number of queries: the pages assert their query counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from apps.residences.access import ResidenceAccess
from apps.residences.models import Membership

ResidenceBuilder = Callable[[ResidenceAccess, Any], dict[str, Any] | None]
ProfileBuilder = Callable[[ResidenceAccess, Any, Membership], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    """A rendered panel: its template and that template's context (``panel.data``)."""

    name: str
    template: str
    data: dict[str, Any]


@dataclass(frozen=True)
class _Registered:
    name: str
    template: str
    build: Callable[..., dict[str, Any] | None]
    order: int


_residence_panels: dict[str, _Registered] = {}
_profile_panels: dict[str, _Registered] = {}


def register_residence_panel(
    name: str, template: str, build: ResidenceBuilder, *, order: int = 50
) -> None:
    """Adds (or replaces, by name) a panel of the residence page."""
    _residence_panels[name] = _Registered(name, template, build, order)


def register_profile_panel(
    name: str, template: str, build: ProfileBuilder, *, order: int = 50
) -> None:
    """Adds (or replaces, by name) a panel of a member's profile in a residence."""
    _profile_panels[name] = _Registered(name, template, build, order)


def _render(registered: dict[str, _Registered], *args: Any) -> list[Panel]:
    panels = []
    for entry in sorted(registered.values(), key=lambda e: (e.order, e.name)):
        data = entry.build(*args)
        if data is not None:
            panels.append(Panel(entry.name, entry.template, data))
    return panels


def residence_panels(here: ResidenceAccess, viewer: Any) -> list[Panel]:
    return _render(_residence_panels, here, viewer)


def profile_panels(here: ResidenceAccess, viewer: Any, member: Membership) -> list[Panel]:
    return _render(_profile_panels, here, viewer, member)
