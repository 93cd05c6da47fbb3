"""Who sees the participation indicators: co-animators their own residence, landlord staff
every residence of their landlord (DESIGN §4). Nobody else; residents never."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from apps.residences import access as residence_access
from apps.residences.access import ResidenceAccess
from apps.residences.models import Landlord


def access_residence_indicators(user: Any, residence_id: int) -> ResidenceAccess:
    """Not visible: 404; visible but neither co-animator nor staff: 403 with the reason."""
    here = residence_access.access_residence(user, residence_id)
    if not here.can_moderate:
        raise PermissionDenied(
            _("The indicators of a residence are for its co-animators and the landlord's staff.")
        )
    return here


def access_dwellings(user: Any, residence_id: int) -> ResidenceAccess:
    """Declaring the number of dwellings: the landlord's staff (co-animators see it, 403)."""
    here = access_residence_indicators(user, residence_id)
    if not here.is_staff:
        raise PermissionDenied(_("The landlord's staff declare the number of dwellings."))
    return here


def access_landlord_indicators(user: Any, landlord_id: int) -> Landlord:
    """Staff of the landlord. Someone who sees one of its residences (a member, an accredited
    partner) knows the landlord: 403 with the reason; anybody else 404."""
    if not user.is_authenticated:
        raise Http404
    if landlord_id in residence_access.staff_landlord_ids(user):
        return Landlord.objects.get(pk=landlord_id)
    if any(
        here.residence.landlord_id == landlord_id
        for here in residence_access.visible_residences(user)
    ):
        raise PermissionDenied(_("The indicators of all residences are for the landlord's staff."))
    raise Http404


def indicator_residences(user: Any) -> list[ResidenceAccess]:
    """The residences whose indicators ``user`` may see (for the index page)."""
    return [here for here in residence_access.visible_residences(user) if here.can_moderate]


def indicator_landlords(user: Any) -> list[Landlord]:
    """The landlords whose indicators ``user`` may see: those they work for."""
    ids = residence_access.staff_landlord_ids(user)
    return list(Landlord.objects.filter(pk__in=ids).order_by("name"))
