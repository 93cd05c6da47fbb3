"""Writes of moderation. Each runs in one transaction, writes an append-only audit row,
publishes ``moderation.queue_updated`` to the residence's moderators on commit, and notifies
the people concerned. Refusals: ValidationError with a code (→ 400, a form or flash error),
PermissionDenied (→ 403).

The two-key rule (DESIGN.md §4): see ``access.second_key_for``. A decision that needs a second
key is ``pending`` until a moderator of the other side agrees (``agree``) or declines; landlord
staff may apply it at once only for threats, personal data or illegal content (``urgent``): it
is applied and marked so in the log, and co-animators may still decline it, which reverts it.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.moderation import access, registry
from apps.moderation.models import (
    CONTENT_ACTIONS,
    EMERGENCY_REASONS,
    EXPLANATION_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    REPORT_REASONS,
    TIMED_ACTIONS,
    Action,
    Appeal,
    AuditEntry,
    Case,
    Decision,
    Origin,
    Reason,
    Report,
    ResidenceSettings,
    Sanction,
)
from apps.notifications import actions as notifications
from apps.realtime import groups
from apps.realtime.events import publish_on_commit
from apps.residences import access as residence_access
from apps.residences import actions as residence_actions
from apps.residences.models import Membership, Residence, Role
from apps.residences.models import Status as MembershipStatus

AUTO_HIDE_REPORTERS = 3  # distinct members reporting one item hide it until reviewed
NEW_MEMBER_DAYS = 30  # "new member": joined less than this many days ago
NEW_MEMBER_HELD_POSTS = 2  # their first posts held for approval, when the residence wants it
MAX_SANCTION_DAYS = 365
REMIND_AFTER = datetime.timedelta(hours=48)
MEMBER_TARGET = registry.MEMBER_TARGET


def _audit(
    residence_id: int,
    actor: Any,
    verb: str,
    *,
    target_type: str = "",
    target_id: int | None = None,
    before: str = "",
    after: str = "",
    **detail: Any,
) -> None:
    AuditEntry.objects.create(
        residence_id=residence_id,
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        verb=verb,
        target_type=target_type,
        target_id=target_id,
        before=before,
        after=after,
        detail=detail,
    )


def _queue_updated(residence_id: int) -> None:
    publish_on_commit(
        groups.moderators(residence_id), "moderation.queue_updated", {"residence_id": residence_id}
    )


def _queue_url(residence_id: int) -> str:
    return reverse("moderation:queue", args=[residence_id])


def _decision_url(decision: Decision) -> str:
    return reverse("moderation:decision", args=[decision.pk])


def _moderator_ids(residence_id: int, role: str) -> list[int]:
    """The co-animators, or the landlord's staff, of a residence."""
    return sorted(residence_access.moderator_ids(residence_id, role))


# --- what members post: may they, and is it held? ---------------------------------------------


def active_sanction(user_id: int, residence_id: int) -> Sanction | None:
    return (
        Sanction.objects.filter(
            residence_id=residence_id,
            user_id=user_id,
            lifted_at__isnull=True,
            until__gt=timezone.now(),
        )
        .order_by("-until")
        .first()
    )


def _fold(text: str) -> str:
    """Lower case, no accents: "Arnaque" and "arnaqué" both match "arnaque"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def keyword_match(keywords: str, text: str) -> str:
    """The first keyword (one per line) found in ``text`` as a whole word or expression."""
    folded = _fold(text)
    for line in keywords.splitlines():
        word = _fold(line.strip())
        if word and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", folded):
            return line.strip()
    return ""


def screen(author: Any, residence_id: int, text: str) -> str:
    """Before a content app publishes what ``author`` wrote: refuses a muted or suspended
    member (ValidationError, code "muted"), and returns why it must be held for review
    (``Origin.KEYWORD`` or ``Origin.NEW_MEMBER``) or "" to publish it. Two small queries."""
    sanction = active_sanction(author.pk, residence_id)
    if sanction is not None:
        raise ValidationError(
            _("You cannot post in this residence until %(date)s (decision of the moderators).")
            % {"date": date_format(timezone.localtime(sanction.until), "DATETIME_FORMAT")},
            code="muted",
        )
    settings_row = (
        ResidenceSettings.objects.filter(residence_id=residence_id)
        .values("keywords", "hold_new_members")
        .first()
    )
    if settings_row is None:
        return ""
    if settings_row["keywords"] and keyword_match(settings_row["keywords"], text):
        return Origin.KEYWORD
    if settings_row["hold_new_members"] and _is_new_member(author.pk, residence_id):
        return Origin.NEW_MEMBER
    return ""


def _is_new_member(user_id: int, residence_id: int) -> bool:
    membership = (
        Membership.objects.filter(residence_id=residence_id, user_id=user_id, role=Role.RESIDENT)
        .values("decided_at", "requested_at")
        .first()
    )
    if membership is None:
        return False
    joined = membership["decided_at"] or membership["requested_at"]
    if joined < timezone.now() - datetime.timedelta(days=NEW_MEMBER_DAYS):
        return False
    approved = Decision.objects.filter(
        residence_id=residence_id, subject_id=user_id, action=Action.APPROVE
    ).count()
    return approved < NEW_MEMBER_HELD_POSTS


def held_text(origin: str) -> str:
    """What the author is told about a held post."""
    if origin == Origin.KEYWORD:
        return _(
            "Your post contains a word that the co-animators review first: it will be "
            "published once a moderator has read it."
        )
    return _(
        "Welcome! Your first posts are read by a co-animator before they are published: "
        "it will appear soon."
    )


@transaction.atomic
def record_held(
    target_type: str, target_id: int, residence_id: int, author_id: int, origin: str
) -> Case:
    """A content app held something it was given (``screen`` said why): a case opens in the
    review queue."""
    case, _created = Case.objects.update_or_create(
        target_type=target_type,
        target_id=target_id,
        defaults={
            "residence_id": residence_id,
            "author_id": author_id,
            "origin": origin,
            "status": Case.Status.OPEN,
            "opened_at": timezone.now(),
            "closed_at": None,
        },
    )
    _audit(
        residence_id,
        None,
        "held",
        target_type=target_type,
        target_id=target_id,
        after=registry.HELD,
        origin=origin,
    )
    _queue_updated(residence_id)
    return case


# --- reports --------------------------------------------------------------------------------


@transaction.atomic
def report(
    reporter: Any, target_type: str, target_id: int, *, reason: str, note: str = ""
) -> Report:
    """A member reports something they can see. Reports on one item are grouped in one case;
    the third member reporting it hides it until a moderator reviews it. The reported person is
    never told who reported."""
    kind = registry.get(target_type)
    if kind is None:
        raise ValidationError(_("This cannot be reported."), code="target_type")
    target = kind.find(reporter, target_id)  # Http404 when the reporter may not see it
    if target.author_id == reporter.pk:
        raise ValidationError(_("You cannot report what you wrote yourself."), code="own")
    if not residence_access.is_member(reporter, target.residence_id):
        raise PermissionDenied
    if reason not in REPORT_REASONS:
        raise ValidationError(_("Choose a reason."), code="reason")
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            _("The note is too long (%(max)d characters at most).") % {"max": NOTE_MAX_LENGTH},
            code="too_long",
        )
    now = timezone.now()
    case, created = Case.objects.select_for_update().get_or_create(
        target_type=target_type,
        target_id=target_id,
        defaults={
            "residence_id": target.residence_id,
            "author_id": target.author_id,
            "opened_at": now,
        },
    )
    if not created and case.status == Case.Status.CLOSED:
        case.status = Case.Status.OPEN
        case.origin = Origin.REPORTS
        case.opened_at = now
        case.closed_at = None
        case.save(update_fields=["status", "origin", "opened_at", "closed_at"])
    try:
        with transaction.atomic():
            created_report = Report.objects.create(
                case=case, reporter=reporter, reason=reason, note=note
            )
    except IntegrityError:
        raise ValidationError(
            _("You have already reported this. The moderators will look at it."),
            code="already_reported",
        ) from None
    _audit(
        case.residence_id,
        reporter,
        "reported",
        target_type=target_type,
        target_id=target_id,
        reason=reason,
    )
    reporters = case.reports.filter(created_at__gte=case.opened_at).count()
    if reporters >= AUTO_HIDE_REPORTERS and target.state == registry.VISIBLE:
        kind.set_state(target_id, registry.HIDDEN)
        case.auto_hidden = True
        case.save(update_fields=["auto_hidden"])
        _audit(
            case.residence_id,
            None,
            "auto_hidden",
            target_type=target_type,
            target_id=target_id,
            before=registry.VISIBLE,
            after=registry.HIDDEN,
            reporters=reporters,
        )
    notifications.notify(
        _moderator_ids(case.residence_id, Role.CO_ANIMATOR)
        + _moderator_ids(case.residence_id, Role.STAFF),
        kind="moderation",
        title=_("Something was reported: %(kind)s") % {"kind": kind.label},
        body=str(Origin.REPORTS.label),
        url=_queue_url(case.residence_id),
        batch_key=f"moderation-{case.residence_id}",
    )
    _queue_updated(case.residence_id)
    return created_report


@transaction.atomic
def open_case(actor: Any, target_type: str, target_id: int) -> Case:
    """A moderator takes up something nobody reported (they must be able to see it: a private
    message never, unless they take part in the conversation)."""
    kind = registry.get(target_type)
    if kind is None:
        raise ValidationError(_("This cannot be moderated."), code="target_type")
    target = kind.find(actor, target_id)  # Http404 when the moderator may not see it
    access.moderator_role(residence_access.role_in(actor, target.residence_id))
    now = timezone.now()
    case, created = Case.objects.select_for_update().get_or_create(
        target_type=target_type,
        target_id=target_id,
        defaults={
            "residence_id": target.residence_id,
            "author_id": target.author_id,
            "origin": Origin.MODERATOR,
            "opened_at": now,
        },
    )
    if not created and case.status == Case.Status.CLOSED:
        case.status = Case.Status.OPEN
        case.origin = Origin.MODERATOR
        case.opened_at = now
        case.closed_at = None
        case.save(update_fields=["status", "origin", "opened_at", "closed_at"])
    if created or case.opened_at == now:
        _audit(
            case.residence_id,
            actor,
            "case_opened",
            target_type=target_type,
            target_id=target_id,
        )
        _queue_updated(case.residence_id)
    return case


# --- decisions ------------------------------------------------------------------------------


def _clean_explanation(explanation: str) -> str:
    explanation = (explanation or "").strip()
    if not explanation:
        raise ValidationError(_("Write the reason for this decision."), code="explanation")
    if len(explanation) > EXPLANATION_MAX_LENGTH:
        raise ValidationError(_("This text is too long."), code="too_long")
    return explanation


@transaction.atomic
def decide(
    actor: Any,
    residence: Residence,
    *,
    target_type: str,
    target_id: int,
    action: str,
    reason: str,
    explanation: str,
    message: str = "",
    until: datetime.datetime | None = None,
    urgent: bool = False,
) -> Decision:
    """A moderator decides on a piece of content (``target_type`` registered) or on a member
    (``target_type`` "member", ``target_id`` the user id). Applied at once, or pending until
    the second key agrees (see the module docstring)."""
    actor_role = access.moderator_role(residence_access.role_in(actor, residence.pk))
    if action not in Action.values:
        raise ValidationError(_("Choose a decision."), code="action")
    if reason not in Reason.values:
        raise ValidationError(_("Choose a reason."), code="reason")
    explanation = _clean_explanation(explanation)
    case = (
        Case.objects.select_for_update()
        .filter(target_type=target_type, target_id=target_id)
        .first()
    )
    if target_type == MEMBER_TARGET:
        if action in CONTENT_ACTIONS:
            raise ValidationError(
                _("This decision applies to content, not to a member."), code="action"
            )
        if target_id not in residence_access.active_member_ids(residence.pk, [target_id]) and not (
            Membership.objects.filter(
                residence=residence, user_id=target_id, status=MembershipStatus.SUSPENDED
            ).exists()
        ):
            raise ValidationError(_("This person is not a member of the residence."), code="member")
        subject_id = target_id
        state = ""
    else:
        kind = registry.get(target_type)
        if kind is None:
            raise ValidationError(_("This cannot be moderated."), code="target_type")
        target = kind.load([target_id]).get(target_id)
        if target is None or target.residence_id != residence.pk or target.author_id is None:
            raise ValidationError(_("This content is not in this residence."), code="target")
        subject_id = target.author_id
        state = target.state
        _check_content_transition(action, state, case)
    if subject_id == actor.pk:
        raise ValidationError(_("Another moderator must decide about you."), code="own")
    subject_role = _role_of(subject_id, residence.pk)
    if not access.may_decide(actor_role, subject_role, action):
        raise PermissionDenied(
            _("Decisions about a co-animator are taken by the landlord's staff.")
        )
    if action in TIMED_ACTIONS:
        now = timezone.now()
        if until is None or until <= now:
            raise ValidationError(_("Choose until when."), code="until")
        if until > now + datetime.timedelta(days=MAX_SANCTION_DAYS):
            raise ValidationError(_("A sanction lasts one year at most."), code="until")
    else:
        until = None
    message = (message or "").strip()
    if action == Action.WARN and not message:
        subject_name = _display_name(subject_id)
        message = warning_template(subject_name, residence.name)
    needs = access.second_key_for(actor_role, subject_role, action)
    if urgent:
        if actor_role != access.STAFF or needs != access.CO_ANIMATOR:
            raise ValidationError(
                _("Only a staff decision that waits for a co-animator can be urgent."),
                code="urgent",
            )
        if reason not in EMERGENCY_REASONS:
            raise ValidationError(
                _(
                    "Apply at once only for threats, personal data exposure or illegal content; "
                    "otherwise a co-animator must agree."
                ),
                code="urgent_reason",
            )
    decision = Decision.objects.create(
        residence=residence,
        case=case,
        target_type=target_type,
        target_id=target_id,
        subject_id=subject_id,
        action=action,
        reason=reason,
        explanation=explanation,
        message=message,
        until=until,
        decided_by=actor,
        decided_as=actor_role,
        needs=needs,
        urgent=urgent,
        status=Decision.Status.PENDING if needs and not urgent else Decision.Status.APPLIED,
    )
    _audit(
        residence.pk,
        actor,
        "decided",
        target_type=target_type,
        target_id=target_id,
        before=state,
        after=decision.status,
        decision=decision.pk,
        action=action,
        urgent=urgent,
    )
    if decision.status == Decision.Status.APPLIED:
        _apply(decision, actor)
    else:
        notifications.notify(
            _moderator_ids(residence.pk, needs),
            kind="moderation",
            title=_("A moderation decision waits for your agreement"),
            body=str(decision.get_action_display()),
            url=_queue_url(residence.pk),
            direct=True,
        )
    if urgent:
        notifications.notify(
            _moderator_ids(residence.pk, access.CO_ANIMATOR),
            kind="moderation",
            title=_("A decision was applied as an emergency: please review it"),
            body=str(decision.get_action_display()),
            url=_queue_url(residence.pk),
            direct=True,
        )
    _queue_updated(residence.pk)
    return decision


def warning_template(name: str, residence: str) -> str:
    """The warning a moderator starts from (editable in the form)."""
    return _(
        "Hello %(name)s,\n\nWhat you posted in %(residence)s does not respect the residence "
        "charter. Please keep exchanges kind and respectful; the co-animators are there if you "
        "want to talk about it.\n\nThe moderators of %(residence)s"
    ) % {"name": name, "residence": residence}


def _display_name(user_id: int) -> str:
    from apps.accounts.models import User

    user = User.objects.filter(pk=user_id).first()
    return user.display_name if user is not None else ""


def _role_of(user_id: int, residence_id: int) -> str | None:
    from apps.accounts.models import User

    user = User.objects.filter(pk=user_id).first()
    return residence_access.role_in(user, residence_id) if user is not None else None


def _check_content_transition(action: str, state: str, case: Case | None) -> None:
    if action == Action.HIDE and state == registry.HIDDEN and not (case and case.auto_hidden):
        raise ValidationError(_("This is already hidden."), code="already_hidden")
    if action == Action.RESTORE and state == registry.VISIBLE:
        raise ValidationError(_("This is not hidden."), code="not_hidden")
    if action == Action.APPROVE and state != registry.HELD:
        raise ValidationError(_("This is not waiting for approval."), code="not_held")
    if action == Action.DISMISS and (case is None or case.status != Case.Status.OPEN):
        raise ValidationError(_("There is no report to dismiss."), code="no_case")


def _set_state(decision: Decision, state: str) -> None:
    if decision.target_type == MEMBER_TARGET:
        return
    kind = registry.get(decision.target_type)
    if kind is not None:
        kind.set_state(decision.target_id, state)


def _close_case(decision: Decision) -> None:
    if decision.case_id is not None:
        Case.objects.filter(pk=decision.case_id).update(
            status=Case.Status.CLOSED, closed_at=timezone.now()
        )


def _apply(decision: Decision, actor: Any) -> None:
    """The decision takes effect: content state, sanctions, membership; the author is told (with
    the reason) and the reporters, briefly."""
    now = timezone.now()
    action = decision.action
    residence_id = decision.residence_id
    if action in (Action.HIDE,):
        _set_state(decision, registry.HIDDEN)
    elif action in (Action.RESTORE, Action.APPROVE):
        _set_state(decision, registry.VISIBLE)
    elif action == Action.DISMISS:
        case = decision.case
        if case is not None and case.auto_hidden:
            _set_state(decision, registry.VISIBLE)
    elif action in (Action.MUTE, Action.SUSPEND):
        assert decision.until is not None
        Sanction.objects.create(
            residence_id=residence_id,
            user_id=decision.subject_id,
            kind=action,
            until=decision.until,
            decision=decision,
        )
        if action == Action.SUSPEND:
            residence_actions.set_standing(
                actor,
                residence_id,
                decision.subject_id,
                MembershipStatus.SUSPENDED,
                verb="moderation.suspended",
            )
    elif action == Action.REMOVE:
        residence_actions.set_standing(
            actor,
            residence_id,
            decision.subject_id,
            MembershipStatus.LEFT,
            verb="moderation.removed",
        )
    if decision.case_id is not None and action != Action.WARN:
        _close_case(decision)
    decision.status = Decision.Status.APPLIED
    decision.applied_at = now
    decision.save(update_fields=["status", "applied_at"])
    _audit(
        residence_id,
        actor,
        "applied",
        target_type=decision.target_type,
        target_id=decision.target_id,
        before=Decision.Status.PENDING,
        after=Decision.Status.APPLIED,
        decision=decision.pk,
    )
    if action not in (Action.DISMISS, Action.APPROVE):
        notifications.notify(
            [decision.subject_id],
            kind="moderation",
            title=_author_title(decision),
            body=decision.message or decision.explanation,
            url=_decision_url(decision),
            direct=True,
        )
    elif action == Action.APPROVE:
        notifications.notify(
            [decision.subject_id],
            kind="moderation",
            title=_("Your post is published"),
            body="",
            url=_decision_url(decision),
        )
    if decision.case_id is not None and action != Action.WARN:
        reporter_ids = list(
            Report.objects.filter(case_id=decision.case_id).values_list("reporter_id", flat=True)
        )
        notifications.notify(
            reporter_ids,
            kind="moderation",
            title=_("Thank you: the moderators reviewed what you reported"),
            body=str(decision.get_action_display()),
            url=reverse("moderation:log", args=[residence_id]),
        )


def _author_title(decision: Decision) -> str:
    if decision.target_type == "profile" and decision.action in (Action.HIDE, Action.RESTORE):
        if decision.action == Action.HIDE:
            return _("The moderators hid your profile")
        return _("Your profile is visible again")
    titles: dict[str, str] = {
        Action.HIDE: _("The moderators hid something you posted"),
        Action.RESTORE: _("Something you posted is visible again"),
        Action.WARN: _("A warning from the moderators"),
        Action.MUTE: _("You cannot post for a while"),
        Action.SUSPEND: _("Your membership is suspended for a while"),
        Action.REMOVE: _("You were removed from the residence"),
    }
    return titles.get(decision.action, _("A moderation decision about you"))


def _end_suspension(
    actor: Any, residence_id: int, user_id: int, verb: str, now: datetime.datetime | None = None
) -> None:
    """A suspension ended or was undone: the member is active again, unless another
    suspension still runs or they have been removed meanwhile."""
    still_running = Sanction.objects.filter(
        residence_id=residence_id,
        user_id=user_id,
        kind=Sanction.Kind.SUSPEND,
        lifted_at__isnull=True,
        until__gt=now or timezone.now(),
    ).exists()
    suspended = Membership.objects.filter(
        residence_id=residence_id, user_id=user_id, status=MembershipStatus.SUSPENDED
    ).exists()
    if suspended and not still_running:
        residence_actions.set_standing(
            actor, residence_id, user_id, MembershipStatus.ACTIVE, verb=verb
        )


def _revert(decision: Decision, actor: Any) -> None:
    """Undo what an applied decision did (declined emergency, successful appeal)."""
    if decision.action == Action.HIDE:
        _set_state(decision, registry.VISIBLE)
    elif decision.action in (Action.MUTE, Action.SUSPEND):
        Sanction.objects.filter(decision=decision, lifted_at__isnull=True).update(
            lifted_at=timezone.now()
        )
        if decision.action == Action.SUSPEND and decision.subject_id is not None:
            _end_suspension(
                actor, decision.residence_id, decision.subject_id, "moderation.reinstated"
            )
    elif decision.action == Action.REMOVE:
        residence_actions.set_standing(
            actor,
            decision.residence_id,
            decision.subject_id,
            MembershipStatus.ACTIVE,
            verb="moderation.reinstated",
        )


def _locked(decision: Decision) -> Decision:
    return (
        Decision.objects.select_for_update(of=("self",)).select_related("case").get(pk=decision.pk)
    )


def _check_second_key(actor: Any, decision: Decision) -> str:
    role = residence_access.role_in(actor, decision.residence_id)
    if role != decision.needs or actor.pk == decision.decided_by_id:
        raise PermissionDenied(
            _("A co-animator of the residence must agree.")
            if decision.needs == access.CO_ANIMATOR
            else _("A member of the landlord's staff must agree.")
        )
    if actor.pk == decision.subject_id:
        raise PermissionDenied
    return str(role)


@transaction.atomic
def agree(actor: Any, decision: Decision, note: str = "") -> Decision:
    """The second key: a pending decision takes effect; an emergency one is confirmed."""
    decision = _locked(decision)
    _check_second_key(actor, decision)
    if (
        decision.second_at is not None
        or decision.status
        not in (
            Decision.Status.PENDING,
            Decision.Status.APPLIED,
        )
        or (decision.status == Decision.Status.APPLIED and not decision.urgent)
    ):
        raise ValidationError(_("This decision was already reviewed."), code="already_reviewed")
    decision.second_by = actor
    decision.second_at = timezone.now()
    decision.second_note = (note or "").strip()[:EXPLANATION_MAX_LENGTH]
    decision.save(update_fields=["second_by", "second_at", "second_note"])
    _audit(
        decision.residence_id,
        actor,
        "agreed",
        target_type=decision.target_type,
        target_id=decision.target_id,
        before=decision.status,
        after=Decision.Status.APPLIED,
        decision=decision.pk,
    )
    if decision.status == Decision.Status.PENDING:
        _apply(decision, actor)
    _queue_updated(decision.residence_id)
    return decision


@transaction.atomic
def decline(actor: Any, decision: Decision, note: str) -> Decision:
    """The second key refuses: a pending decision never takes effect; an emergency one is
    reverted. The reason is required and shown in the log."""
    decision = _locked(decision)
    _check_second_key(actor, decision)
    note = _clean_explanation(note)
    if decision.second_at is not None or not (
        decision.status == Decision.Status.PENDING
        or (decision.status == Decision.Status.APPLIED and decision.urgent)
    ):
        raise ValidationError(_("This decision was already reviewed."), code="already_reviewed")
    before = decision.status
    if decision.status == Decision.Status.APPLIED:
        _revert(decision, actor)
        decision.status = Decision.Status.OVERTURNED
    else:
        decision.status = Decision.Status.DECLINED
    decision.second_by = actor
    decision.second_at = timezone.now()
    decision.second_note = note
    decision.save(update_fields=["status", "second_by", "second_at", "second_note"])
    _audit(
        decision.residence_id,
        actor,
        "declined",
        target_type=decision.target_type,
        target_id=decision.target_id,
        before=before,
        after=decision.status,
        decision=decision.pk,
    )
    if decision.decided_by_id:
        notifications.notify(
            [decision.decided_by_id],
            kind="moderation",
            title=_("Your moderation decision was declined"),
            body=note,
            url=_decision_url(decision),
            direct=True,
        )
    if before == Decision.Status.APPLIED:
        notifications.notify(
            [decision.subject_id],
            kind="moderation",
            title=_("A moderation decision about you was withdrawn"),
            body=note,
            url=_decision_url(decision),
            direct=True,
        )
    _queue_updated(decision.residence_id)
    return decision


# --- appeals --------------------------------------------------------------------------------


@transaction.atomic
def appeal(author: Any, decision: Decision, message: str) -> Appeal:
    """The member a decision concerns contests it, once; the other side reviews it."""
    decision = _locked(decision)
    if author.pk != decision.subject_id:
        raise PermissionDenied
    if decision.status != Decision.Status.APPLIED or decision.action in (
        Action.DISMISS,
        Action.APPROVE,
        Action.RESTORE,
    ):
        raise ValidationError(_("This decision cannot be contested."), code="not_appealable")
    if Appeal.objects.filter(decision=decision).exists():
        raise ValidationError(_("You have already contested this decision."), code="twice")
    message = (message or "").strip()
    if not message:
        raise ValidationError(_("Explain why you contest this decision."), code="message")
    if len(message) > EXPLANATION_MAX_LENGTH:
        raise ValidationError(_("This text is too long."), code="too_long")
    reviewer_role = access.other_side(decision.decided_as)
    created = Appeal.objects.create(decision=decision, message=message, reviewer_role=reviewer_role)
    _audit(
        decision.residence_id,
        author,
        "appealed",
        target_type=decision.target_type,
        target_id=decision.target_id,
        decision=decision.pk,
    )
    notifications.notify(
        _moderator_ids(decision.residence_id, reviewer_role),
        kind="moderation",
        title=_("A member contests a moderation decision"),
        body=message,
        url=_queue_url(decision.residence_id),
        direct=True,
    )
    _queue_updated(decision.residence_id)
    return created


@transaction.atomic
def review_appeal(actor: Any, appeal_row: Appeal, *, overturn: bool, note: str) -> Appeal:
    """The other side upholds or overturns the decision; the author is told, the log says so."""
    appeal_row = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("decision")
        .get(pk=appeal_row.pk)
    )
    decision = appeal_row.decision
    role = residence_access.role_in(actor, decision.residence_id)
    if role != appeal_row.reviewer_role or actor.pk in (
        decision.decided_by_id,
        decision.subject_id,
    ):
        raise PermissionDenied(
            _("This appeal is reviewed by the co-animators.")
            if appeal_row.reviewer_role == access.CO_ANIMATOR
            else _("This appeal is reviewed by the landlord's staff.")
        )
    if appeal_row.status != Appeal.Status.PENDING:
        raise ValidationError(_("This appeal was already reviewed."), code="already_reviewed")
    note = _clean_explanation(note)
    now = timezone.now()
    appeal_row.status = Appeal.Status.OVERTURNED if overturn else Appeal.Status.UPHELD
    appeal_row.reviewed_by = actor
    appeal_row.reviewed_at = now
    appeal_row.review_note = note
    appeal_row.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    if overturn:
        decision = _locked(decision)
        _revert(decision, actor)
        decision.status = Decision.Status.OVERTURNED
        decision.save(update_fields=["status"])
    _audit(
        decision.residence_id,
        actor,
        "appeal_reviewed",
        target_type=decision.target_type,
        target_id=decision.target_id,
        before=Appeal.Status.PENDING,
        after=appeal_row.status,
        decision=decision.pk,
    )
    notifications.notify(
        [decision.subject_id],
        kind="moderation",
        title=_("Your appeal was accepted: the decision is withdrawn")
        if overturn
        else _("Your appeal was reviewed: the decision stands"),
        body=note,
        url=_decision_url(decision),
        direct=True,
    )
    _queue_updated(decision.residence_id)
    return appeal_row


# --- settings and the charter ---------------------------------------------------------------


@transaction.atomic
def update_settings(
    actor: Any, residence: Residence, *, keywords: str, hold_new_members: bool, charter: str
) -> ResidenceSettings:
    """The keyword filter, the new-member hold, and the residence's charter (kept on the
    residence: joining shows it)."""
    access.moderator_role(residence_access.role_in(actor, residence.pk))
    lines = [line.strip() for line in (keywords or "").splitlines() if line.strip()]
    if len(lines) > 200 or any(len(line) > 60 for line in lines):
        raise ValidationError(
            _("Up to 200 words or expressions, 60 characters each."), code="keywords"
        )
    residence_actions.set_charter(actor, residence, charter)
    row, _created = ResidenceSettings.objects.update_or_create(
        residence=residence,
        defaults={
            "keywords": "\n".join(dict.fromkeys(lines)),
            "hold_new_members": bool(hold_new_members),
        },
    )
    _audit(
        residence.pk,
        actor,
        "settings",
        keywords=len(lines),
        hold_new_members=row.hold_new_members,
        charter_adapted=bool((charter or "").strip()),
    )
    return row


# --- scheduled: reminders and the end of sanctions ------------------------------------------


@transaction.atomic
def remind_pending(now: datetime.datetime | None = None) -> int:
    """Decisions waiting for a second key for more than 48 hours: remind that side, once."""
    now = now or timezone.now()
    due = list(
        Decision.objects.select_for_update()
        .filter(
            status=Decision.Status.PENDING,
            created_at__lte=now - REMIND_AFTER,
            reminded_at__isnull=True,
        )
        .order_by("pk")
    )
    sides: dict[tuple[int, str], list[int]] = {}  # one lookup per residence and side
    notes = []
    for decision in due:
        side = (decision.residence_id, decision.needs)
        if side not in sides:
            sides[side] = _moderator_ids(*side)
        notes += [
            notifications.Note(
                uid,
                _("A moderation decision has waited for your agreement for two days"),
                str(decision.get_action_display()),
                _queue_url(decision.residence_id),
            )
            for uid in sides[side]
        ]
        decision.reminded_at = now
    notifications.notify_each(notes, kind="moderation", direct=True)
    Decision.objects.bulk_update(due, ["reminded_at"])
    return len(due)


@transaction.atomic
def lift_expired(now: datetime.datetime | None = None) -> int:
    """Sanctions whose end passed: lifted; a suspended member is active again."""
    now = now or timezone.now()
    due = list(Sanction.objects.select_for_update().filter(lifted_at__isnull=True, until__lte=now))
    for sanction in due:
        sanction.lifted_at = now
        if sanction.kind == Sanction.Kind.SUSPEND:
            _end_suspension(
                None, sanction.residence_id, sanction.user_id, "moderation.suspension_ended", now
            )
        _audit(
            sanction.residence_id,
            None,
            "sanction_ended",
            target_type=MEMBER_TARGET,
            target_id=sanction.user_id,
            before=sanction.kind,
            after="",
        )
    Sanction.objects.bulk_update(due, ["lifted_at"])
    return len(due)
