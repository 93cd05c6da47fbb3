"""Who may see and do what with help requests. Not visible → 404, visible but not allowed → 403.

Members of the residence (residents, co-animators, staff) see help requests and post them;
partners and outsiders do not see them (404), and partners cannot post (403). The senior's
phone is shown only to the senior, the person who posted, the volunteer who took the request
and the moderators (co-animators, staff) of the residence. Posting on behalf of someone and
the list of unanswered requests: moderators only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from apps.residences import access as residence_access
from apps.seniors.models import HelpRequest


@dataclass(frozen=True)
class HelpRequestAccess:
    help_request: HelpRequest
    here: residence_access.ResidenceAccess
    user_id: int

    @property
    def is_requester(self) -> bool:
        """The senior, or the person who posted on their behalf."""
        hr = self.help_request
        return self.user_id in (hr.senior_id, hr.posted_by_id)

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
    return HelpRequestAccess(help_request, here, user.pk)
