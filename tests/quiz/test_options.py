"""Options a learner cannot game: a new order at every showing, plausible distractors, and one
seedable random source (`--seed`, `QUIZAPP_SEED`) behind option order and drill numbers."""

from __future__ import annotations

import math
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from quizapp.deck.model import CardKind, Term
from quizapp.quiz.questions import CHOICES, QuestionMaker
from tests.conftest import MINI_DECK, child_env
from tests.deck.test_bundled_rules import DECK

SHOWINGS = 200


def _positions(card_id: str, showings: int = SHOWINGS) -> Counter[int]:
    maker = QuestionMaker(DECK, random.Random(12))
    card = DECK.card(card_id)
    return Counter(maker.make(card).answer_index for _ in range(showings))


def test_a_trap_shows_its_right_option_at_every_position() -> None:
    trap = DECK.item("trap-flops-training-work")
    positions = _positions("trap-flops-training-work:trap")
    assert set(positions) == set(range(len(trap.options))), positions
    # and none is favoured: each within 4 standard deviations of its share
    share = SHOWINGS / len(trap.options)
    sd = math.sqrt(SHOWINGS * (1 / len(trap.options)) * (1 - 1 / len(trap.options)))
    assert all(abs(n - share) <= 4 * sd for n in positions.values()), positions


@pytest.mark.parametrize("kind", [CardKind.TRAP, CardKind.SCENARIO, CardKind.DEF_TERM,
                                  CardKind.TERM_DEF])
def test_every_option_list_is_shuffled_at_each_showing(kind: CardKind) -> None:
    card = next(c for c in DECK.cards() if c.kind is kind)
    maker = QuestionMaker(DECK, random.Random(3))
    orders = {tuple(o.en for o in maker.make(card).options) for _ in range(60)}
    assert len(orders) > 1
    assert set(_positions(card.id, 120)) == set(range(len(maker.make(card).options)))


def test_across_all_scenarios_the_right_option_is_longest_no_more_often_than_chance() -> None:
    """Chance: a scenario with k options has its answer longest with probability 1/k. Allowed:
    the expected count plus two standard deviations (a binomial sum), nothing systematic."""
    longest, expected, variance = 0, 0.0, 0.0
    for scenario in DECK.scenarios:
        lengths = [len(o) for o in scenario.options]
        longest += len(scenario.answer) == max(lengths) and lengths.count(max(lengths)) == 1
        p = 1 / len(lengths)
        expected, variance = expected + p, variance + p * (1 - p)
        others = sorted(len(o) for o in scenario.options if o != scenario.answer)
        assert len(scenario.answer) <= 1.5 * others[len(others) // 2], scenario.id
    assert longest <= expected + 2 * math.sqrt(variance), (longest, expected)


def _group(term: Term) -> tuple[str, str]:
    return term.category, term.family


def test_distractors_share_the_answers_category_and_family_over_all_cards() -> None:
    """Over every term card: a wrong option shares the answer's category always, and its family
    whenever the deck has enough terms of that category and family; the twin is always there."""
    by_display = {t.display: t for t in DECK.terms}
    by_def = {t.def_en: t for t in DECK.terms}
    maker = QuestionMaker(DECK, random.Random(5))
    same_family = total = 0
    for card in DECK.cards():
        if card.kind not in (CardKind.DEF_TERM, CardKind.TERM_DEF):
            continue
        term = DECK.item(card.item_id)
        question = maker.make(card)
        lookup = by_display if card.kind is CardKind.DEF_TERM else by_def
        wrong = [lookup[o.en] for i, o in enumerate(question.options) if i != question.answer_index]
        assert len(question.options) == CHOICES
        if term.twin:
            assert term.twin in {w.id for w in wrong}, card.id
        for other in wrong:
            assert other.category == term.category or other.id == term.twin, (card.id, other.id)
            assert other.id not in term.members and term.id not in other.members, card.id
            total += 1
            same_family += other.family == term.family
        eligible = [t for t in DECK.terms if _group(t) == _group(term) and t.id != term.id
                    and t.id not in term.members and term.id not in t.members]
        if len(eligible) >= CHOICES - 1:
            assert all(w.family == term.family or w.id == term.twin for w in wrong), card.id
    assert same_family / total >= 0.9, same_family / total  # measured: 608 of 672


def test_the_same_seed_gives_the_same_options_and_drill_numbers() -> None:
    cards = DECK.cards()[:40]

    def showings(seed: int) -> list[tuple[str, ...]]:
        maker = QuestionMaker(DECK, random.Random(seed))
        return [(q.prompt.en, *(o.en for o in q.options)) for q in map(maker.make, cards)]

    drills = [c for c in DECK.cards() if c.kind is CardKind.DRILL]
    assert showings(7) == showings(7) != showings(8)
    first = [QuestionMaker(DECK, random.Random(7)).make(c).prompt.en for c in drills]
    assert first == [QuestionMaker(DECK, random.Random(7)).make(c).prompt.en for c in drills]


def _plain(tmp_path: Path, *args: str, env: dict[str, str] | None = None
           ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quizapp", "--db", str(tmp_path / "q.db"), "--deck", str(MINI_DECK),
         *args], input="", capture_output=True, text=True, check=False,
        env={**child_env(), **(env or {})})


def test_seed_and_quizapp_seed_make_plain_mode_reproducible(tmp_path: Path) -> None:
    card = ["quiz", "--plain", "--card", "rate-or-count:trap", "--card", "hbm:term-def"]
    by_flag = {_plain(tmp_path, "--seed", str(seed), *card).stdout for seed in (1, 1)}
    assert len(by_flag) == 1
    by_env = _plain(tmp_path, *card, env={"QUIZAPP_SEED": "1"}).stdout
    assert by_env == by_flag.pop()
    orders = {_plain(tmp_path, "--seed", str(seed), *card).stdout for seed in range(8)}
    assert len(orders) > 1  # the seed is what decides the order


def test_a_bad_quizapp_seed_is_one_line(tmp_path: Path) -> None:
    run = _plain(tmp_path, "quiz", "--plain", env={"QUIZAPP_SEED": "lucky"})
    assert run.returncode == 1 and "QUIZAPP_SEED='lucky' is not a whole number" in run.stderr
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
