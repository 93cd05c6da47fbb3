"""Who may see and do what in a residence. The only place where role rules live.

``access_*`` helpers fetch and authorize in one call: not visible → 404 (existence is never
revealed), visible but not allowed → 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from apps.realtime import groups
from apps.residences.models import (
    Accreditation,
    LandlordStaff,
    Membership,
    Residence,
    Role,
    Status,
)

MODERATOR_ROLES = frozenset({Role.CO_ANIMATOR, Role.STAFF})
MEMBER_ROLES = frozenset({Role.RESIDENT, Role.CO_ANIMATOR, Role.STAFF})


@dataclass(frozen=True)
class ResidenceAccess:
    """A residence as seen by one user, with that user's effective role in it."""

    residence: Residence
    role: str
    membership_id: int | None

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)

    @property
    def is_member(self) -> bool:
        """Residents, co-animators and staff: see members and post."""
        return self.role in MEMBER_ROLES

    @property
    def can_moderate(self) -> bool:
        """Approve join requests, regenerate the code, moderate."""
        return self.role in MODERATOR_ROLES

    @property
    def is_staff(self) -> bool:
        return self.role == Role.STAFF


def _residences_with_role(user: Any) -> QuerySet[Residence]:
    """Residences annotated with the user's role: active membership, landlord staff, partner."""
    active = Membership.objects.filter(
        residence=OuterRef("pk"), user_id=user.pk, status=Status.ACTIVE
    )
    return Residence.objects.select_related("landlord").annotate(
        membership_role=Subquery(active.values("role")[:1]),
        membership_pk=Subquery(active.values("pk")[:1]),
        landlord_staff=Exists(
            LandlordStaff.objects.filter(landlord=OuterRef("landlord_id"), user_id=user.pk)
        ),
        accredited_partner=Exists(
            Accreditation.objects.filter(
                residence=OuterRef("pk"), organisation__members__id=user.pk
            )
        ),
    )


def _effective_role(residence: Any) -> str | None:
    if residence.landlord_staff:
        return Role.STAFF
    if residence.membership_role:
        return str(residence.membership_role)
    if residence.accredited_partner:
        return Role.PARTNER
    return None


def visible_residences(user: Any) -> list[ResidenceAccess]:
    """Every residence the user belongs to, with the role, in one query."""
    if not user.is_authenticated:
        return []
    rows = (
        _residences_with_role(user)
        .filter(
            Q(memberships__user_id=user.pk, memberships__status=Status.ACTIVE)
            | Q(landlord__staff__user_id=user.pk)
            | Q(accreditations__organisation__members__id=user.pk)
        )
        .distinct()
    )
    result = []
    for residence in rows:
        role = _effective_role(residence)
        if role is not None:
            result.append(
                ResidenceAccess(residence, role, getattr(residence, "membership_pk", None))
            )
    return result


def access_residence(user: Any, residence_id: int, *, for_write: bool = False) -> ResidenceAccess:
    """The residence shell: members, staff and accredited partners see it; others get 404.
    ``for_write`` (posting) is refused to partners with 403."""
    if not user.is_authenticated:
        raise Http404
    residence = _residences_with_role(user).filter(pk=residence_id).first()
    role = _effective_role(residence) if residence is not None else None
    if residence is None or role is None:
        raise Http404
    access = ResidenceAccess(residence, role, getattr(residence, "membership_pk", None))
    if for_write and not access.is_member:
        raise PermissionDenied
    return access


def member_residence_ids(user: Any) -> QuerySet[Residence, int]:
    """Ids of the residences where the user is a member (resident, co-animator, staff, or
    landlord staff): a lazy queryset, to be used as a subquery."""
    return (
        Residence.objects.filter(
            Q(
                memberships__user_id=user.pk,
                memberships__status=Status.ACTIVE,
                memberships__role__in=MEMBER_ROLES,
            )
            | Q(landlord__staff__user_id=user.pk)
        )
        .values_list("pk", flat=True)
        .distinct()
    )


def is_member(user: Any, residence_id: int) -> bool:
    """Whether the user is a member of the residence now (active resident, co-animator or
    staff, or the landlord's staff): one small query, for hot paths such as sending."""
    if not user.is_authenticated:
        return False
    return (
        Residence.objects.filter(pk=residence_id)
        .filter(
            Q(
                memberships__user_id=user.pk,
                memberships__status=Status.ACTIVE,
                memberships__role__in=MEMBER_ROLES,
            )
            | Q(landlord__staff__user_id=user.pk)
        )
        .exists()
    )


def role_in(user: Any, residence_id: int) -> str | None:
    """The user's effective role in a residence (None: not in it), in one query."""
    if not user.is_authenticated:
        return None
    residence = _residences_with_role(user).filter(pk=residence_id).first()
    return _effective_role(residence) if residence is not None else None


def moderator_ids(residence_id: int, role: str | None = None) -> set[int]:
    """Who moderates a residence (one query): its co-animators and staff members and its
    landlord's staff; ``role``: only the co-animators, or only the staff (the two keys)."""
    roles = MODERATOR_ROLES if role is None else {role}
    members = Membership.objects.filter(
        residence_id=residence_id, status=Status.ACTIVE, role__in=roles
    ).values_list("user_id", flat=True)
    if role == Role.CO_ANIMATOR:
        return set(members)
    staff = LandlordStaff.objects.filter(
        landlord_id__in=Residence.objects.filter(pk=residence_id).values("landlord_id")
    ).values_list("user_id", flat=True)
    return set(members.union(staff))


def active_member_ids(residence_id: int, user_ids: list[int]) -> set[int]:
    """Which of ``user_ids`` are active members (or staff) of the residence, in one query."""
    residence = Residence.objects.filter(pk=residence_id).values("landlord_id").first()
    if residence is None:
        return set()
    members = Membership.objects.filter(
        residence_id=residence_id,
        user_id__in=user_ids,
        status=Status.ACTIVE,
        role__in=MEMBER_ROLES,
    ).values_list("user_id", flat=True)
    staff = LandlordStaff.objects.filter(
        landlord_id=residence["landlord_id"], user_id__in=user_ids
    ).values_list("user_id", flat=True)
    return set(members.union(staff))


def access_members(user: Any, residence_id: int) -> ResidenceAccess:
    """The members directory: members only (partners get 403)."""
    access = access_residence(user, residence_id)
    if not access.is_member:
        raise PermissionDenied
    return access


def access_member_profile(
    user: Any, residence_id: int, member_user_id: int
) -> tuple[ResidenceAccess, Membership]:
    """A member's profile in the residence: for its members; someone who is not an active
    member there → 404."""
    here = access_members(user, residence_id)
    membership = (
        Membership.objects.select_related("user", "entrance")
        .filter(residence_id=residence_id, user_id=member_user_id, status=Status.ACTIVE)
        .first()
    )
    if membership is None:
        raise Http404
    return here, membership


def access_moderation(user: Any, residence_id: int) -> ResidenceAccess:
    """Join approvals and the invitation code: co-animators and staff."""
    access = access_residence(user, residence_id)
    if not access.can_moderate:
        raise PermissionDenied
    return access


def access_staff(user: Any, residence_id: int) -> ResidenceAccess:
    """Appointing co-animators, accrediting partners: the landlord's staff."""
    access = access_residence(user, residence_id)
    if not access.is_staff:
        raise PermissionDenied
    return access


def _membership_residence_id(membership_id: int) -> int:
    residence_id = (
        Membership.objects.filter(pk=membership_id).values_list("residence_id", flat=True).first()
    )
    if residence_id is None:
        raise Http404
    return residence_id


def access_join_request(user: Any, membership_id: int) -> tuple[ResidenceAccess, Membership]:
    """A join request of a residence, for a moderator of that residence."""
    access = access_moderation(user, _membership_residence_id(membership_id))
    return access, Membership.objects.select_related("user").get(pk=membership_id)


def access_member(user: Any, membership_id: int) -> tuple[ResidenceAccess, Membership]:
    """A member of a residence, for its landlord's staff (appointments)."""
    access = access_staff(user, _membership_residence_id(membership_id))
    return access, Membership.objects.select_related("user").get(pk=membership_id)


def staff_landlord_ids(user: Any) -> list[int]:
    if not user.is_authenticated:
        return []
    return list(LandlordStaff.objects.filter(user_id=user.pk).values_list("landlord_id", flat=True))


def access_landlord(user: Any, landlord_id: int) -> int:
    """Creating residences for a landlord: its staff only (others get 404)."""
    if landlord_id not in staff_landlord_ids(user):
        raise Http404
    return landlord_id


def socket_groups_for(user: Any) -> set[str]:
    """The residence groups a user's socket may join (registered with the realtime registry)."""
    names: set[str] = set()
    for access in visible_residences(user):
        names.add(groups.residence(access.residence.pk))
        if access.is_member:
            names.add(groups.members(access.residence.pk))
        if access.can_moderate:
            names.add(groups.moderators(access.residence.pk))
    return names
