"""Conversation pages. They work without JavaScript: plain forms, newest messages on reload;
live.js and chat.js only add live updates and the typing indicator."""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from apps.flash import attempt
from apps.messaging import access, actions, moderation, selectors
from apps.messaging.forms import EditForm, MessageForm
from apps.messaging.models import Conversation
from apps.moderation import selectors as moderation_selectors
from apps.moderation.actions import held_text
from apps.residences.access import access_members, access_residence, visible_residences


@login_required
def conversation_list(request: HttpRequest) -> HttpResponse:
    conversations = list(selectors.conversations_for(request.user))
    for item in conversations:
        item.display_title = _title(item, request.user)  # type: ignore[attr-defined]
    rooms = {c.residence_id for c in conversations if c.kind == Conversation.Kind.ROOM}
    return render(
        request,
        "messaging/list.html",
        {
            "conversations": conversations,
            "residences_without_room": [
                a.residence
                for a in visible_residences(request.user)
                if a.is_member and a.residence.pk not in rooms
            ],
        },
    )


@login_required
def room(request: HttpRequest, residence_id: int) -> HttpResponse:
    here = access_residence(request.user, residence_id, for_write=True)
    conversation, _created = actions.room_of(here.residence)
    return redirect("messaging:conversation", conversation.pk)


@login_required
@require_POST
def start_direct(request: HttpRequest, residence_id: int, user_id: int) -> HttpResponse:
    here = access_members(request.user, residence_id)
    try:
        conversation, _created = actions.start_direct(request.user, here.residence, user_id)
    except ValidationError as error:
        for text in error.messages:
            flash.error(request, text)
        return redirect("residences:members", residence_id)
    return redirect("messaging:conversation", conversation.pk)


def _title(conversation: Conversation, user: Any) -> str:
    from django.utils.translation import gettext as _

    if conversation.kind == Conversation.Kind.ROOM:
        return _("Room of %(residence)s") % {"residence": conversation.residence.name}
    if conversation.title:
        return conversation.title
    others = [p.user.display_name for p in conversation.participants.all() if p.user_id != user.pk]
    return ", ".join(others) or _("Conversation")


@login_required
def conversation(request: HttpRequest, conversation_id: int) -> HttpResponse:
    here = access.access_conversation(request.user, conversation_id)
    before = request.GET.get("before")
    rows = selectors.messages(
        here.conversation,
        viewer_id=request.user.pk,
        before=int(before) if before and before.isdigit() else None,
    )
    form = MessageForm()
    return _render_conversation(request, here, rows, form, mark=before is None)


def _render_conversation(
    request: HttpRequest,
    here: access.ConversationAccess,
    rows: list[Any],
    form: MessageForm,
    *,
    mark: bool = True,
    status: int = 200,
) -> HttpResponse:
    conversation = selectors.with_people(here.conversation)
    if mark and here.can_write and rows:
        actions.mark_read(request.user, here, rows[-1].pk)
    online: list[str] = []
    if conversation.kind == Conversation.Kind.ROOM:
        online = selectors.online_members(
            conversation.residence_id, exclude_user=request.user.pk or 0
        )
    # My held or hidden messages are marked, with why (queries only when there are some).
    mine_moderated = [m for m in rows if not m.is_visible and m.author_id == request.user.pk]
    notices = moderation_selectors.notices(moderation.TYPE, [m.pk for m in mine_moderated])
    for m in mine_moderated:
        m.moderation_notice = moderation_selectors.notice_line(m.moderation, notices.get(m.pk, ""))
    # ?fragment=chat: only the messages, for live.js refreshing that region.
    fragment = request.GET.get("fragment") == "chat"
    return render(
        request,
        "messaging/_chat.html" if fragment else "messaging/conversation.html",
        {
            "conversation": conversation,
            "title": _title(conversation, request.user),
            "messages_list": rows,
            "oldest_id": rows[0].pk if rows else None,
            "has_older": bool(rows) and len(rows) >= selectors.PAGE_SIZE,
            "markers": selectors.read_markers(conversation, exclude_user=request.user.pk or 0),
            "form": form,
            "can_write": here.can_write,
            "online": online,
        },
        status=status,
    )


@login_required
@require_POST
def send(request: HttpRequest, conversation_id: int) -> HttpResponse:
    here = access.access_conversation(request.user, conversation_id, for_write=True)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            sent = actions.send_message(
                request.user,
                here,
                form.cleaned_data["body"],
                image=form.cleaned_data.get("image"),
            )
        except ValidationError as error:
            form.add_error("body", error)
        else:
            _tell_if_held(request, sent)
            return redirect(reverse("messaging:conversation", args=[conversation_id]) + "#end")
    rows = selectors.messages(here.conversation, viewer_id=request.user.pk)
    status = (
        429 if any(e.code == "rate_limited" for e in form.errors.as_data().get("body", [])) else 400
    )
    return _render_conversation(request, here, rows, form, mark=False, status=status)


def _tell_if_held(request: HttpRequest, message: Any) -> None:
    origin = getattr(message, "held_origin", "")
    if origin:
        flash.info(request, held_text(origin))


@login_required
def edit(request: HttpRequest, message_id: int) -> HttpResponse:
    message = access.access_message(request.user, message_id, for_write=True)
    form = EditForm(request.POST or None, initial={"body": message.body})
    if request.method == "POST" and form.is_valid():
        try:
            edited = actions.edit_message(request.user, message, form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error("body", error)
        else:
            _tell_if_held(request, edited)
            return redirect(
                reverse("messaging:conversation", args=[message.conversation_id])
                + f"#message-{message.pk}"
            )
    return render(request, "messaging/edit.html", {"form": form, "message": message})


@login_required
@require_POST
def delete(request: HttpRequest, message_id: int) -> HttpResponse:
    message = access.access_message(request.user, message_id, for_write=True)
    attempt(request, lambda: actions.delete_message(request.user, message))
    return redirect(reverse("messaging:conversation", args=[message.conversation_id]))


@login_required
def image(request: HttpRequest, message_id: int) -> HttpResponseBase:
    """A message's photo, for those who may read the conversation (never a public URL)."""
    from django.http import Http404

    from apps.uploads.http import image_response

    message = access.access_message(request.user, message_id)
    if (
        message.image is None
        or message.is_deleted
        or (not message.is_visible and message.author_id != request.user.pk)
    ):
        raise Http404
    return image_response(message.image, thumbnail=request.GET.get("size") == "thumb")
