"""Never money: shared by the forms, the API and the actions."""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Accents are removed and text lower-cased before matching.
_MONEY = re.compile(
    r"€|\$|£|\beuros?\b|\d+\s*eur\b|\bpayante?s?\b|\bprix\b|\btarifs?\b|remuner|paiement"
)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def asks_for_money(text: str) -> bool:
    return bool(_MONEY.search(_fold(text or "")))


def refuse_money(*texts: str) -> None:
    """Raise a ValidationError (code ``money``) if any text asks for payment."""
    if any(asks_for_money(text) for text in texts):
        raise ValidationError(
            _(
                "Voisinage is for free services between neighbours: no price, no payment, "
                "no money. Remove any mention of a price or payment, then try again."
            ),
            code="money",
        )
