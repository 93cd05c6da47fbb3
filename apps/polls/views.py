"""Poll pages: the form to create one, voting and closing (plain POST forms, no JavaScript
needed). The poll itself shows in community's feed card and post page (``kind.py``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.community import access
from apps.community.models import Kind
from apps.flash import attempt
from apps.moderation.actions import held_text
from apps.polls import actions
from apps.polls.forms import PollForm

FIELD_OF_CODE = {"title": "title", "too_long": None, "choices": "choices", "closes_at": "closes_at"}


def _poll_url(post_id: int) -> str:
    return reverse("community:post", args=[post_id]) + "#poll"


@login_required
def new_poll(request: HttpRequest, residence_id: int) -> HttpResponse:
    here = access.access_post_form(request.user, residence_id, Kind.POLL)
    default_close = timezone.localtime() + datetime.timedelta(days=7)
    form = PollForm(
        request.POST or None,
        initial={"closes_at": default_close.replace(second=0, microsecond=0)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            post = actions.publish_poll(request.user, here.residence, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(FIELD_OF_CODE.get(str(error.code)), error)
        else:
            if post.moderation:
                flash.info(request, held_text("keyword"))
            else:
                flash.success(request, _("Published."))
            return redirect("community:post", post.pk)
    return render(
        request,
        "polls/poll_form.html",
        {"form": form, "residence": here.residence, "here": here},
        status=400 if form.errors else 200,
    )


def _choice_ids(request: HttpRequest) -> list[int]:
    try:
        return [int(v) for v in request.POST.getlist("choice")]
    except ValueError:
        raise ValidationError(_("Choose among the answers of this poll."), code="choice") from None


@login_required
@require_POST
def vote(request: HttpRequest, post_id: int) -> HttpResponse:
    pa = access.access_interaction(request.user, post_id)
    user: Any = request.user
    attempt(
        request,
        lambda: actions.vote(user, pa.post, _choice_ids(request)),
        success=_("Thank you: your vote is counted."),
    )
    return redirect(_poll_url(post_id))


@login_required
@require_POST
def close_poll(request: HttpRequest, post_id: int) -> HttpResponse:
    pa = access.access_post(request.user, post_id)
    user: Any = request.user
    attempt(request, lambda: actions.close_poll(user, pa.post), success=_("The poll is closed."))
    return redirect(_poll_url(post_id))
