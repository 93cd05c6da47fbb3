"""Background work of notifications (Django's tasks API): sending emails and daily digests."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from apps.accounts.models import User
from apps.notifications import emails, selectors
from apps.notifications.models import Notification


@task()
def send_notification_email(
    subject: str,
    body: str,
    html: str,
    to: list[str],
    headers: dict[str, str],
    notification_id: int | None = None,
) -> None:
    """Send an email rendered beforehand (language, links, unsubscribe header). When it is about
    a notification that was withdrawn meanwhile (its content hidden by moderation before the
    worker got to it), nothing is sent."""
    if notification_id is not None and not Notification.objects.filter(pk=notification_id).exists():
        return
    message = EmailMultiAlternatives(subject, body, to=to, headers=headers)
    message.attach_alternative(html, "text/html")
    message.send()


@task()
def send_digest(user_id: int) -> int:
    """Email one person the list of their unread, never emailed notifications of the kinds they
    get as a daily digest, and mark them emailed. Returns how many were listed (0: no email).

    The rows are locked while the email is sent: two runs never send the same item twice, and
    if sending fails nothing is marked, so the next run lists them again."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    with transaction.atomic():
        items = list(selectors.digest_items(user_id).select_for_update(of=("self",)))
        if not items:
            return 0
        rendered = emails.render_digest(
            user_id=user.pk, email=user.email, first_name=user.first_name, items=items
        )
        Notification.objects.filter(pk__in=[i.pk for i in items]).update(emailed_at=timezone.now())
        message = EmailMultiAlternatives(
            rendered["subject"], rendered["body"], to=rendered["to"], headers=rendered["headers"]
        )
        message.attach_alternative(rendered["html"], "text/html")
        message.send()
    return len(items)


def send_due_digests() -> int:
    """Queue a digest for everyone who has something to read in one; returns how many."""
    user_ids = selectors.digest_due_user_ids()
    for user_id in user_ids:
        send_digest.enqueue(user_id)
    return len(user_ids)
