"""Reports, decisions, the two-key rule, appeals, sanctions, the keyword filter and held posts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone

from apps.moderation import actions, selectors
from apps.moderation.models import Appeal, AuditEntry, Case, Decision, Origin, Sanction
from apps.notifications.models import Notification
from apps.residences.models import Membership, Role, Status
from tests.conftest import World
from tests.moderation.helpers import bio, hide, on_member, profile_of, resident

pytestmark = pytest.mark.django_db


def _hidden(member: Any) -> bool:
    return bool(Membership.objects.get(pk=member.pk).profile_hidden)


def _report(reporter: Any, member: Any, reason: str = "disrespect", note: str = "") -> Any:
    return actions.report(reporter, "profile", profile_of(member), reason=reason, note=note)


# --- reports --------------------------------------------------------------------------------


def test_it_groups_reports_on_one_item_in_one_case(world: World) -> None:
    bio(world.alice)
    _report(world.bob.user, world.alice, note="Elle insulte les voisins")
    _report(world.claire, world.alice, reason="personal_data")
    assert Case.objects.count() == 1
    [item] = selectors.open_cases(world.residence.pk)
    assert len(item.reports) == 2
    assert item.target is not None and "jardinage" in item.target.excerpt
    assert dict(item.reasons) == {"Irrespectueux": 1, "Données personnelles": 1}


@pytest.mark.parametrize(
    ("who", "error"),
    [("alice", ValidationError), ("eve", Http404), ("dave", Http404)],
)
def test_it_refuses_reports_from_the_author_and_from_outside(
    world: World, who: str, error: type[Exception]
) -> None:
    reporter = {"alice": world.alice.user, "eve": world.eve.user, "dave": world.dave}[who]
    with pytest.raises(error):
        _report(reporter, world.alice)
    assert not Case.objects.exists()


def test_it_refuses_a_second_report_by_the_same_person_and_bad_input(world: World) -> None:
    _report(world.bob.user, world.alice)
    with pytest.raises(ValidationError) as twice:
        _report(world.bob.user, world.alice)
    assert twice.value.code == "already_reported"
    with pytest.raises(ValidationError) as reason:
        _report(world.claire, world.alice, reason="because")
    assert reason.value.code == "reason"
    with pytest.raises(ValidationError) as long_note:
        _report(world.claire, world.alice, note="x" * 501)
    assert long_note.value.code == "too_long"
    with pytest.raises(ValidationError) as kind:
        actions.report(world.bob.user, "nonsense", 1, reason="other")
    assert kind.value.code == "target_type"


def test_three_members_reporting_hide_the_item_until_reviewed(world: World) -> None:
    third = resident(world, "Zoé")
    _report(world.bob.user, world.alice)
    _report(world.claire, world.alice)
    assert not _hidden(world.alice)
    _report(third.user, world.alice)
    assert _hidden(world.alice)
    case = Case.objects.get()
    assert case.auto_hidden
    # A moderator dismisses the reports: it comes back.
    actions.decide(
        world.bob.user,
        world.residence,
        target_type="profile",
        target_id=profile_of(world.alice),
        action="dismiss",
        reason="other",
        explanation="Rien de contraire à la charte.",
    )
    assert not _hidden(world.alice)
    assert Case.objects.get().status == Case.Status.CLOSED


def test_the_reported_person_never_learns_who_reported(world: World) -> None:
    _report(world.bob.user, world.alice, note="Note de Bob")
    decision = hide(world.bob.user, world.alice)
    texts = " ".join(
        f"{n.title} {n.body}" for n in Notification.objects.filter(user=world.alice.user)
    )
    assert "Bob" not in texts and "Note de Bob" not in texts
    assert decision.explanation in texts


# --- the two-key rule -----------------------------------------------------------------------


def test_a_co_animator_hides_a_residents_profile_at_once(world: World) -> None:
    _report(world.claire, world.alice)
    decision = hide(world.bob.user, world.alice)
    assert decision.status == Decision.Status.APPLIED
    assert _hidden(world.alice)
    assert Case.objects.get().status == Case.Status.CLOSED
    assert Notification.objects.filter(user=world.claire, kind="moderation").exists()


def test_staff_cannot_hide_a_residents_profile_alone(world: World) -> None:
    decision = hide(world.claire, world.alice)
    assert (decision.status, decision.needs) == (Decision.Status.PENDING, Role.CO_ANIMATOR)
    assert not _hidden(world.alice)
    assert Notification.objects.filter(user=world.bob.user, kind="moderation").exists()
    with pytest.raises(PermissionDenied):
        actions.agree(world.claire, decision)  # not the decider again
    with pytest.raises(PermissionDenied):
        actions.agree(world.alice.user, decision)  # the person concerned
    actions.agree(world.bob.user, decision)
    assert _hidden(world.alice)
    decision.refresh_from_db()
    assert (decision.status, decision.second_by_id) == (Decision.Status.APPLIED, world.bob.user_id)
    with pytest.raises(ValidationError):
        actions.agree(resident(world, "Nadia", role=Role.CO_ANIMATOR).user, decision)


def test_a_co_animator_may_decline_a_staff_decision(world: World) -> None:
    decision = hide(world.claire, world.alice)
    with pytest.raises(ValidationError) as no_reason:
        actions.decline(world.bob.user, decision, "")
    assert no_reason.value.code == "explanation"
    actions.decline(world.bob.user, decision, "Critiquer le bailleur n'est pas interdit.")
    decision.refresh_from_db()
    assert decision.status == Decision.Status.DECLINED
    assert not _hidden(world.alice)
    assert Notification.objects.filter(user=world.claire, kind="moderation").exists()


def test_staff_may_apply_at_once_only_for_emergencies(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        hide(world.claire, world.alice, urgent=True)
    assert refused.value.code == "urgent_reason"
    decision = hide(world.claire, world.alice, urgent=True, reason="threat")
    assert decision.status == Decision.Status.APPLIED and decision.urgent
    assert _hidden(world.alice)
    # Co-animators review it: overturning reverts it.
    actions.decline(world.bob.user, decision, "Pas de menace, une maladresse.")
    decision.refresh_from_db()
    assert decision.status == Decision.Status.OVERTURNED
    assert not _hidden(world.alice)


def test_a_co_animator_cannot_act_against_another_co_animator(world: World) -> None:
    nadia = resident(world, "Nadia", role=Role.CO_ANIMATOR)
    with pytest.raises(PermissionDenied):
        hide(world.bob.user, nadia)
    with pytest.raises(PermissionDenied):
        on_member(world.bob.user, nadia, "warn")
    decision = hide(world.claire, nadia)  # staff, alone: applies at once
    assert decision.status == Decision.Status.APPLIED


def test_a_co_animator_proposes_a_suspension_and_staff_agrees(world: World) -> None:
    decision = on_member(world.bob.user, world.alice, "suspend")
    assert (decision.status, decision.needs) == (Decision.Status.PENDING, Role.STAFF)
    assert Membership.objects.get(pk=world.alice.pk).status == Status.ACTIVE
    actions.agree(world.claire, decision)
    assert Membership.objects.get(pk=world.alice.pk).status == Status.SUSPENDED
    # The suspension ends by itself.
    assert actions.lift_expired(timezone.now() + datetime.timedelta(days=8)) == 1
    assert Membership.objects.get(pk=world.alice.pk).status == Status.ACTIVE
    assert actions.lift_expired(timezone.now() + datetime.timedelta(days=9)) == 0


def test_a_removal_takes_the_member_out(world: World) -> None:
    decision = on_member(world.claire, world.alice, "remove")
    assert decision.status == Decision.Status.PENDING
    actions.agree(world.bob.user, decision)
    assert Membership.objects.get(pk=world.alice.pk).status == Status.LEFT


def test_a_muted_member_is_told_why_they_cannot_post(world: World) -> None:
    on_member(world.bob.user, world.alice, "mute")
    with pytest.raises(ValidationError) as muted:
        actions.screen(world.alice.user, world.residence.pk, "Bonjour")
    assert muted.value.code == "muted"
    assert "jusqu’au" in muted.value.messages[0] or "until" in muted.value.messages[0]
    assert actions.screen(world.bob.user, world.residence.pk, "Bonjour") == ""
    Sanction.objects.update(until=timezone.now() - datetime.timedelta(minutes=1))
    assert actions.screen(world.alice.user, world.residence.pk, "Bonjour") == ""


@pytest.mark.parametrize(
    ("action", "extra", "code"),
    [
        ("mute", {"until": None}, "until"),
        ("mute", {"until": timezone.now() + datetime.timedelta(days=400)}, "until"),
        ("hide", {"explanation": "  "}, "explanation"),
        ("hide", {"reason": "bad"}, "reason"),
        ("fly", {}, "action"),
    ],
)
def test_it_refuses_incomplete_decisions(
    world: World, action: str, extra: dict[str, Any], code: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        if action in ("warn", "mute"):
            on_member(world.bob.user, world.alice, action, **extra)
        else:
            hide(world.bob.user, world.alice, action=action, **extra)
    assert refused.value.code == code
    assert not Decision.objects.exists()


def test_a_warning_without_a_message_sends_the_standard_one(world: World) -> None:
    decision = on_member(world.bob.user, world.alice, "warn", message="")
    assert decision.message.startswith("Bonjour Alice M.,")
    assert Notification.objects.filter(
        user=world.alice.user, body__startswith="Bonjour Alice M."
    ).exists()


def test_nobody_decides_about_themselves_and_residents_do_not_decide(world: World) -> None:
    with pytest.raises(ValidationError):
        on_member(world.bob.user, world.bob, "warn")
    with pytest.raises(PermissionDenied):
        on_member(world.alice.user, world.bob, "warn")
    with pytest.raises(PermissionDenied):
        on_member(world.dave, world.alice, "warn")


# --- appeals --------------------------------------------------------------------------------


def test_an_appeal_goes_to_the_other_side_once(world: World) -> None:
    decision = hide(world.bob.user, world.alice)
    with pytest.raises(PermissionDenied):
        actions.appeal(world.claire, decision, "Pas moi")
    appeal = actions.appeal(world.alice.user, decision, "Je ne faisais que citer le règlement.")
    assert appeal.reviewer_role == Role.STAFF
    with pytest.raises(ValidationError) as twice:
        actions.appeal(world.alice.user, decision, "Encore")
    assert twice.value.code == "twice"
    nadia = resident(world, "Nadia", role=Role.CO_ANIMATOR)
    with pytest.raises(PermissionDenied):
        actions.review_appeal(nadia.user, appeal, overturn=True, note="D'accord")
    actions.review_appeal(world.claire, appeal, overturn=True, note="La citation était exacte.")
    appeal.refresh_from_db()
    decision.refresh_from_db()
    assert (appeal.status, decision.status) == (Appeal.Status.OVERTURNED, "overturned")
    assert not _hidden(world.alice)
    assert Notification.objects.filter(
        user=world.alice.user, title__icontains="contestation est acceptée"
    ).exists()


def test_a_staff_decision_is_appealed_to_the_co_animators(world: World) -> None:
    decision = on_member(world.claire, world.alice, "warn")
    assert decision.status == Decision.Status.APPLIED  # a warning needs no second key
    appeal = actions.appeal(world.alice.user, decision, "Je n'ai rien dit de tel.")
    assert appeal.reviewer_role == Role.CO_ANIMATOR
    actions.review_appeal(world.bob.user, appeal, overturn=False, note="Les messages le montrent.")
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.UPHELD


# --- held posts, keyword filter, reminders ------------------------------------------------------


def test_the_keyword_filter_holds_matching_posts(world: World) -> None:
    actions.update_settings(
        world.bob.user,
        world.residence,
        keywords="arnaque\n  \nlien douteux\narnaque",
        hold_new_members=False,
        charter="",
    )
    assert selectors.settings_of(world.residence.pk).keywords == "arnaque\nlien douteux"  # type: ignore[union-attr]
    screen = actions.screen
    assert screen(world.alice.user, world.residence.pk, "Attention, ARNAQUÉ !") == Origin.KEYWORD
    assert screen(world.alice.user, world.residence.pk, "un lien   douteux") == ""
    assert screen(world.alice.user, world.residence.pk, "Voici un lien douteux.") == Origin.KEYWORD
    assert screen(world.alice.user, world.residence.pk, "Les arnaqueurs") == ""
    with pytest.raises(PermissionDenied):
        actions.update_settings(
            world.alice.user, world.residence, keywords="", hold_new_members=False, charter=""
        )


def test_new_members_first_two_posts_are_held_when_the_residence_wants_it(world: World) -> None:
    newcomer = resident(world, "Yanis")
    Membership.objects.filter(pk=newcomer.pk).update(decided_at=timezone.now())
    assert actions.screen(newcomer.user, world.residence.pk, "Bonjour") == ""
    actions.update_settings(
        world.bob.user, world.residence, keywords="", hold_new_members=True, charter=""
    )
    assert actions.screen(newcomer.user, world.residence.pk, "Bonjour") == Origin.NEW_MEMBER
    long_ago = timezone.now() - datetime.timedelta(days=90)
    Membership.objects.filter(pk=world.alice.pk).update(decided_at=long_ago)
    assert actions.screen(world.alice.user, world.residence.pk, "Bonjour") == ""
    # Two of their posts approved by a moderator (content apps test the whole flow): free now.
    for n in range(2):
        Decision.objects.create(
            residence=world.residence,
            target_type="message",
            target_id=1000 + n,
            subject=newcomer.user,
            action="approve",
            reason="other",
            explanation="Bienvenue !",
            decided_by=world.bob.user,
            decided_as=Role.CO_ANIMATOR,
            status=Decision.Status.APPLIED,
        )
        if n == 0:
            assert actions.screen(newcomer.user, world.residence.pk, "Bonjour") == "new_member"
    assert actions.screen(newcomer.user, world.residence.pk, "Bonjour") == ""


def test_pending_decisions_are_recalled_once_after_two_days(world: World) -> None:
    decision = hide(world.claire, world.alice)
    assert actions.remind_pending() == 0
    later = timezone.now() + datetime.timedelta(hours=49)
    Notification.objects.all().delete()
    assert actions.remind_pending(later) == 1
    assert Notification.objects.filter(user=world.bob.user).count() == 1
    assert actions.remind_pending(later) == 0
    decision.refresh_from_db()
    assert decision.reminded_at is not None


def test_every_write_is_in_the_read_only_audit(world: World) -> None:
    _report(world.claire, world.alice)
    decision = hide(world.claire, world.alice)
    actions.agree(world.bob.user, decision)
    verbs = list(AuditEntry.objects.order_by("pk").values_list("verb", "before", "after"))
    assert verbs == [
        ("reported", "", ""),
        ("decided", "", "pending"),
        ("agreed", "pending", "applied"),
        ("applied", "pending", "applied"),
    ]
    request = RequestFactory().get("/admin/")
    model_admin = site._registry[AuditEntry]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
