"""Posts and comments are moderatable ("post", "comment"): registered with apps.moderation in
``CommunityConfig.ready``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.community import access, actions
from apps.community.models import Comment, Post
from apps.moderation import registry


def _post_target(post: Post) -> registry.Target:
    return registry.Target(
        type="post",
        id=post.pk,
        residence_id=post.residence_id,
        author_id=post.author_id,
        author_name=post.author.display_name if post.author else "",
        excerpt=f"{post.title}\n{post.body}".strip(),
        url=reverse("community:post", args=[post.pk]),
        state=post.moderation,
    )


def find_post(user: Any, post_id: int) -> registry.Target:
    return _post_target(access.access_post(user, post_id).post)


def load_posts(ids: Iterable[int]) -> dict[int, registry.Target]:
    rows = Post.objects.select_related("author").filter(pk__in=list(ids))
    return {p.pk: _post_target(p) for p in rows}


def _threads(post_ids: set[int]) -> dict[int, list[Comment]]:
    """The visible comments of some posts, oldest first (one query)."""
    threads: dict[int, list[Comment]] = {}
    for c in (
        Comment.objects.filter(post_id__in=post_ids, moderation="")
        .select_related("author")
        .order_by("created_at", "pk")
    ):
        threads.setdefault(c.post_id, []).append(c)
    return threads


def _comment_target(comment: Comment, thread: list[Comment]) -> registry.Target:
    """The comment with up to 3 comments before and after it, under its post's title."""
    post = comment.post
    ordered = sorted(
        {c.pk: c for c in [*thread, comment]}.values(), key=lambda c: (c.created_at, c.pk)
    )
    at = next(i for i, c in enumerate(ordered) if c.pk == comment.pk)
    around = ordered[max(0, at - 3) : at + 4]
    context = [(post.title, post.body[:200], False)] + [
        (c.author.display_name if c.author else "", c.body, c.pk == comment.pk) for c in around
    ]
    return registry.Target(
        type="comment",
        id=comment.pk,
        residence_id=post.residence_id,
        author_id=comment.author_id,
        author_name=comment.author.display_name if comment.author else "",
        excerpt=comment.body,
        url=reverse("community:post", args=[post.pk]) + f"#comment-{comment.pk}",
        state=comment.moderation,
        context=context,
    )


def find_comment(user: Any, comment_id: int) -> registry.Target:
    comment = Comment.objects.select_related("post", "author").filter(pk=comment_id).first()
    if comment is None or (comment.moderation and comment.author_id != user.pk):
        raise Http404
    access.access_post(user, comment.post_id)
    return _comment_target(comment, _threads({comment.post_id}).get(comment.post_id, []))


def load_comments(ids: Iterable[int]) -> dict[int, registry.Target]:
    """The comments and the thread around each (two queries)."""
    rows = list(Comment.objects.select_related("post", "author").filter(pk__in=list(ids)))
    threads = _threads({c.post_id for c in rows})
    return {c.pk: _comment_target(c, threads.get(c.post_id, [])) for c in rows}


def register() -> None:
    registry.register(
        registry.Moderatable(
            type="post",
            label=_("Post"),
            find=find_post,
            load=load_posts,
            set_state=actions.set_post_moderation,
        )
    )
    registry.register(
        registry.Moderatable(
            type="comment",
            label=_("Comment"),
            find=find_comment,
            load=load_comments,
            set_state=actions.set_comment_moderation,
        )
    )
