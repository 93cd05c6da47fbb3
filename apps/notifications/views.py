"""Thin views: parse input → access → action → render or redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.http import AuthenticatedRequest
from apps.notifications import access, actions, selectors
from apps.notifications.forms import FREQUENCY_HELP, PreferencesForm
from apps.notifications.models import Frequency, Kind

PAGE_SIZE = 30


@login_required
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(selectors.my_notifications(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def mark_read(request: AuthenticatedRequest) -> HttpResponse:
    """POST with ``id`` values marks those read; without, every notification."""
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()] or None
    marked = actions.mark_read(request.user, ids)
    if ids is None:
        messages.success(request, _("All your notifications are marked as read."))
    elif marked:
        messages.success(
            request,
            ngettext(
                "%(count)d notification marked as read.",
                "%(count)d notifications marked as read.",
                marked,
            )
            % {"count": marked},
        )
    return redirect("notifications:list")


@login_required
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, initial=selectors.frequencies(request.user))
    if request.method == "POST" and form.is_valid():
        actions.set_preferences(request.user, {kind: form.cleaned_data[kind] for kind in Kind})
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "frequency_help": [(Frequency(f).label, text) for f, text in FREQUENCY_HELP.items()],
        },
    )


# No session is used: the signed token in the link is the credential, so there is nothing for
# CSRF to protect, and mail clients may POST to it themselves (RFC 8058 one-click).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET only shows what would change (mail scanners follow links); POST changes it."""
    try:
        target = access.access_unsubscribe(token)
    except access.InvalidToken:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        kinds = actions.unsubscribe_emails(target.user, target.scope)
        return render(
            request,
            "notifications/unsubscribe_done.html",
            {
                "kinds": [Kind(k).label for k in kinds],
                "digest": target.scope == access.DIGEST_SCOPE,
            },
        )
    current = selectors.frequencies(target.user)
    if target.scope == access.DIGEST_SCOPE:
        kinds = [k for k, f in current.items() if f == Frequency.DIGEST]
    else:
        kinds = [target.scope] if current[target.scope] != Frequency.OFF else []
    return render(
        request,
        "notifications/unsubscribe.html",
        {
            "kinds": [Kind(k).label for k in kinds],
            "digest": target.scope == access.DIGEST_SCOPE,
        },
    )
