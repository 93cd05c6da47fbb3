"""Writes about a person's own account."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import ApiToken, SignIn, User, Visit

PROFILE_FIELDS = [
    "first_name",
    "last_name",
    "bio",
    "skills",
    "languages",
    "phone",
    "show_phone",
    "is_senior",
]
SETTINGS_FIELDS = ["large_text", "share_read_receipts"]  # emails: apps.notifications preferences


@transaction.atomic
def update_profile(user: User, **values: Any) -> User:
    return _update(user, PROFILE_FIELDS, values)


@transaction.atomic
def update_settings(user: User, **values: Any) -> User:
    return _update(user, SETTINGS_FIELDS, values)


def _update(user: User, allowed: list[str], values: dict[str, Any]) -> User:
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    for name, value in values.items():
        setattr(user, name, value)
    user.full_clean(exclude=[f for f in ("password",) if f not in values])
    user.save(update_fields=list(values))
    return user


@transaction.atomic
def create_api_token(user: User, *, name: str) -> tuple[ApiToken, str]:
    """Create a token; the raw value is returned once and never stored."""
    raw = ApiToken.generate()
    token = ApiToken.objects.create(
        user=user, name=name.strip(), digest=ApiToken.hash(raw), prefix=raw[4:12]
    )
    return token, raw


@transaction.atomic
def revoke_api_token(user: User, token_id: int) -> bool:
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return deleted > 0


def record_sign_in(user: Any) -> datetime.date:
    """Count a sign-in (and today's visit) for the participation indicators; returns the day."""
    SignIn.objects.create(user_id=user.pk)
    today = timezone.localdate()
    record_visit(user, today)
    return today


def record_visit(user: Any, day: datetime.date) -> None:
    """Note that ``user`` used Voisinage on ``day`` (once per person and day)."""
    Visit.objects.bulk_create([Visit(user_id=user.pk, day=day)], ignore_conflicts=True)
