"""Who may see and do what with help requests. Not visible → 404, visible but not allowed → 403.

Members of the residence (residents, co-animators, staff) see help requests and post them;
partners and outsiders do not see them (404), and partners cannot post (403). The senior's
phone is shown only to the senior, the person who posted, the volunteer who took the request
and the moderators (co-animators, staff) of the residence. Posting on behalf of someone and
the list of unanswered requests: moderators, and a registered helper (aidant) for the seniors
who agreed (a current consent: not expired, not revoked), who then acts for them on their
requests like the senior. Regular visits are seen by their senior, volunteer, the senior's
aidants and the moderators.

Heatwave plan (plan canicule): only landlord staff start and stop it (co-animators and residents
403). A senior joins or leaves the heatwave register themselves; a moderator or their registered
helper may do it for them. Every member may open the day's call list and sees the calls they
may see (moderators: all; a volunteer: the calls assigned to them). A call is recorded by its
volunteer or a moderator (other members 403). The senior's phone on the register is seen only
by the senior, their helpers, the volunteer assigned to call them that day and the moderators.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from apps.residences import access as residence_access
from apps.seniors.models import (
    Consent,
    ConsentScope,
    HeatwaveCall,
    HelpRequest,
    RegularVisit,
)


def current_aidant_consents(residence_id: int) -> QuerySet[Consent]:
    """Standing consents of a residence that still hold: not revoked, not expired."""
    return Consent.objects.filter(
        residence_id=residence_id, scope=ConsentScope.AIDANT, revoked_at__isnull=True
    ).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate()))


def seniors_helped_by(user_id: int, residence_id: int) -> set[int]:
    """The seniors of the residence for whom this member is a registered helper (one query)."""
    return set(
        current_aidant_consents(residence_id)
        .filter(given_to_id=user_id)
        .values_list("senior_id", flat=True)
    )


def acts_for(user_id: int, senior_id: int, residence_id: int) -> bool:
    """The senior themselves, or a registered helper with their current consent (one query,
    none for the senior). The one rule for "may act like the senior"."""
    if user_id == senior_id:
        return True
    return (
        current_aidant_consents(residence_id)
        .filter(given_to_id=user_id, senior_id=senior_id)
        .exists()
    )


@dataclass(frozen=True)
class HelpRequestAccess:
    help_request: HelpRequest
    here: residence_access.ResidenceAccess
    user_id: int
    is_aidant: bool = False

    @property
    def is_requester(self) -> bool:
        """The senior, the person who posted on their behalf, or their registered helper."""
        hr = self.help_request
        return self.is_aidant or self.user_id in (hr.senior_id, hr.posted_by_id)

    @property
    def is_volunteer(self) -> bool:
        return self.help_request.volunteer_id == self.user_id

    @property
    def can_see_contact(self) -> bool:
        return self.is_requester or self.is_volunteer or self.here.can_moderate


def access_help_requests(
    user: Any, residence_id: int, *, for_write: bool = False
) -> residence_access.ResidenceAccess:
    """The help requests of a residence: its members (partners 404 reading, 403 posting)."""
    here = residence_access.access_residence(user, residence_id)
    if not here.is_member:
        if for_write:
            raise PermissionDenied
        raise Http404
    return here


def access_help_moderation(user: Any, residence_id: int) -> residence_access.ResidenceAccess:
    """Unanswered requests, assigning a volunteer, posting on behalf: moderators."""
    here = access_help_requests(user, residence_id, for_write=True)
    if not here.can_moderate:
        raise PermissionDenied
    return here


def access_help_request(user: Any, help_request_id: int) -> HelpRequestAccess:
    """One help request, for the members of its residence."""
    if not user.is_authenticated:
        raise Http404
    help_request = (
        HelpRequest.objects.select_related("senior", "posted_by", "volunteer", "residence")
        .filter(pk=help_request_id)
        .first()
    )
    if help_request is None:
        raise Http404
    here = access_help_requests(user, help_request.residence_id)
    is_aidant = user.pk not in (help_request.senior_id, help_request.posted_by_id) and acts_for(
        user.pk, help_request.senior_id, help_request.residence_id
    )
    # Held or hidden by moderation: only the senior, who posted it and their helpers see it.
    requester = user.pk in (help_request.senior_id, help_request.posted_by_id)
    if help_request.moderation and not is_aidant and not requester:
        raise Http404
    return HelpRequestAccess(help_request, here, user.pk, is_aidant)


def access_on_behalf(
    user: Any, residence_id: int
) -> tuple[residence_access.ResidenceAccess, set[int] | None]:
    """Asking for someone else: moderators (for any member: ``None``) and registered helpers
    (for the seniors who agreed: their ids). Anyone else: 403."""
    here = access_help_requests(user, residence_id, for_write=True)
    if here.can_moderate:
        return here, None
    seniors = seniors_helped_by(user.pk, residence_id)
    if not seniors:
        raise PermissionDenied
    return here, seniors


def access_consent(user: Any, consent_id: int) -> tuple[residence_access.ResidenceAccess, Consent]:
    """A registered helper's consent: seen by the senior, the helper and the moderators
    (others: 404)."""
    if not user.is_authenticated:
        raise Http404
    consent = (
        Consent.objects.select_related("senior", "given_to")
        .filter(pk=consent_id, scope=ConsentScope.AIDANT)
        .first()
    )
    if consent is None:
        raise Http404
    here = access_help_requests(user, consent.residence_id)
    if not here.can_moderate and user.pk not in (consent.senior_id, consent.given_to_id):
        raise Http404
    return here, consent


@dataclass(frozen=True)
class RegularVisitAccess:
    plan: RegularVisit
    here: residence_access.ResidenceAccess
    user_id: int
    is_aidant: bool

    @property
    def is_party(self) -> bool:
        """The senior, the volunteer or the senior's registered helper: mark done, stop."""
        return self.is_aidant or self.user_id in (self.plan.senior_id, self.plan.volunteer_id)


def access_regular_visit(user: Any, plan_id: int) -> RegularVisitAccess:
    """A regular call or visit: its senior, volunteer, the senior's helpers and the moderators
    see it; other members and outsiders get 404."""
    if not user.is_authenticated:
        raise Http404
    plan = (
        RegularVisit.objects.select_related("senior", "volunteer", "residence")
        .filter(pk=plan_id)
        .first()
    )
    if plan is None:
        raise Http404
    here = access_help_requests(user, plan.residence_id)
    is_aidant = user.pk not in (plan.senior_id, plan.volunteer_id) and acts_for(
        user.pk, plan.senior_id, plan.residence_id
    )
    visible = is_aidant or here.can_moderate or user.pk in (plan.senior_id, plan.volunteer_id)
    if not visible:
        raise Http404
    return RegularVisitAccess(plan, here, user.pk, is_aidant)


# --- heatwave plan ---------------------------------------------------------------------------


def access_heatwave_mode(user: Any, residence_id: int) -> residence_access.ResidenceAccess:
    """Starting and stopping the heatwave mode: landlord staff only (co-animators and residents
    403; partners and outsiders 404)."""
    here = access_help_requests(user, residence_id)
    if not here.is_staff:
        raise PermissionDenied
    return here


def access_heatwave_register(
    user: Any, residence_id: int, senior_id: int | None = None
) -> tuple[residence_access.ResidenceAccess, int]:
    """Joining or leaving the heatwave register: the senior themselves; for someone else
    (``senior_id``) a moderator or the senior's registered helper (others 403). Returns the
    residence and the senior's id."""
    here = access_help_requests(user, residence_id, for_write=True)
    senior = user.pk if senior_id is None else senior_id
    if senior != user.pk and not here.can_moderate and not acts_for(user.pk, senior, residence_id):
        raise PermissionDenied
    return here, senior


def access_call_list(user: Any, residence_id: int) -> residence_access.ResidenceAccess:
    """The day's call list: members (each sees the calls they may, see
    ``selectors.calls_of_day``); partners and outsiders 404."""
    return access_help_requests(user, residence_id)


@dataclass(frozen=True)
class HeatwaveCallAccess:
    call: HeatwaveCall
    here: residence_access.ResidenceAccess
    user_id: int


def access_heatwave_call(user: Any, call_id: int) -> HeatwaveCallAccess:
    """One line of a call list: recorded by the volunteer it is assigned to and by moderators;
    other members 403; partners and outsiders 404."""
    if not user.is_authenticated:
        raise Http404
    call = (
        HeatwaveCall.objects.select_related("registration__senior", "volunteer", "heatwave")
        .filter(pk=call_id)
        .first()
    )
    if call is None:
        raise Http404
    here = access_help_requests(user, call.residence_id)
    if not here.can_moderate and call.volunteer_id != user.pk:
        raise PermissionDenied
    return HeatwaveCallAccess(call, here, user.pk)
