"""Event pages: the form to publish one, saying whether one comes, cancelling, the .ics of an
event, the person's calendar feed and the page that gives its URL. Everything works without
JavaScript; the post page refreshes live (community's ``post.updated``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.community import access as community_access
from apps.community.models import Kind
from apps.events import access, actions, ics, selectors
from apps.events.forms import EventForm
from apps.events.models import CalendarToken
from apps.flash import attempt
from apps.moderation.actions import held_text


@login_required
def new_event(request: HttpRequest, residence_id: int) -> HttpResponse:
    here = community_access.access_post_form(request.user, residence_id, Kind.EVENT)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            post = actions.publish_event(request.user, here.residence, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if post.moderation:
                flash.info(request, held_text("keyword"))
            else:
                flash.success(request, _("Published."))
            return redirect("community:post", post.pk)
    return render(
        request,
        "events/event_form.html",
        {"form": form, "residence": here.residence, "here": here},
        status=400 if form.errors else 200,
    )


def _post_url(post_id: int) -> str:
    return reverse("community:post", args=[post_id]) + "#event"


@login_required
@require_POST
def rsvp(request: HttpRequest, post_id: int) -> HttpResponse:
    pa = access.access_rsvp(request.user, post_id)
    going = request.POST.get("going") == "1"
    attempt(request, lambda: actions.rsvp(request.user, pa.post, going))
    return redirect(_post_url(post_id))


@login_required
@require_POST
def cancel(request: HttpRequest, post_id: int) -> HttpResponse:
    pa = access.access_cancel(request.user, post_id)
    attempt(
        request,
        lambda: actions.cancel_event(request.user, pa.post),
        _("The event is cancelled; everyone who signed up was told."),
    )
    return redirect(_post_url(post_id))


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def event_ics(request: HttpRequest, post_id: int) -> HttpResponse:
    pa = access.access_event(request.user, post_id)
    event = pa.post.event
    base = f"{request.scheme}://{request.get_host()}"
    return _ics_response(ics.calendar([event], base), f"evenement-{post_id}.ics")


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """No session: calendar apps fetch it; the unguessable token is the key."""
    user = access.user_of_calendar(token)
    base = f"{request.scheme}://{request.get_host()}"
    body = ics.calendar(selectors.calendar_events(user), base, name=_("My neighbourhood events"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    token = CalendarToken.objects.filter(user_id=user.pk).values_list("token", flat=True).first()
    url = request.build_absolute_uri(reverse("events:calendar_feed", args=[token])) if token else ""
    return render(request, "events/calendar.html", {"feed_url": url})


@login_required
@require_POST
def calendar_renew(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    had = CalendarToken.objects.filter(user_id=user.pk).exists()
    actions.renew_calendar_token(user)
    flash.success(
        request,
        _("New address made: the old one no longer works.") if had else _("Address made."),
    )
    return redirect("events:calendar")
