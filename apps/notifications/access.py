"""Who may act on which notifications.

Notifications are only ever reached through their owner (``user_id`` filters in selectors and
actions), so the one helper here is for the unsubscribe links of emails: the signed token is
the credential, no sign-in needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core import signing

from apps.accounts.models import User
from apps.notifications.models import Kind

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
# The scope of a digest's unsubscribe link: every kind the person gets as a daily digest.
DIGEST_SCOPE = "digest"


class InvalidToken(Exception):
    """The unsubscribe link was altered, truncated or names no account."""


@dataclass(frozen=True)
class Unsubscribe:
    user: User
    scope: str  # a Kind value, or DIGEST_SCOPE


def unsubscribe_token(user_id: int, scope: str) -> str:
    """A token for /notifications/unsubscribe/<token>/. It does not expire: links in old emails
    keep working (until SECRET_KEY changes)."""
    if scope != DIGEST_SCOPE and scope not in Kind.values:
        raise ValueError(f"unknown unsubscribe scope: {scope!r}")
    return signing.dumps([user_id, scope], salt=UNSUBSCRIBE_SALT)


def access_unsubscribe(token: str) -> Unsubscribe:
    """The person and the kind a token designates, or ``InvalidToken``."""
    try:
        value: Any = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise InvalidToken from None
    if not (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], int)
        and (value[1] == DIGEST_SCOPE or value[1] in Kind.values)
    ):
        raise InvalidToken
    user = User.objects.filter(pk=value[0], is_active=True).first()
    if user is None:
        raise InvalidToken
    return Unsubscribe(user=user, scope=value[1])
