"""Who may see and do what with service exchanges. Not visible → 404, visible but not
allowed → 403.

Members of the residence (residents, co-animators, staff) see and post; partners and
outsiders do not see them (404), and partners cannot post (403). Only the author changes an
exchange (edit, accept, cancel, reopen); the author or an accepted responder completes it.
An exchange held or hidden by moderation is seen by its author only (others: 404).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from apps.exchanges.models import Exchange
from apps.residences import access as residence_access


@dataclass(frozen=True)
class ExchangeAccess:
    exchange: Exchange
    here: residence_access.ResidenceAccess

    @property
    def is_author(self) -> bool:
        return self.exchange.author_id == self._user_id

    _user_id: int = 0


def access_exchanges(
    user: Any, residence_id: int, *, for_write: bool = False
) -> residence_access.ResidenceAccess:
    """The exchanges of a residence: its members. Partners get 404 when reading (they do not
    see residents' exchanges) and 403 when posting; outsiders 404."""
    here = residence_access.access_residence(user, residence_id)
    if not here.is_member:
        if for_write:
            raise PermissionDenied
        raise Http404
    return here


def access_exchange(user: Any, exchange_id: int, *, for_write: bool = False) -> ExchangeAccess:
    """One exchange, for the members of its residence; ``for_write``: its author only."""
    if not user.is_authenticated:
        raise Http404
    exchange = Exchange.objects.select_related("author", "residence").filter(pk=exchange_id).first()
    if exchange is None:
        raise Http404
    here = access_exchanges(user, exchange.residence_id)
    if not exchange.is_visible and exchange.author_id != user.pk:
        raise Http404
    if for_write and exchange.author_id != user.pk:
        raise PermissionDenied
    return ExchangeAccess(exchange, here, user.pk)
