"""Residence life pages: the feed, a post with its comments, the forms to publish, the printable
notice. Everything works without JavaScript; the feed and a post refresh live."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.community import access, actions, selectors
from apps.community.forms import CommentForm, NewsForm, NoticeForm
from apps.community.models import Kind, Reaction
from apps.flash import attempt
from apps.moderation import registry
from apps.moderation.actions import held_text
from apps.residences import feed


def _before(raw: str) -> datetime.datetime | None:
    parsed = parse_datetime(raw) if raw else None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


@login_required
def feed_page(request: HttpRequest, residence_id: int) -> HttpResponse:
    here = access.access_feed(request.user, residence_id)
    kind = request.GET.get("kind", "")
    kinds = feed.kinds()
    if kind not in kinds:
        kind = ""
    before = _before(request.GET.get("before", ""))
    items = feed.items(here, request.user, kind=kind, before=before, limit=selectors.FEED_PAGE)
    older = [i for i in items if not (i.pinned and before is None)]
    return render(
        request,
        "community/feed.html",
        {
            "here": here,
            "residence": here.residence,
            "items": items,
            "kind": kind,
            "kinds": kinds,
            "older": older[-1].at.isoformat() if len(older) >= selectors.FEED_PAGE else "",
            "may_notice": access.may_post(here, Kind.NOTICE),
            "may_news": access.may_post(here, Kind.NEWS),
        },
    )


@login_required
def post_page(request: HttpRequest, post_id: int) -> HttpResponse:
    pa = access.access_post(request.user, post_id)
    return _render_post(request, pa)


def _render_post(
    request: HttpRequest,
    pa: access.PostAccess,
    *,
    comment_form: CommentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    actions.mark_read(user, pa.post)
    post = selectors.post_with_counts(pa.here, user, pa.post.pk) or pa.post
    return render(
        request,
        "community/post.html",
        {
            "pa": pa,
            "post": post,
            "residence": pa.here.residence,
            "comments": selectors.comments_of(pa.post, user),
            "comment_form": comment_form or CommentForm(),
            "read_count": selectors.read_count(pa.post)
            if pa.post.kind == Kind.NOTICE and pa.here.is_staff
            else None,
            "reactions": Reaction.Kind.choices,
            "held_notice": held_text("keyword") if pa.post.moderation == registry.HELD else "",
        },
        status=status,
    )


@login_required
def new_post(request: HttpRequest, residence_id: int, kind: str) -> HttpResponse:
    here = access.access_post_form(request.user, residence_id, kind)
    form: Any
    if kind == Kind.NOTICE:
        choices = [(e.pk, e.name) for e in here.residence.entrances.order_by("name")]
        form = NoticeForm(request.POST or None, entrances=choices)
    else:
        form = NewsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if kind == Kind.NOTICE:
            data["entrance_ids"] = [int(e) for e in data.pop("entrances")]
        try:
            post = actions.publish_post(request.user, here.residence, kind=kind, **data)
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
        "community/post_form.html",
        {"form": form, "residence": here.residence, "kind": kind, "here": here},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def comment(request: HttpRequest, post_id: int) -> HttpResponse:
    pa = access.access_interaction(request.user, post_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            created = actions.add_comment(request.user, pa.post, form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error("body", error)
        else:
            if created.moderation:
                flash.info(request, held_text("keyword"))
            return redirect(f"{_post_url(pa.post.pk)}#comment-{created.pk}")
    return _render_post(request, pa, comment_form=form, status=400)


def _post_url(post_id: int) -> str:
    return reverse("community:post", args=[post_id])


@login_required
@require_POST
def react(request: HttpRequest, post_id: int) -> HttpResponse:
    pa = access.access_interaction(request.user, post_id)
    attempt(request, lambda: actions.react(request.user, pa.post, request.POST.get("kind", "")))
    if request.POST.get("back") == "feed":
        return redirect(_feed_url(pa))
    return redirect(_post_url(post_id))


def _feed_url(pa: access.PostAccess) -> str:
    return reverse("community:feed", args=[pa.here.residence.pk]) + f"#post-{pa.post.pk}"


@login_required
@require_POST
def delete(request: HttpRequest, post_id: int) -> HttpResponse:
    pa = access.access_post(request.user, post_id, for_write=True)
    residence_id = pa.here.residence.pk
    actions.delete_post(request.user, pa.post)
    flash.success(request, _("Deleted."))
    return redirect("community:feed", residence_id)


@login_required
def print_notice(request: HttpRequest, post_id: int) -> HttpResponse:
    """An A4 page for the hall, for residents who are not online."""
    pa = access.access_post(request.user, post_id)
    if pa.post.kind != Kind.NOTICE:
        raise Http404
    return render(
        request,
        "community/notice_print.html",
        {"post": pa.post, "notice": pa.post.notice, "residence": pa.post.residence},
    )
