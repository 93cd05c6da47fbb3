"""The participation indicators: what each figure is, how it combines over days and residences,
how it is computed (shown beside every figure) and which people it is computed over (the
"< 5" privacy rule).

Kinds, by how a figure for a period is made from its daily cells:

- ``COUNT``: things that happened on a day (sum over days and residences);
- ``PEOPLE``: distinct people on a day (union of the people over days and residences);
- ``STATE``: the state at the end of a day (the period shows the last day; residences add up);
- ``MEDIAN``: durations in hours (all durations of the period, pooled, then the median);
- ``RATIO``: a percentage of two other figures of the period.

Privacy (``base``): a figure computed over fewer than ``PRIVACY_THRESHOLD`` people shows "< 5".
``"who"``: the distinct people behind the figure (authors, seniors, reporters…);
``"value"``: the figure itself counts people; ``None``: the figure is not about residents
(notices the landlord published, decisions waiting for a second moderator)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PRIVACY_THRESHOLD = 5


class Kind(StrEnum):
    COUNT = "count"
    PEOPLE = "people"
    STATE = "state"
    MEDIAN = "median"
    RATIO = "ratio"


@dataclass(frozen=True)
class Metric:
    key: str
    section: str
    label: Promise
    how: Promise
    kind: Kind
    base: str | None = "who"  # "who", "value" or None (see the module's docstring)
    ratio: tuple[str, str] | None = None  # numerator, denominator (RATIO only)
    unit: str = ""  # "%" or "h"


SECTIONS: dict[str, Promise] = {
    "members": _("Members"),
    "exchanges": _("Exchanges of services"),
    "help": _("Help for seniors"),
    "events": _("Events"),
    "initiatives": _("Initiatives"),
    "messages": _("Messages"),
    "notices": _("Official notices"),
    "moderation": _("Moderation"),
}

METRICS: tuple[Metric, ...] = (
    Metric(
        "members",
        "members",
        _("Members"),
        _(
            "Residents and co-animators whose membership was approved and who had not been "
            "removed, at the end of the period (suspended members included)."
        ),
        Kind.STATE,
        base="value",
    ),
    Metric(
        "members_new",
        "members",
        _("New members"),
        _("Join requests approved during the period."),
        Kind.COUNT,
    ),
    Metric(
        "members_pending",
        "members",
        _("Waiting for approval"),
        _("Join requests sent and not yet answered at the end of the period."),
        Kind.STATE,
        base="value",
    ),
    Metric(
        "members_departed",
        "members",
        _("Departed members"),
        _("Members removed from the residence during the period."),
        Kind.COUNT,
    ),
    Metric(
        "households_reached",
        "members",
        _("Share of households reached"),
        _(
            "Members at the end of the period divided by the number of dwellings the landlord "
            "declared for the residence (residences without a declared number are left out)."
        ),
        Kind.RATIO,
        ratio=("members_housed", "dwellings"),
        unit="%",
    ),
    Metric(
        "active_members",
        "members",
        _("Active members"),
        _(
            "Distinct members who did something during the period: posted or answered an "
            "exchange, asked for or gave help, checked in, sent a message, posted, commented, "
            "reacted, signed up for an event, voted or booked a room. Reading does not count."
        ),
        Kind.PEOPLE,
    ),
    Metric(
        "sign_ins",
        "members",
        _("Sign-ins"),
        _("Times members signed in during the period (a remembered session is not a sign-in)."),
        Kind.COUNT,
    ),
    Metric(
        "connected",
        "members",
        _("Connected members"),
        _(
            "Distinct members who used Voisinage at least once during the period, signed in or "
            "with a remembered session. The chart shows them per day, week or month."
        ),
        Kind.PEOPLE,
    ),
    Metric(
        "exchanges_posted",
        "exchanges",
        _("Exchanges posted"),
        _("Offers and requests of services posted during the period (hidden ones left out)."),
        Kind.COUNT,
    ),
    Metric(
        "exchanges_in_progress",
        "exchanges",
        _("Exchanges in progress"),
        _(
            "Exchanges with an accepted neighbour, not yet done or cancelled at the end of "
            "the period."
        ),
        Kind.STATE,
    ),
    Metric(
        "exchanges_done",
        "exchanges",
        _("Exchanges done"),
        _("Exchanges marked done during the period."),
        Kind.COUNT,
    ),
    Metric(
        "first_response",
        "exchanges",
        _("Median time to a first answer"),
        _(
            "For the exchanges that got their first answer from a neighbour during the period: "
            "the median time between posting and that answer, in hours."
        ),
        Kind.MEDIAN,
        unit="h",
    ),
    Metric(
        "help_posted",
        "help",
        _("Help requests"),
        _("Help requests posted by or for seniors during the period."),
        Kind.COUNT,
    ),
    Metric(
        "help_taken",
        "help",
        _("Help requests taken"),
        _("Help requests a volunteer took during the period."),
        Kind.COUNT,
    ),
    Metric(
        "help_done",
        "help",
        _("Help requests completed"),
        _("Help requests marked done during the period."),
        Kind.COUNT,
    ),
    Metric(
        "time_to_take",
        "help",
        _("Median time to find a volunteer"),
        _(
            "For the help requests taken during the period: the median time between the "
            "request and a volunteer taking it, in hours."
        ),
        Kind.MEDIAN,
        unit="h",
    ),
    Metric(
        "seniors_helped",
        "help",
        _("Seniors helped"),
        _("Distinct seniors with a help request completed during the period."),
        Kind.PEOPLE,
    ),
    Metric(
        "check_ins",
        "help",
        _("Daily check-ins"),
        _("“I'm fine” check-ins recorded during the period."),
        Kind.COUNT,
    ),
    Metric(
        "events_held",
        "events",
        _("Events"),
        _("Events that took place during the period (cancelled ones left out)."),
        Kind.COUNT,
        base=None,
    ),
    Metric(
        "event_participants",
        "events",
        _("Event participants"),
        _("Places taken at those events (the waiting list left out)."),
        Kind.COUNT,
    ),
    Metric(
        "initiatives_proposed",
        "initiatives",
        _("Initiatives proposed"),
        _("Initiatives published during the period."),
        Kind.COUNT,
    ),
    Metric(
        "initiatives_idea",
        "initiatives",
        _("Initiatives at the idea stage"),
        _(
            "Initiatives at the idea stage at the end of the period (recorded each night; "
            "days before the first record use today's stage)."
        ),
        Kind.STATE,
    ),
    Metric(
        "initiatives_preparing",
        "initiatives",
        _("Initiatives being prepared"),
        _(
            "Initiatives being prepared at the end of the period (recorded each night; "
            "days before the first record use today's stage)."
        ),
        Kind.STATE,
    ),
    Metric(
        "initiatives_ongoing",
        "initiatives",
        _("Initiatives under way"),
        _(
            "Initiatives under way at the end of the period (recorded each night; days "
            "before the first record use today's stage)."
        ),
        Kind.STATE,
    ),
    Metric(
        "initiatives_done",
        "initiatives",
        _("Initiatives carried out"),
        _("Initiatives whose outcome was reported during the period."),
        Kind.COUNT,
    ),
    Metric(
        "initiative_participants",
        "initiatives",
        _("Initiative participants"),
        _("Distinct members who joined an initiative (“I take part”) during the period."),
        Kind.PEOPLE,
    ),
    Metric(
        "messages_sent",
        "messages",
        _("Messages sent"),
        _(
            "Messages sent in the residence's rooms and private conversations during the "
            "period. They are counted, never read."
        ),
        Kind.COUNT,
    ),
    Metric(
        "notices_published",
        "notices",
        _("Notices published"),
        _("Official notices the landlord published during the period."),
        Kind.COUNT,
        base=None,
    ),
    Metric(
        "notice_read_rate",
        "notices",
        _("Notice read rate"),
        _(
            "Readers of the notices published during the period divided by the members each "
            "could reach (members on its publication day); reads within 31 days are counted."
        ),
        Kind.RATIO,
        ratio=("notice_reads", "notice_audience"),
        unit="%",
    ),
    Metric(
        "reports_received",
        "moderation",
        _("Reports received"),
        _("Reports of content or members sent during the period."),
        Kind.COUNT,
    ),
    Metric(
        "reports_handled",
        "moderation",
        _("Reports handled"),
        _("Reports whose case a moderator closed during the period."),
        Kind.COUNT,
    ),
    Metric(
        "handling_time",
        "moderation",
        _("Median handling time"),
        _(
            "For the reports handled during the period: the median time between the report "
            "and the moderators' decision, in hours."
        ),
        Kind.MEDIAN,
        unit="h",
    ),
    Metric(
        "two_key_pending",
        "moderation",
        _("Decisions waiting for a second moderator"),
        _(
            "Two-key decisions (staff and co-animator must agree) still waiting at the end of "
            "the period."
        ),
        Kind.STATE,
        base=None,
    ),
)

# Inputs of ratios, stored per day but not shown on their own.
HIDDEN: dict[str, tuple[Kind, str | None]] = {
    "members_housed": (Kind.STATE, "value"),  # members of residences with dwellings declared
    "dwellings": (Kind.STATE, None),
    "notice_reads": (Kind.COUNT, "who"),
    "notice_audience": (Kind.COUNT, None),
}

BY_KEY: dict[str, Metric] = {metric.key: metric for metric in METRICS}

# The columns of the landlord's table of residences (all figures are in the CSV).
TABLE_KEYS: tuple[str, ...] = (
    "members",
    "households_reached",
    "active_members",
    "connected",
    "sign_ins",
    "exchanges_posted",
    "exchanges_done",
    "help_posted",
    "help_done",
    "events_held",
    "messages_sent",
    "reports_received",
)


def kind_of(key: str) -> Kind:
    if key in BY_KEY:
        return BY_KEY[key].kind
    return HIDDEN[key][0]


def base_of(key: str) -> str | None:
    if key in BY_KEY:
        return BY_KEY[key].base
    return HIDDEN[key][1]
