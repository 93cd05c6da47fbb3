"""Moderation over JSON. Thin: access helper → action → schema. A resident calling the queue or
a decision endpoint gets 403; an outsider 404."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from apps.moderation import access, actions, selectors
from apps.moderation.models import EXPLANATION_MAX_LENGTH, NOTE_MAX_LENGTH, Case, Decision

router = Router(tags=["moderation"])


class ReportIn(Schema):
    target_type: str = Field(..., max_length=20)
    target_id: int
    reason: str = Field(..., max_length=20)
    note: str = Field("", max_length=NOTE_MAX_LENGTH)


class ReportOut(Schema):
    id: int
    case_id: int
    reason: str


class TargetOut(Schema):
    type: str
    id: int
    author_name: str
    excerpt: str
    state: str
    context: list[tuple[str, str, bool]]


class CaseOut(Schema):
    id: int
    target_type: str
    target_id: int
    origin: str
    auto_hidden: bool
    opened_at: datetime.datetime
    reports: int
    reasons: list[tuple[str, int]]
    author_earlier_decisions: int
    target: TargetOut | None


class DecisionOut(Schema):
    id: int
    residence_id: int
    target_type: str
    target_id: int
    action: str
    reason: str
    explanation: str
    status: str
    decided_as: str
    needs: str
    urgent: bool
    until: datetime.datetime | None
    created_at: datetime.datetime


class QueueOut(Schema):
    cases: list[CaseOut]
    pending_decisions: list[DecisionOut]
    appeals: list[int]


class DecisionIn(Schema):
    report_id: int | None = None
    target: dict[str, Any] | None = Field(
        None, description='{"type": "message", "id": 12} or {"type": "member", "id": <user id>}'
    )
    action: str = Field(..., max_length=10)
    reason: str = Field(..., max_length=20)
    explanation: str = Field(..., max_length=EXPLANATION_MAX_LENGTH)
    message: str = Field("", max_length=2000)
    until: datetime.datetime | None = None
    urgent: bool = False


class NoteIn(Schema):
    note: str = Field("", max_length=EXPLANATION_MAX_LENGTH)


class AppealIn(Schema):
    message: str = Field(..., max_length=EXPLANATION_MAX_LENGTH)


class AppealOut(Schema):
    id: int
    decision_id: int
    status: str
    reviewer_role: str


class LogEntryOut(Schema):
    id: int
    date: datetime.datetime
    content_type: str
    decision: str
    status: str
    reason: str
    urgent: bool
    decided_by: str
    decided_as: str
    appeal: str | None


class LogQuery(Schema):
    before: int | None = Field(None, ge=1)


@router.post("/reports", response={201: ReportOut})
def report(request: HttpRequest, payload: ReportIn) -> Status[ReportOut]:
    created = actions.report(
        request.user,
        payload.target_type,
        payload.target_id,
        reason=payload.reason,
        note=payload.note,
    )
    return Status(201, ReportOut(id=created.pk, case_id=created.case_id, reason=created.reason))


@router.get("/residences/{residence_id}/moderation/queue", response=QueueOut)
def queue(request: HttpRequest, residence_id: int) -> dict[str, Any]:
    access.access_queue(request.user, residence_id)
    items = selectors.open_cases(residence_id)
    return {
        "cases": [
            {
                "id": item.case.pk,
                "target_type": item.case.target_type,
                "target_id": item.case.target_id,
                "origin": item.case.origin,
                "auto_hidden": item.case.auto_hidden,
                "opened_at": item.case.opened_at,
                "reports": len(item.reports),
                "reasons": item.reasons,
                "author_earlier_decisions": item.warnings,
                "target": item.target.__dict__ if item.target else None,
            }
            for item in items
        ],
        "pending_decisions": selectors.pending_decisions(residence_id),
        "appeals": [a.pk for a in selectors.pending_appeals(residence_id)],
    }


@router.post("/moderation/decisions", response={201: DecisionOut})
def decide(request: HttpRequest, payload: DecisionIn) -> Status[Decision]:
    if payload.report_id is not None:
        case = Case.objects.filter(reports__pk=payload.report_id).first()
        if case is None:
            raise Http404
        case_row, _here = access.access_case(request.user, case.pk)
        target_type, target_id, residence_id = (
            case_row.target_type,
            case_row.target_id,
            case_row.residence_id,
        )
    elif payload.target and isinstance(payload.target.get("type"), str):
        target_type = payload.target["type"]
        raw_id = payload.target.get("id")
        if not isinstance(raw_id, int) or isinstance(raw_id, bool):
            raise ValidationError(_("target.id must be an integer."), code="target")
        target_id = raw_id
        residence_id = access.access_target_residence(
            request.user, target_type, target_id, payload.target.get("residence_id")
        )
    else:
        raise ValidationError(
            _('Give "report_id" or "target": {"type": ..., "id": ...}.'), code="target"
        )
    here = access.access_queue(request.user, residence_id)
    decision = actions.decide(
        request.user,
        here.residence,
        target_type=target_type,
        target_id=target_id,
        action=payload.action,
        reason=payload.reason,
        explanation=payload.explanation,
        message=payload.message,
        until=payload.until,
        urgent=payload.urgent,
    )
    return Status(201, decision)


@router.post("/moderation/decisions/{decision_id}/agree", response=DecisionOut)
def agree(request: HttpRequest, decision_id: int, payload: NoteIn) -> Decision:
    da = access.access_decision(request.user, decision_id)
    return actions.agree(request.user, da.decision, payload.note)


@router.post("/moderation/decisions/{decision_id}/decline", response=DecisionOut)
def decline(request: HttpRequest, decision_id: int, payload: NoteIn) -> Decision:
    da = access.access_decision(request.user, decision_id)
    return actions.decline(request.user, da.decision, payload.note)


@router.post("/moderation/decisions/{decision_id}/appeal", response={201: AppealOut})
def appeal(request: HttpRequest, decision_id: int, payload: AppealIn) -> Status[Any]:
    da = access.access_decision(request.user, decision_id)
    return Status(201, actions.appeal(request.user, da.decision, payload.message))


@router.get("/residences/{residence_id}/moderation/log", response=list[LogEntryOut])
def log(request: HttpRequest, residence_id: int, query: Query[LogQuery]) -> list[dict[str, Any]]:
    access.access_log(request.user, residence_id)
    return [
        {
            "id": d.pk,
            "date": d.created_at,
            "content_type": d.target_type,
            "decision": d.action,
            "status": d.status,
            "reason": d.reason,
            "urgent": d.urgent,
            "decided_by": d.decided_by.display_name if d.decided_by else "",
            "decided_as": d.decided_as,
            "appeal": d.appeal.status if hasattr(d, "appeal") else None,
        }
        for d in selectors.public_log(residence_id, before=query.before)
    ]
