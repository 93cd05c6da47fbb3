"""Records that a signed-in person used Voisinage today (the indicators' "connected members per
day"), with one write per person and day: the session remembers the day already recorded."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from apps.accounts import actions

SESSION_KEY = "visit_recorded_on"


class VisitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            today = timezone.localdate()
            if request.session.get(SESSION_KEY) != today.isoformat():
                actions.record_visit(user, today)
                request.session[SESSION_KEY] = today.isoformat()
        return self.get_response(request)
