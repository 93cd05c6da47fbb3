"""Who may see and do what in moderation. Not visible → 404, visible but not allowed → 403.

- Reporting: any member who can see the item (the content app's own access decides).
- The review queue, cases, decisions and settings: the residence's moderators (co-animators
  and the landlord's staff); other members 403, partners 403, outsiders 404.
- The public log: every member (partners 403, outsiders 404).
- A decision: its moderators and the member it concerns (who may appeal); others 404.
- Who decides what (the two-key rule) is in ``second_key_for`` and ``may_decide``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from apps.moderation import registry
from apps.moderation.models import Action, Appeal, Case, Decision
from apps.residences import access as residence_access
from apps.residences.models import Residence, Role

CO_ANIMATOR = Role.CO_ANIMATOR.value
STAFF = Role.STAFF.value
# A landlord staff member's decision on a resident needs a co-animator's agreement for these.
SILENCING = frozenset({Action.HIDE, Action.MUTE, Action.SUSPEND, Action.REMOVE})
# A co-animator proposes these; the landlord's staff agrees (DESIGN.md §4).
EXCLUSION = frozenset({Action.SUSPEND, Action.REMOVE})


def access_queue(user: Any, residence_id: int) -> residence_access.ResidenceAccess:
    here = residence_access.access_residence(user, residence_id)
    if not here.can_moderate:
        raise PermissionDenied
    return here


def access_log(user: Any, residence_id: int) -> residence_access.ResidenceAccess:
    here = residence_access.access_residence(user, residence_id)
    if not here.is_member:
        raise PermissionDenied
    return here


def access_settings(user: Any, residence_id: int) -> residence_access.ResidenceAccess:
    return access_queue(user, residence_id)


def access_case(user: Any, case_id: int) -> tuple[Case, residence_access.ResidenceAccess]:
    """A case, for the moderators of its residence; anyone else: 404 (a case reveals that
    something was reported)."""
    if not user.is_authenticated:
        raise Http404
    case = Case.objects.select_related("author").filter(pk=case_id).first()
    if case is None:
        raise Http404
    role = residence_access.role_in(user, case.residence_id)
    if role not in residence_access.MODERATOR_ROLES:
        raise Http404
    return case, residence_access.access_residence(user, case.residence_id)


@dataclass(frozen=True)
class DecisionAccess:
    decision: Decision
    here: residence_access.ResidenceAccess
    is_subject: bool

    @property
    def can_moderate(self) -> bool:
        return self.here.can_moderate


def access_decision(user: Any, decision_id: int) -> DecisionAccess:
    """A decision: the moderators of its residence and the member it concerns."""
    if not user.is_authenticated:
        raise Http404
    decision = (
        Decision.objects.select_related("subject", "decided_by", "second_by", "residence")
        .filter(pk=decision_id)
        .first()
    )
    if decision is None:
        raise Http404
    role = residence_access.role_in(user, decision.residence_id)
    is_subject = decision.subject_id == user.pk
    if not is_subject and role not in residence_access.MODERATOR_ROLES:
        raise Http404
    if role is None:  # a removed member still sees the decision that removed them
        here = residence_access.ResidenceAccess(decision.residence, Role.RESIDENT, None)
    else:
        here = residence_access.access_residence(user, decision.residence_id)
    return DecisionAccess(decision, here, is_subject)


def access_appeal(user: Any, appeal_id: int) -> tuple[Appeal, DecisionAccess]:
    appeal = Appeal.objects.filter(pk=appeal_id).values_list("decision_id", flat=True).first()
    if appeal is None:
        raise Http404
    da = access_decision(user, appeal)
    if not da.can_moderate:
        raise Http404
    return Appeal.objects.select_related("decision").get(pk=appeal_id), da


def moderator_role(role: str | None) -> str:
    """co_animator or staff (a membership with the staff role counts as staff)."""
    if role not in residence_access.MODERATOR_ROLES:
        raise PermissionDenied
    return str(role)


def may_decide(actor_role: str, subject_role: str | None, action: str) -> bool:
    """Co-animators act on residents; actions against a co-animator or a staff member need the
    landlord's staff (staff never silence one another through this tool: they act on staff
    accounts in the admin)."""
    if action in (Action.DISMISS, Action.APPROVE, Action.RESTORE):
        return True
    if subject_role == STAFF:
        return False
    if subject_role == CO_ANIMATOR:
        return actor_role == STAFF
    return True


def second_key_for(actor_role: str, subject_role: str | None, action: str) -> str:
    """The role whose agreement a decision waits for ("" when it applies at once).

    - Staff hiding, muting, suspending or removing a resident: a co-animator must agree (the
      two-key rule that protects tenants' speech about their landlord).
    - A co-animator suspending or removing a resident: a staff member must agree.
    - Anything on a co-animator (staff only) and the rest: at once.
    """
    if subject_role == CO_ANIMATOR:
        return ""
    if actor_role == STAFF and action in SILENCING:
        return CO_ANIMATOR
    if actor_role == CO_ANIMATOR and action in EXCLUSION:
        return STAFF
    return ""


def other_side(role: str) -> str:
    """Appeals go to the side that did not decide."""
    return CO_ANIMATOR if role == STAFF else STAFF


def access_target_residence(
    user: Any, target_type: str, target_id: int, residence_id: Any = None
) -> int:
    """The residence of something a moderator decides on without a report (the API's
    ``target``): a member target names it (``residence_id``); content must exist and, unless
    it already has a case or a decision, be visible to the moderator, as when opening a case
    from the page (a private message stays private: 404). Whether the user moderates that
    residence is checked next (``access_queue``)."""
    if target_type == registry.MEMBER_TARGET:
        if not isinstance(residence_id, int) or isinstance(residence_id, bool):
            raise ValidationError(_('A member target needs "residence_id".'), code="target")
        if not Residence.objects.filter(pk=residence_id).exists():
            raise Http404
        return residence_id
    kind = registry.get(target_type)
    if kind is None:
        raise ValidationError(_("This cannot be moderated."), code="target_type")
    found = kind.load([target_id]).get(target_id)
    if found is None:
        raise Http404
    known = (
        Case.objects.filter(target_type=target_type, target_id=target_id).exists()
        or Decision.objects.filter(target_type=target_type, target_id=target_id).exists()
    )
    if not known:
        kind.find(user, target_id)  # Http404 unless they may see it
    return found.residence_id
