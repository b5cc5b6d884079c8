"""Daily queue rules and the live session queue."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.srs.queue import (
    LEECH_LAPSES,
    DueCard,
    Limits,
    NewCard,
    SessionQueue,
    build_queue,
    is_leech,
)

TODAY = date(2024, 5, 2)


def due(card_id: str, days_ago: int = 0, ef: int = 250) -> DueCard:
    return DueCard(card_id, TODAY - timedelta(days=days_ago), ef)


def reviews(n: int) -> list[DueCard]:
    return [due(f"r{i:02d}", days_ago=n - i) for i in range(n)]  # r00 most overdue


def news(n: int) -> list[NewCard]:
    return [NewCard(f"n{i:02d}", i) for i in range(n)]


# --- build_queue ---------------------------------------------------------------------------------


def test_only_due_cards_and_ordering() -> None:
    cards = [
        due("late-easy", 3, 280),
        due("late-hard", 3, 150),
        due("today", 0, 130),
        due("very-late", 10, 300),
        due("tomorrow", -1, 130),
        due("tie-b", 3, 150),
    ]
    assert build_queue(TODAY, cards, []) == ["very-late", "late-hard", "tie-b", "late-easy", "today"]


def test_review_limit_and_done_today() -> None:
    assert len(build_queue(TODAY, reviews(30), [], Limits(reviews_per_day=10))) == 10
    queue = build_queue(TODAY, reviews(30), [], Limits(reviews_per_day=10), reviews_done_today=7)
    assert queue == ["r00", "r01", "r02"]  # the most overdue survive the cut
    assert build_queue(TODAY, reviews(5), [], Limits(reviews_per_day=3), reviews_done_today=9) == []


def test_new_limit_counts_the_whole_day() -> None:
    assert build_queue(TODAY, [], news(30)) == [f"n{i:02d}" for i in range(20)]  # default 20
    assert build_queue(TODAY, [], news(30), Limits(new_per_day=5), new_done_today=3) == [
        "n00",
        "n01",
    ]
    assert build_queue(TODAY, [], news(30), Limits(new_per_day=5), new_done_today=8) == []
    assert build_queue(TODAY, [], news(30), Limits(new_per_day=0)) == []


def test_new_cards_in_deck_order() -> None:
    cards = [NewCard("c", 7), NewCard("a", 2), NewCard("b", 2), NewCard("z", -1)]
    assert build_queue(TODAY, [], cards) == ["z", "a", "b", "c"]


def test_new_cards_spread_among_reviews() -> None:
    queue = build_queue(TODAY, reviews(10), news(5))
    kinds = "".join(c[0] for c in queue)
    assert kinds == "rrn" * 5


def test_spread_with_fewer_reviews_still_starts_with_review() -> None:
    queue = build_queue(TODAY, reviews(1), news(4))
    assert queue == ["r00", "n00", "n01", "n02", "n03"]
    kinds = "".join(c[0] for c in build_queue(TODAY, reviews(3), news(5)))
    assert kinds == "rnrnnrnn"


def test_no_reviews_just_new_and_no_new_just_reviews() -> None:
    assert build_queue(TODAY, [], news(3)) == ["n00", "n01", "n02"]
    assert build_queue(TODAY, reviews(3), []) == ["r00", "r01", "r02"]
    assert build_queue(TODAY, [], []) == []


def test_duplicate_ids_appear_once_review_wins() -> None:
    queue = build_queue(TODAY, [due("x", 1), due("x", 2), due("y")], [NewCard("x", 0)])
    assert queue == ["x", "y"]


def test_accepts_iterators_and_default_limits() -> None:
    queue = build_queue(TODAY, iter(reviews(250)), iter(news(40)))
    assert len(queue) == 220


@pytest.mark.parametrize("kwargs", [{"new_per_day": -1}, {"reviews_per_day": -5}, {"new_per_day": 2.0}])
def test_limits_validated(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Limits(**kwargs)  # type: ignore[arg-type]


@given(
    st.integers(0, 40),
    st.integers(0, 40),
    st.integers(0, 30),
    st.integers(0, 30),
    st.integers(0, 40),
    st.integers(0, 40),
)
def test_queue_properties(n_rev: int, n_new: int, rev_limit: int, new_limit: int, rev_done: int, new_done: int) -> None:
    queue = build_queue(TODAY, reviews(n_rev), news(n_new), Limits(new_limit, rev_limit), new_done, rev_done)
    got_rev = [c for c in queue if c[0] == "r"]
    got_new = [c for c in queue if c[0] == "n"]
    r = min(n_rev, max(0, rev_limit - rev_done))
    n = min(n_new, max(0, new_limit - new_done))
    assert got_rev == [f"r{i:02d}" for i in range(r)]
    assert got_new == [f"n{i:02d}" for i in range(n)]
    assert len(set(queue)) == len(queue)
    if r:
        assert queue[0][0] == "r"
    if r and n:
        # Runs of reviews before each new card differ by at most one: evenly spread.
        runs, run = [], 0
        for c in queue:
            if c[0] == "r":
                run += 1
            else:
                runs.append(run)
                run = 0
        assert max(runs) - min(runs) <= 1
        assert max(runs) == -(-r // n)
        assert queue[-1][0] == "n"  # no reviews left trailing behind the last new card


# --- SessionQueue --------------------------------------------------------------------------------


def drain(q: SessionQueue) -> list[str]:
    seen = []
    while (c := q.current()) is not None:
        seen.append(c)
        q.advance()
    return seen


def invariant(q: SessionQueue) -> None:
    assert q.done_count + q.remaining() == q.total


def test_basic_session() -> None:
    q = SessionQueue(["a", "b", "c"])
    assert (q.current(), q.remaining(), q.done_count, q.total) == ("a", 3, 0, 3)
    q.advance()
    assert (q.current(), q.remaining(), q.done_count) == ("b", 2, 1)
    assert drain(q) == ["b", "c"]
    assert q.current() is None
    assert q.remaining() == 0
    with pytest.raises(IndexError):
        q.advance()


def test_redrill_after_gap_called_before_or_after_advance() -> None:
    before = SessionQueue(["a", "b", "c", "d", "e"])
    before.redrill("a")  # a is current: it counts as finished
    before.advance()
    after = SessionQueue(["a", "b", "c", "d", "e"])
    after.advance()
    after.redrill("a")
    for q in (before, after):
        assert q.pending() == ("b", "c", "d", "a", "e")
        assert q.total == 6
        invariant(q)
        assert drain(q) == ["b", "c", "d", "a", "e"]


def test_redrill_at_end_if_few_remain() -> None:
    q = SessionQueue(["a", "b"])
    q.redrill("a", gap=5)
    q.advance()
    assert q.pending() == ("b", "a")
    q = SessionQueue(["a"])
    q.redrill("a")
    q.advance()
    assert q.current() == "a"
    assert q.current_is_redrill()


def test_redrill_gap_zero_and_validation() -> None:
    q = SessionQueue(["a", "b"])
    q.redrill("a", gap=0)
    q.advance()
    assert q.pending() == ("a", "b")
    with pytest.raises(ValueError):
        q.redrill("a", gap=-1)


def test_redrill_flag_and_failing_again() -> None:
    q = SessionQueue(["a", "b", "c"])
    assert not q.current_is_redrill()
    q.redrill("a", gap=1)
    q.advance()
    assert q.pending() == ("b", "a", "c")
    q.advance()  # b
    assert q.current() == "a"
    assert q.current_is_redrill()
    q.redrill("a", gap=1)  # failed its re-drill too: comes back once more
    q.advance()
    assert q.pending() == ("c", "a")
    assert q.total == 5
    invariant(q)


def test_one_pending_redrill_per_card() -> None:
    q = SessionQueue(["a", "b", "c", "d"])
    q.advance()
    q.redrill("a", gap=2)
    q.redrill("a", gap=0)
    assert q.pending() == ("a", "b", "c", "d")
    assert q.total == 5
    invariant(q)


def test_undo_fail_removes_redrill_and_restores() -> None:
    q = SessionQueue(["a", "b", "c", "d", "e"])
    q.redrill("a")
    q.advance()
    assert q.remove_pending("a")
    q.push_front("a")
    assert q.pending() == ("a", "b", "c", "d", "e")
    assert (q.done_count, q.total) == (0, 5)
    invariant(q)
    assert not q.remove_pending("a")  # the original card is not a re-drill


def test_undo_removes_a_current_redrill() -> None:
    q = SessionQueue(["a"])
    q.redrill("a")
    q.advance()
    assert q.current_is_redrill()
    assert q.remove_pending("a")
    q.push_front("a")
    assert q.pending() == ("a",)
    assert not q.current_is_redrill()
    invariant(q)


def test_push_front_of_a_redrill() -> None:
    q = SessionQueue(["a", "b"])
    q.redrill("a", gap=0)
    q.advance()
    q.advance()  # the re-drill of a, graded well
    q.push_front("a", redrill=True)
    assert q.current() == "a"
    assert q.current_is_redrill()
    invariant(q)


def test_push_front_without_anything_done() -> None:
    with pytest.raises(ValueError):
        SessionQueue(["a"]).push_front("a")


@given(st.lists(st.tuples(st.sampled_from(["adv", "fail", "undo"]), st.integers(0, 4))))
def test_session_invariant_under_random_use(ops: list[tuple[str, int]]) -> None:
    q = SessionQueue([f"c{i}" for i in range(6)])
    history: list[tuple[str, bool, bool]] = []  # (card, was re-drill, scheduled a re-drill)
    for op, gap in ops:
        card = q.current()
        if op == "undo" and history:
            card, was_redrill, failed = history.pop()
            if failed:
                assert q.remove_pending(card)
            q.push_front(card, redrill=was_redrill)
        elif op in ("adv", "fail") and card is not None:
            history.append((card, q.current_is_redrill(), op == "fail"))
            if op == "fail":
                q.redrill(card, gap)
            q.advance()
        invariant(q)
        assert q.remaining() == len(q.pending())


# --- leeches -------------------------------------------------------------------------------------


def test_leech() -> None:
    assert LEECH_LAPSES == 8
    assert not is_leech(0)
    assert not is_leech(7)
    assert is_leech(8)
    assert is_leech(12)
