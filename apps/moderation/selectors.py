"""Reads of moderation, each built for a constant number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from apps.moderation import registry
from apps.moderation.models import (
    Action,
    Appeal,
    Case,
    Decision,
    Origin,
    Report,
    ResidenceSettings,
)

QUEUE_LIMIT = 100
LOG_PAGE = 50


@dataclass
class QueueItem:
    case: Case
    target: registry.Target | None
    reports: list[Report]
    reasons: list[tuple[str, int]]  # reason label, how many
    warnings: int  # decisions the author already received here
    decisions: list[Decision] = field(default_factory=list)


def warnings_of(residence_id: int, user_ids: list[int]) -> dict[int, int]:
    """How many applied decisions each person received in the residence (one query)."""
    rows = (
        Decision.objects.filter(
            residence_id=residence_id,
            subject_id__in=user_ids,
            status=Decision.Status.APPLIED,
        )
        .exclude(action__in=[Action.DISMISS, Action.APPROVE, Action.RESTORE])
        .values("subject_id")
        .annotate(n=Count("pk"))
    )
    return {row["subject_id"]: row["n"] for row in rows}


def open_cases(residence_id: int) -> list[QueueItem]:
    """The review queue: open cases, oldest first, with their reports, the content (loaded
    through the registry, one batch per kind) and the author's history."""
    cases = list(
        Case.objects.filter(residence_id=residence_id, status=Case.Status.OPEN)
        .select_related("author")
        .prefetch_related(
            Prefetch("reports", queryset=Report.objects.select_related("reporter")),
        )
        .order_by("opened_at", "pk")[:QUEUE_LIMIT]
    )
    targets = registry.load_targets((c.target_type, c.target_id) for c in cases)
    warnings = warnings_of(residence_id, [c.author_id for c in cases if c.author_id])
    items = []
    for case in cases:
        reports = [r for r in case.reports.all() if r.created_at >= case.opened_at]
        counts: dict[str, int] = {}
        for r in reports:
            label = str(r.get_reason_display())
            counts[label] = counts.get(label, 0) + 1
        items.append(
            QueueItem(
                case=case,
                target=targets.get((case.target_type, case.target_id)),
                reports=reports,
                reasons=sorted(counts.items(), key=lambda kv: -kv[1]),
                warnings=warnings.get(case.author_id or 0, 0),
            )
        )
    return items


def pending_decisions(residence_id: int) -> list[Decision]:
    """Decisions waiting for a second key, and emergency ones not yet reviewed (one query)."""
    return list(
        Decision.objects.filter(residence_id=residence_id)
        .filter(
            Q(status=Decision.Status.PENDING)
            | Q(status=Decision.Status.APPLIED, urgent=True, second_at__isnull=True)
        )
        .select_related("subject", "decided_by")
        .order_by("created_at", "pk")
    )


def pending_appeals(residence_id: int) -> list[Appeal]:
    return list(
        Appeal.objects.filter(decision__residence_id=residence_id, status=Appeal.Status.PENDING)
        .select_related("decision", "decision__subject", "decision__decided_by")
        .order_by("created_at", "pk")
    )


def public_log(residence_id: int, *, before: int | None = None) -> list[Decision]:
    """What members read: decisions that took effect, were declined or overturned, newest
    first (one query). Templates show the kind of content, the decision, the reason category
    and who decided — never the reporter nor the content."""
    rows: QuerySet[Decision] = (
        Decision.objects.filter(residence_id=residence_id)
        .exclude(status=Decision.Status.PENDING)
        .select_related("decided_by", "second_by", "appeal")
        .order_by("-created_at", "-pk")
    )
    if before is not None:
        rows = rows.filter(pk__lt=before)
    return list(rows[:LOG_PAGE])


def decisions_about(user: Any, residence_id: int) -> list[Decision]:
    return list(
        Decision.objects.filter(residence_id=residence_id, subject_id=user.pk)
        .exclude(status=Decision.Status.PENDING)
        .select_related("decided_by")
        .order_by("-created_at", "-pk")[:LOG_PAGE]
    )


def settings_of(residence_id: int) -> ResidenceSettings | None:
    return ResidenceSettings.objects.filter(residence_id=residence_id).first()


def decisions_about_target(target_type: str, target_id: int) -> list[Decision]:
    """Earlier decisions on the same item (one query)."""
    return list(
        Decision.objects.filter(target_type=target_type, target_id=target_id)
        .select_related("decided_by", "second_by")
        .order_by("-created_at", "-pk")
    )


def notices(target_type: str, ids: Iterable[int]) -> dict[int, str]:
    """What the author of held or hidden items is told about each (two queries; none without
    ids): why it is held, or the moderators' message when they hid it.

    Content apps use it on the pages where the author sees their own items."""
    from apps.moderation.actions import held_text

    id_list = sorted(set(ids))
    if not id_list:
        return {}
    found: dict[int, str] = {}
    for case in Case.objects.filter(target_type=target_type, target_id__in=id_list).only(
        "target_id", "origin", "auto_hidden", "status"
    ):
        if case.origin in (Origin.KEYWORD, Origin.NEW_MEMBER):
            found[case.target_id] = held_text(case.origin)
        elif case.auto_hidden:
            found[case.target_id] = _(
                "Several members reported it: it is hidden until a moderator reviews it."
            )
    for decision in (
        Decision.objects.filter(
            target_type=target_type,
            target_id__in=id_list,
            action=Action.HIDE,
            status=Decision.Status.APPLIED,
        )
        .only("target_id", "message", "explanation")
        .order_by("created_at", "pk")
    ):
        found[decision.target_id] = decision.message or decision.explanation
    return found


def notice_line(state: str, reason: str) -> str:
    """What the author reads next to their held or hidden item: the state, and why."""
    label = (
        _("Waiting for a moderator") if state == registry.HELD else _("Hidden by the moderators")
    )
    if not reason:
        return label
    return _("%(state)s: %(reason)s") % {"state": label, "reason": reason}
