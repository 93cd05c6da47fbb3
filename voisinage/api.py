"""The JSON API at /api/v1/ (django-ninja). Errors are JSON with a human-readable reason."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as SchemaError

from apps.accounts.api_auth import api_auth
from apps.community.api import router as community_router
from apps.events.api import router as events_router
from apps.exchanges.api import router as exchanges_router
from apps.insights.api import router as insights_router
from apps.messaging.actions import RateLimited
from apps.messaging.api import router as messaging_router
from apps.moderation.api import router as moderation_router
from apps.notifications.api import router as notifications_router
from apps.polls.api import router as polls_router
from apps.residences.api import router as residences_router
from apps.rooms.api import router as rooms_router
from apps.seniors.api import router as seniors_router

api = NinjaAPI(
    title="Voisinage API",
    version="1",
    auth=api_auth,
    urls_namespace="api",
    description="Session (with CSRF) for the browser; `Authorization: Bearer <token>` otherwise.",
)
api.add_router("/", residences_router)
api.add_router("/", notifications_router)
api.add_router("/", messaging_router)
api.add_router("/", exchanges_router)
api.add_router("/", seniors_router)
api.add_router("/", moderation_router)
api.add_router("/", community_router)
api.add_router("/", events_router)
api.add_router("/", polls_router)
api.add_router("/", rooms_router)
api.add_router("/", insights_router)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    """403 with the reason the refusal gave, or a general one."""
    reason = str(exc) or _("You are not allowed to do this.")
    return api.create_response(request, {"detail": reason}, status=403)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("Sign in or send a valid API token.")}, status=401
    )


@api.exception_handler(RateLimited)
def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = api.create_response(
        request, {"detail": " ".join(exc.messages), "code": exc.code}, status=429
    )
    response["Retry-After"] = "60"
    return response


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": " ".join(exc.messages), "code": exc.code}, status=400
    )


@api.exception_handler(SchemaError)
def malformed(request: HttpRequest, exc: SchemaError) -> HttpResponse:
    reasons = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', [])[1:]) or 'body'}: {e.get('msg')}"
        for e in exc.errors
    )
    return api.create_response(
        request, {"detail": _("Invalid request: %(reasons)s") % {"reasons": reasons}}, status=422
    )
