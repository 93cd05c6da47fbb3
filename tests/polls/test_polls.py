"""Polls: who creates them, bad input, single and multiple choice, one ballot per member,
results hidden until one voted or the poll closed, anonymity, closing early, the forms."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.moderation import actions as moderation
from apps.moderation.models import Case
from apps.polls import actions
from apps.polls.models import Ballot, Poll, Vote
from tests.conftest import World, client_for
from tests.polls.helpers import ANSWERS, QUESTION, choice_ids, poll

pytestmark = pytest.mark.django_db


def _page(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return str(response.text)


def test_it_lets_co_animators_and_staff_create_polls(world: World) -> None:
    by_bob = poll(world)
    by_claire = poll(world, author=world.claire, title="Quel jour pour la fête ?")
    assert by_bob.kind == by_claire.kind == "poll"
    assert by_bob.poll.anonymous is True and by_bob.poll.multiple is False
    assert [c.label for c in by_bob.poll.choices.all()] == ANSWERS
    assert by_claire.signed_as == "Habitat Test"


@pytest.mark.parametrize("who", ["alice", "dave"])
def test_it_refuses_residents_and_partners_with_the_reason(world: World, who: str) -> None:
    actor = world.alice.user if who == "alice" else world.dave
    with pytest.raises(PermissionDenied) as refused:
        poll(world, author=actor)
    assert "co-animateurs" in str(refused.value)
    assert not Poll.objects.exists()


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"choices": ["Oui"]}, "choices"),
        ({"choices": ["Oui", "  ", ""]}, "choices"),
        ({"choices": ["Oui", "oui "]}, "choices"),
        ({"choices": [f"Réponse {i}" for i in range(11)]}, "choices"),
        ({"choices": ["Oui", "x" * 101]}, "choices"),
        ({"closes_at": timezone.now() - datetime.timedelta(minutes=1)}, "closes_at"),
        ({"closes_at": timezone.now() + datetime.timedelta(days=91)}, "closes_at"),
        ({"closes_at": None}, "closes_at"),
        ({"title": "  "}, "title"),
    ],
)
def test_it_refuses_bad_input_with_a_code(world: World, extra: dict[str, Any], code: str) -> None:
    with pytest.raises(ValidationError) as refused:
        poll(world, **extra)
    assert refused.value.code == code
    assert refused.value.messages[0]
    assert not Poll.objects.exists()


def test_a_single_choice_poll_takes_exactly_one_answer(world: World) -> None:
    post = poll(world)
    first, second, _third = choice_ids(post)
    with pytest.raises(ValidationError) as refused:
        actions.vote(world.alice.user, post, [first, second])
    assert refused.value.code == "one_choice"
    with pytest.raises(ValidationError) as refused:
        actions.vote(world.alice.user, post, [])
    assert refused.value.code == "choice"
    other = poll(world, title="Autre")
    with pytest.raises(ValidationError) as refused:
        actions.vote(world.alice.user, post, [choice_ids(other)[0]])
    assert refused.value.code == "choice"
    actions.vote(world.alice.user, post, [second])
    assert list(Vote.objects.values_list("choice_id", flat=True)) == [second]


def test_a_multiple_choice_poll_takes_several_answers_on_one_ballot(world: World) -> None:
    post = poll(world, multiple=True)
    first, _second, third = choice_ids(post)
    actions.vote(world.alice.user, post, [first, third, first])
    assert Ballot.objects.count() == 1
    assert sorted(Vote.objects.values_list("choice_id", flat=True)) == [first, third]


def test_it_counts_one_ballot_per_member(world: World) -> None:
    post = poll(world, multiple=True)
    first, second, _ = choice_ids(post)
    actions.vote(world.alice.user, post, [first])
    with pytest.raises(ValidationError) as refused:
        actions.vote(world.alice.user, post, [second])
    assert refused.value.code == "already_voted"
    assert Ballot.objects.count() == 1 and Vote.objects.count() == 1


def test_the_database_refuses_a_second_ballot(world: World) -> None:
    from django.db import IntegrityError, transaction

    post = poll(world)
    Ballot.objects.create(poll=post.poll, user=world.alice.user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(poll=post.poll, user=world.alice.user)


def test_partners_may_not_vote(world: World) -> None:
    post = poll(world)
    with pytest.raises(PermissionDenied):
        actions.vote(world.dave, post, choice_ids(post)[:1])
    # Through the page and the API: the poll is not theirs to see (404).
    assert client_for(world.dave).post(f"/posts/{post.pk}/vote/").status_code == 404


def test_it_refuses_votes_after_the_close_with_a_clear_reason(world: World) -> None:
    post = poll(world)
    Poll.objects.filter(pk=post.pk).update(closes_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(ValidationError) as refused:
        actions.vote(world.alice.user, post, choice_ids(post)[:1])
    assert refused.value.code == "closed"
    assert refused.value.messages[0]


def test_results_are_hidden_until_one_votes(world: World) -> None:
    post = poll(world)
    first, second, _ = choice_ids(post)
    actions.vote(world.bob.user, post, [first])
    alice = client_for(world.alice)
    page = _page(alice, f"/posts/{post.pk}/")
    assert 'class="poll-vote"' in page and 'type="radio"' in page
    assert "poll-results" not in page
    feed = _page(alice, f"/r/{world.residence.pk}/feed/")
    assert "poll-results" not in feed and f"/posts/{post.pk}/#poll" in feed
    response = alice.post(f"/posts/{post.pk}/vote/", {"choice": [str(second)]})
    assert response.status_code == 302 and response["Location"] == f"/posts/{post.pk}/#poll"
    page = _page(alice, f"/posts/{post.pk}/")
    assert "poll-vote" not in page and "poll-results" in page
    assert f'data-choice="{first}" data-count="1"' in page
    assert f'data-choice="{second}" data-count="1"' in page
    assert 'data-poll-total="2"' in page
    # Claire has not voted: still the form only.
    assert "poll-results" not in _page(client_for(world.claire), f"/posts/{post.pk}/")


def test_a_multiple_choice_form_has_checkboxes(world: World) -> None:
    post = poll(world, multiple=True)
    first, _, third = choice_ids(post)
    page = _page(client_for(world.alice), f"/posts/{post.pk}/")
    assert page.count('type="checkbox"') >= 3
    client_for(world.alice).post(f"/posts/{post.pk}/vote/", {"choice": [first, third]})
    assert Vote.objects.count() == 2


def test_results_show_to_everyone_once_closed(world: World) -> None:
    post = poll(world)
    actions.vote(world.bob.user, post, choice_ids(post)[:1])
    actions.close_poll(world.bob.user, post)
    page = _page(client_for(world.claire), f"/posts/{post.pk}/")
    assert "poll-results" in page and "poll-vote" not in page
    assert 'data-poll-open="false"' in page
    feed = _page(client_for(world.alice), f"/r/{world.residence.pk}/feed/")
    assert "poll-results" in feed and "poll-closed" in feed


def test_an_anonymous_poll_never_shows_who_voted(world: World) -> None:
    post = poll(world)
    actions.vote(world.alice.user, post, choice_ids(post)[:1])
    actions.vote(world.claire, post, choice_ids(post)[:1])
    actions.close_poll(world.bob.user, post)
    for persona in (world.alice, world.bob, world.claire):
        page = _page(client_for(persona), f"/posts/{post.pk}/")
        assert "Alice M." not in page.split('id="poll"')[1].split("</section>")[0]
    data = client_for(world.bob).get(f"/api/v1/posts/{post.pk}/poll").json()
    assert "Alice" not in str(data)


def test_a_poll_that_is_not_anonymous_shows_names(world: World) -> None:
    post = poll(world, anonymous=False)
    actions.vote(world.alice.user, post, choice_ids(post)[:1])
    page = _page(client_for(world.alice), f"/posts/{post.pk}/")
    section = page.split('id="poll"')[1].split("</section>")[0]
    assert "Alice M." in section


def test_its_author_or_a_moderator_closes_it_early(world: World) -> None:
    post = poll(world)
    with pytest.raises(PermissionDenied):
        actions.close_poll(world.alice.user, post)
    assert client_for(world.alice).post(f"/posts/{post.pk}/close-poll/").status_code == 403
    actions.close_poll(world.claire, post)  # the landlord's staff moderates too
    post.poll.refresh_from_db()
    assert post.poll.closed_at is not None and not post.poll.is_open()
    with pytest.raises(ValidationError) as refused:
        actions.close_poll(world.bob.user, post)
    assert refused.value.code == "closed"
    response = client_for(world.bob).post(f"/posts/{post.pk}/close-poll/")
    assert response.status_code == 302  # the refusal is a message on the page


def test_the_close_button_shows_to_the_author_and_moderators_only(world: World) -> None:
    post = poll(world)
    url = f"/posts/{post.pk}/"
    assert f"/posts/{post.pk}/close-poll/" in _page(client_for(world.bob), url)
    assert f"/posts/{post.pk}/close-poll/" in _page(client_for(world.claire), url)
    assert f"/posts/{post.pk}/close-poll/" not in _page(client_for(world.alice), url)


def test_a_poll_with_a_forbidden_word_is_held(world: World) -> None:
    moderation.update_settings(
        world.bob.user, world.residence, keywords="vente", hold_new_members=False, charter=""
    )
    post = poll(world, choices=["Une vente", "Autre chose"])
    assert post.moderation == "held"
    assert Case.objects.filter(target_type="post", target_id=post.pk).exists()
    assert client_for(world.alice).get(f"/posts/{post.pk}/").status_code == 404
    with pytest.raises(ValidationError) as refused:
        actions.vote(world.bob.user, post, choice_ids(post)[:1])
    assert refused.value.code == "held"


def test_the_form_creates_a_poll(world: World) -> None:
    url = f"/r/{world.residence.pk}/feed/new-poll/"
    bob = client_for(world.bob)
    assert bob.get(url).status_code == 200
    closes = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = bob.post(
        url,
        {
            "title": QUESTION,
            "body": "",
            "choices": "Des ateliers\r\n\r\nDes fêtes\r\nUne salle d'étude\r\n",
            "multiple": "on",
            "closes_at": closes,
        },
    )
    poll_row = Poll.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/posts/{poll_row.pk}/"
    assert poll_row.multiple and not poll_row.anonymous  # unchecked box: names shown
    assert poll_row.choices.count() == 3


def test_the_form_shows_errors_next_to_the_fields(world: World) -> None:
    url = f"/r/{world.residence.pk}/feed/new-poll/"
    closes = (timezone.localtime() + datetime.timedelta(days=100)).strftime("%Y-%m-%dT%H:%M")
    response = client_for(world.bob).post(
        url, {"title": QUESTION, "choices": "Oui", "closes_at": closes, "anonymous": "on"}
    )
    assert response.status_code == 400
    assert "id_choices_error" in response.text
    assert not Poll.objects.exists()
    response = client_for(world.bob).post(
        url, {"title": QUESTION, "choices": "Oui\nNon", "closes_at": closes}
    )
    assert response.status_code == 400 and "id_closes_at_error" in response.text


def test_residents_get_403_on_the_form(world: World) -> None:
    response = client_for(world.alice).get(f"/r/{world.residence.pk}/feed/new-poll/")
    assert response.status_code == 403
