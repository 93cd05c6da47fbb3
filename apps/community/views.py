"""Residence life pages: the feed, a post with its comments, the forms to publish, the printable
notice. Everything works without JavaScript; the feed and a post refresh live."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.community import access, actions, initiatives, kinds, selectors
from apps.community.forms import (
    CommentForm,
    InitiativeForm,
    NewsForm,
    NoticeForm,
    OutcomeForm,
)
from apps.community.models import Initiative, Kind, PostImage, Reaction
from apps.flash import attempt
from apps.moderation import selectors as moderation_selectors
from apps.residences import feed
from apps.uploads.http import image_response


def _reason(target_type: str, target_id: int) -> str:
    """Why moderation holds or hid one item (for its author)."""
    return moderation_selectors.notices(target_type, [target_id]).get(target_id, "")


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
            "may_initiative": access.may_post(here, Kind.INITIATIVE),
            "may_poll": _form_url(here, Kind.POLL),
            "new_poll_url": _form_url(here, Kind.POLL),
            "may_event": _form_url(here, Kind.EVENT),
            "new_event_url": _form_url(here, Kind.EVENT),
        },
    )


def _form_url(here: Any, kind: str) -> str:
    """The form of a kind another app adds (events, polls), if this viewer may use it."""
    registered = kinds.get(kind)
    if registered is None or not registered.form_url or not access.may_post(here, kind):
        return ""
    return reverse(registered.form_url, args=[here.residence.pk])


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
    registered = kinds.get(post.kind)
    if registered is not None:
        kinds.prepare([post], user)
    return render(
        request,
        "community/post.html",
        {
            "pa": pa,
            "post": post,
            "residence": pa.here.residence,
            "comments": selectors.comments_of(pa.post, user),
            "comment_form": comment_form or CommentForm(),
            "read_count": selectors.read_count(pa.post) if pa.sees_read_count else None,
            "reactions": Reaction.Kind.choices,
            # Only its author sees a held or hidden post (access): told why.
            "moderation_notice": moderation_selectors.notice_line(
                pa.post.moderation, _reason("post", pa.post.pk)
            )
            if pa.post.moderation
            else "",
            "kind_template": registered.detail_template if registered else "",
            "initiative": _initiative_context(pa, post, user)
            if post.kind == Kind.INITIATIVE
            else None,
            "kind_data": registered.detail(post, user)
            if registered is not None and registered.detail is not None
            else {},
        },
        status=status,
    )


def _initiative_context(pa: access.PostAccess, post: Any, user: Any) -> dict[str, Any]:
    people = selectors.participants(post)
    initiative = post.initiative
    images = list(post.images.all())
    return {
        "initiative": initiative,
        "participants": people,
        "photos": [i for i in images if not i.outcome],
        "outcome_photos": [i for i in images if i.outcome],
        "can_steer": pa.may_steer and initiative.status != "done",
        "can_team": pa.is_author or user.pk in {p.pk for p in people},
        "steps": [s for s in Initiative.Status.choices if s[0] != "done"],
        "outcome_form": OutcomeForm(),
    }


@login_required
@require_POST
def initiative_status(request: HttpRequest, post_id: int) -> HttpResponse:
    pa = access.access_interaction(request.user, post_id)
    attempt(
        request,
        lambda: initiatives.set_status(request.user, pa.post, request.POST.get("status", "")),
    )
    return redirect("community:post", post_id)


@login_required
@require_POST
def initiative_team(request: HttpRequest, post_id: int) -> HttpResponse:
    pa = access.access_interaction(request.user, post_id)
    try:
        conversation = initiatives.team(request.user, pa.post)
    except ValidationError as error:
        for text in error.messages:
            flash.error(request, text)
        return redirect("community:post", post_id)
    return redirect("messaging:conversation", conversation.pk)


@login_required
@require_POST
def initiative_outcome(request: HttpRequest, post_id: int) -> HttpResponse:
    pa = access.access_interaction(request.user, post_id)
    form = OutcomeForm(request.POST, request.FILES)
    if form.is_valid():
        photo = form.cleaned_data["photo"]
        if attempt(
            request,
            lambda: initiatives.report_outcome(
                request.user, pa.post, form.cleaned_data["outcome"], [photo] if photo else []
            ),
            _("Thank you! The residence can see what came of it."),
        ):
            return redirect("community:post", post_id)
    else:
        for errors in form.errors.values():
            for text in errors:
                flash.error(request, str(text))
    return redirect("community:post", post_id)


@login_required
def image(request: HttpRequest, post_id: int, image_id: int) -> HttpResponseBase:
    """A post's photo, for whoever may see the post."""
    pa = access.access_post(request.user, post_id)
    row = PostImage.objects.select_related("image").filter(pk=image_id, post=pa.post).first()
    if row is None:
        raise Http404
    return image_response(row.image, thumbnail=request.GET.get("size") == "thumb")


@login_required
def new_post(request: HttpRequest, residence_id: int, kind: str) -> HttpResponse:
    here = access.access_post_form(request.user, residence_id, kind)
    registered = kinds.get(kind)
    if registered is not None and registered.form_url:  # events and polls have their own form
        return redirect(registered.form_url, residence_id)
    form: Any
    if kind == Kind.NOTICE:
        choices = [(e.pk, e.name) for e in here.residence.entrances.order_by("name")]
        form = NoticeForm(request.POST or None, entrances=choices)
    elif kind == Kind.INITIATIVE:
        form = InitiativeForm(request.POST or None, request.FILES or None)
    else:
        form = NewsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if kind == Kind.NOTICE:
            data["entrance_ids"] = [int(e) for e in data.pop("entrances")]
        try:
            if kind == Kind.INITIATIVE:
                photo = data.pop("photo")
                post = initiatives.publish_initiative(
                    request.user, here.residence, photos=[photo] if photo else [], **data
                )
            else:
                post = actions.publish_post(request.user, here.residence, kind=kind, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if post.moderation:
                flash.info(request, _reason("post", post.pk))
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
                flash.info(request, _reason("comment", created.pk))
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
