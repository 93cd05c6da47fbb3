"""Writes about residences and membership. Each runs in one transaction, writes an audit row
and publishes its live events on commit."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.realtime import groups
from apps.realtime.events import publish_on_commit
from apps.residences.models import (
    Accreditation,
    AuditEntry,
    Entrance,
    Landlord,
    Membership,
    PartnerOrganisation,
    Residence,
    Role,
    Status,
    new_invitation_code,
)


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _audit(residence: Residence, actor: Any, verb: str, **detail: Any) -> None:
    AuditEntry.objects.create(residence=residence, actor=actor, verb=verb, detail=detail)


def _request_event(membership: Membership) -> dict[str, Any]:
    return {
        "membership_id": membership.pk,
        "residence_id": membership.residence_id,
        "status": membership.status,
    }


@transaction.atomic
def request_join(user: Any, code: str, *, charter_accepted: bool, message: str = "") -> Membership:
    """Ask to join the residence whose invitation code is ``code``; waits for approval."""
    if not charter_accepted:
        raise ValidationError(
            _("Please accept the residence charter to join."), code="charter_required"
        )
    residence = Residence.objects.filter(invitation_code=normalise_code(code)).first()
    if residence is None:
        raise ValidationError(
            _("This code matches no residence. Check it on the flyer or ask your co-animators."),
            code="unknown_code",
        )
    membership = (
        Membership.objects.select_for_update().filter(user_id=user.pk, residence=residence).first()
    )
    if membership is not None and membership.status in {Status.ACTIVE, Status.PENDING}:
        raise ValidationError(
            _("You are already a member of %(residence)s or your request is waiting.")
            % {"residence": residence.name},
            code="already_member",
        )
    if membership is not None and membership.status == Status.SUSPENDED:
        raise ValidationError(
            _("Your membership of %(residence)s is suspended; contact the co-animators.")
            % {"residence": residence.name},
            code="suspended",
        )
    now = timezone.now()
    if membership is None:
        membership = Membership(user_id=user.pk, residence=residence, role=Role.RESIDENT)
    membership.status = Status.PENDING
    membership.charter_accepted_at = now
    membership.message = message.strip()[:300]
    membership.requested_at = now
    membership.decided_at = None
    membership.decided_by = None
    membership.left_at = None
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:
        raise ValidationError(
            _("Your request is already waiting."), code="already_member"
        ) from None
    _audit(residence, user, "join.requested", membership=membership.pk)
    publish_on_commit(
        groups.moderators(residence.pk), "membership.requested", _request_event(membership)
    )
    return membership


def _decide(actor: Any, membership: Membership, status: str, verb: str) -> Membership:
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=membership.pk)
    )
    if membership.status != Status.PENDING:
        raise ValidationError(_("This request has already been handled."), code="already_decided")
    membership.status = status
    membership.decided_at = timezone.now()
    membership.decided_by = actor
    membership.save(update_fields=["status", "decided_at", "decided_by"])
    residence = Residence.objects.get(pk=membership.residence_id)
    _audit(residence, actor, verb, membership=membership.pk, user=membership.user_id)
    event = _request_event(membership)
    publish_on_commit(groups.moderators(residence.pk), "membership.decided", event)
    publish_on_commit(
        groups.user(membership.user_id),
        "membership.approved" if status == Status.ACTIVE else "membership.declined",
        {**event, "residence_name": residence.name},
        regroup=True,
    )
    return membership


@transaction.atomic
def approve_join(actor: Any, membership: Membership) -> Membership:
    return _decide(actor, membership, Status.ACTIVE, "join.approved")


@transaction.atomic
def decline_join(actor: Any, membership: Membership) -> Membership:
    return _decide(actor, membership, Status.DECLINED, "join.declined")


@transaction.atomic
def set_standing(actor: Any, residence_id: int, user_id: int, status: str, *, verb: str) -> bool:
    """Moderation suspends a member, lifts a suspension or removes a member: the membership's
    status changes (active ↔ suspended, or left) and the person's sockets regroup at once.
    Returns whether something changed (no membership, or already so: nothing)."""
    if status not in (Status.ACTIVE, Status.SUSPENDED, Status.LEFT):
        raise ValueError(status)
    membership = (
        Membership.objects.select_for_update()
        .filter(residence_id=residence_id, user_id=user_id)
        .exclude(status__in=[Status.PENDING, Status.DECLINED])
        .first()
    )
    if membership is None or membership.status == status:
        return False
    before = membership.status
    membership.status = status
    membership.left_at = timezone.now() if status == Status.LEFT else None
    membership.save(update_fields=["status", "left_at"])
    residence = Residence.objects.get(pk=residence_id)
    _audit(residence, actor, verb, membership=membership.pk, before=before, after=status)
    publish_on_commit(
        groups.user(user_id),
        "membership.changed",
        {"membership_id": membership.pk, "residence_id": residence_id, "status": status},
        regroup=True,
    )
    return True


@transaction.atomic
def set_profile_hidden(membership_id: int, hidden: bool) -> None:
    """Moderation hides (or shows again) a member's profile as seen in one residence: the
    members' open pages update."""
    membership = Membership.objects.select_for_update().filter(pk=membership_id).first()
    if membership is None:
        return
    membership.profile_hidden = hidden
    membership.save(update_fields=["profile_hidden"])
    publish_on_commit(
        groups.members(membership.residence_id),
        "profile.updated",
        {"residence_id": membership.residence_id, "user_id": membership.user_id},
    )


@transaction.atomic
def set_dwellings(actor: Any, residence: Residence, dwellings: int | None) -> None:
    """Landlord staff declare how many dwellings (households) the residence has."""
    if dwellings is not None and dwellings < 1:
        raise ValidationError(_("A residence has at least one dwelling."), code="invalid")
    before = residence.dwellings
    residence.dwellings = dwellings
    residence.save(update_fields=["dwellings"])
    _audit(residence, actor, "residence.dwellings", before=before, after=dwellings)


CHARTER_MAX_LENGTH = 10_000


@transaction.atomic
def set_charter(actor: Any, residence: Residence, text: str) -> None:
    """The co-animators adapt the residence's charter (empty: back to the landlord's)."""
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) > CHARTER_MAX_LENGTH:
        raise ValidationError(_("This text is too long."), code="too_long")
    residence = Residence.objects.select_for_update().get(pk=residence.pk)
    if residence.charter == text:
        return
    residence.charter = text
    residence.save(update_fields=["charter"])
    _audit(residence, actor, "charter.updated", length=len(text))


@transaction.atomic
def regenerate_code(actor: Any, residence: Residence) -> str:
    residence = Residence.objects.select_for_update().get(pk=residence.pk)
    old = residence.invitation_code
    residence.invitation_code = new_invitation_code()
    residence.save(update_fields=["invitation_code"])
    _audit(residence, actor, "code.regenerated", previous=old[:2] + "…")
    return residence.invitation_code


@transaction.atomic
def create_residence(
    actor: Any,
    landlord: Landlord,
    *,
    name: str,
    address: str,
    postcode: str,
    city: str,
    entrances: list[str],
    dwellings: int | None = None,
) -> Residence:
    if Residence.objects.filter(landlord=landlord, name__iexact=name.strip()).exists():
        raise ValidationError(
            _("%(landlord)s already has a residence called %(name)s.")
            % {"landlord": landlord.name, "name": name.strip()},
            code="duplicate_name",
        )
    residence = Residence.objects.create(
        landlord=landlord,
        name=name.strip(),
        address=address.strip(),
        postcode=postcode.strip(),
        city=city.strip(),
        dwellings=dwellings,
    )
    Entrance.objects.bulk_create(
        [
            Entrance(residence=residence, name=n)
            for n in dict.fromkeys(e.strip() for e in entrances)
            if n
        ]
    )
    _audit(residence, actor, "residence.created")
    return residence


def _set_role(actor: Any, membership: Membership, role: str, verb: str) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != Status.ACTIVE:
        raise ValidationError(_("Only active members can be appointed."), code="not_active")
    if membership.role == role:
        return membership
    membership.role = role
    membership.save(update_fields=["role"])
    residence = Residence.objects.get(pk=membership.residence_id)
    _audit(residence, actor, verb, membership=membership.pk, user=membership.user_id)
    publish_on_commit(
        groups.user(membership.user_id),
        "membership.role_changed",
        {"residence_id": residence.pk, "role": role},
        regroup=True,
    )
    return membership


@transaction.atomic
def appoint_co_animator(actor: Any, membership: Membership) -> Membership:
    if membership.role not in {Role.RESIDENT, Role.CO_ANIMATOR}:
        raise ValidationError(_("Only residents can become co-animators."), code="wrong_role")
    return _set_role(actor, membership, Role.CO_ANIMATOR, "co_animator.appointed")


@transaction.atomic
def revoke_co_animator(actor: Any, membership: Membership) -> Membership:
    if membership.role != Role.CO_ANIMATOR:
        raise ValidationError(_("This member is not a co-animator."), code="wrong_role")
    return _set_role(actor, membership, Role.RESIDENT, "co_animator.revoked")


@transaction.atomic
def accredit_partner(
    actor: Any, residence: Residence, organisation: PartnerOrganisation
) -> Accreditation:
    accreditation, created = Accreditation.objects.get_or_create(
        organisation=organisation, residence=residence, defaults={"granted_by": actor}
    )
    if created:
        _audit(residence, actor, "partner.accredited", organisation=organisation.pk)
    return accreditation
