"""Card → question, and response → verdict. Pure: the caller supplies the randomness.

A `Question` carries everything a view needs (both languages), so the TUI and plain mode render
the same object and never reach back into the deck.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from quizapp.deck.model import Card, CardKind, Deck, Drill, Scenario, Term, Trap
from quizapp.quiz.bilingual import Text

__all__ = ["CHOICES", "OPTION_KEYS", "Mode", "Outcome", "Question",
           "QuestionMaker", "Text", "Verdict", "option_key"]

CHOICES = 4
# Options are picked with letters and grades given with digits, so no key press can do both: a
# double tap on an option can never also grade the card (issue 12).
OPTION_KEYS = "abcdefghi"


def option_key(index: int) -> str:
    """The letter that picks option `index` (0-based)."""
    return OPTION_KEYS[index]


class Mode(StrEnum):
    CHOICE = "choice"
    TYPED = "typed"


@dataclass(frozen=True)
class Question:
    card_id: str
    kind: CardKind
    category: str
    mode: Mode
    prompt: Text
    answer: Text  # what is shown as the right answer
    explanation: Text
    options: tuple[Text, ...] = ()
    answer_index: int = -1  # into options, for CHOICE
    accepted: tuple[str, ...] = ()  # spellings accepted when typed
    twins: tuple[str, ...] = ()  # look-alikes that are never accepted
    exact: bool = False
    unit: str = ""  # numeric drills
    expected: float | None = None
    tolerance: float = 0.0
    answer_type: str = ""  # drills: "count", "quantity" or "conversion" (quizapp.quiz.drill_answers)
    solution: Text | None = None
    hint: Text | None = None  # e.g. "FLOPS or FLOPs?" for typed traps


class Outcome(StrEnum):
    CORRECT = "correct"
    WRONG = "wrong"
    SHOWN = "shown"  # the learner asked to see the answer
    RETRY = "retry"  # not an answer (unreadable, wrong unit, no such option): say why, ask again


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    given: str
    message: str = ""  # e.g. "close: mind the spelling" or a unit hint
    typo: bool = False
    twin: bool = False

    @property
    def correct(self) -> bool:
        return self.outcome is Outcome.CORRECT


@dataclass
class QuestionMaker:
    deck: Deck
    rng: random.Random = field(default_factory=random.Random)
    _family_index: dict[tuple[str, str], list[Term]] | None = field(default=None, init=False,
                                                                    repr=False)

    def make(self, card: Card, recalled: bool = False) -> Question:
        """The question for `card`. `recalled`: its latest answer was right. A definition→term
        card or a trap is multiple choice until the first right answer and typed after it (a
        wrong answer gives it one multiple-choice showing again): recognising comes first,
        recall from the second showing on. Other kinds are always multiple choice or typed."""
        item = self.deck.item(card.item_id)
        if card.kind is CardKind.DEF_TERM:
            assert isinstance(item, Term)
            return self._def_term(card, item, typed=bool(recalled))
        if card.kind is CardKind.TERM_DEF:
            assert isinstance(item, Term)
            return self._term_def(card, item)
        if card.kind is CardKind.TRAP:
            assert isinstance(item, Trap)
            return self._trap(card, item, typed=bool(recalled))
        if card.kind is CardKind.SCENARIO:
            assert isinstance(item, Scenario)
            return self._scenario(card, item)
        assert isinstance(item, Drill)
        return self._drill(card, item)

    # -- terms ---------------------------------------------------------------------------------
    def _distractors(self, term: Term) -> list[Term]:
        """Wrong options a learner cannot eliminate at a glance: the look-alike twin first, then
        terms of the same category *and* family (a processor for a processor), then the rest of
        the category, then the same family elsewhere, and only then anything else; never the term's
        umbrella or one of its members (both would be right), never a duplicate text.

        Each tier draws a few candidates at random instead of shuffling it: with tens of
        thousands of terms a shuffle per question is what the learner would wait for.
        """
        chosen: list[Term] = []
        seen_names = {term.display}
        seen_defs = {term.def_en}

        def take(candidates: Iterable[Term]) -> bool:
            for candidate in candidates:
                if candidate.id == term.id or candidate.display in seen_names \
                        or candidate.def_en in seen_defs or _nested(term, candidate):
                    continue
                chosen.append(candidate)
                seen_names.add(candidate.display)
                seen_defs.add(candidate.def_en)
                if len(chosen) == CHOICES - 1:
                    return True
            return False

        if term.twin and take([self.deck.term(term.twin)]):
            return chosen
        for tier in self._tiers(term):
            quick = self.rng.sample(tier, min(len(tier), 2 * CHOICES))
            if take(quick):
                return chosen
            rest = [t for t in tier if t not in quick]
            self.rng.shuffle(rest)
            if take(rest):
                return chosen
        return chosen

    def _tiers(self, term: Term) -> Iterator[list[Term]]:
        """Candidate groups, fairest first (see `_distractors`), each built only when needed."""
        index = self._family_index
        if index is None:  # built once per deck
            index = self._family_index = {}
            for t in self.deck.terms:
                index.setdefault((t.category, t.family), []).append(t)
                index.setdefault(("", t.family), []).append(t)
        yield index.get((term.category, term.family), [])
        yield [t for t in self.deck.terms_in(term.category) if t.family != term.family]
        if term.family:
            yield [t for t in index.get(("", term.family), []) if t.category != term.category]
        yield [t for t in self.deck.terms if t.category != term.category]  # chosen ones are skipped

    def _choice(self, right: Text, wrong: list[Text]) -> tuple[tuple[Text, ...], int]:
        options = [right, *wrong]
        self.rng.shuffle(options)
        return tuple(options), options.index(right)

    def _def_term(self, card: Card, term: Term, typed: bool) -> Question:
        twins = _twin_answers(self.deck, term)
        base = dict(
            card_id=card.id, kind=card.kind, category=card.category,
            prompt=Text(term.def_en, term.def_zh), answer=Text(term.display, term.zh),
            explanation=Text(term.explain_en, term.explain_zh), accepted=term.answers,
            twins=twins, exact=term.case_sensitive,
        )
        if typed:
            return Question(mode=Mode.TYPED, **base)
        options, index = self._choice(
            Text(term.display, term.zh), [Text(t.display, t.zh) for t in self._distractors(term)])
        return Question(mode=Mode.CHOICE, options=options, answer_index=index, **base)

    def _term_def(self, card: Card, term: Term) -> Question:
        right = Text(term.def_en, term.def_zh)
        options, index = self._choice(
            right, [Text(t.def_en, t.def_zh) for t in self._distractors(term)])
        return Question(
            card_id=card.id, kind=card.kind, category=card.category, mode=Mode.CHOICE,
            prompt=Text(term.display, term.zh), answer=right,
            explanation=Text(term.explain_en, term.explain_zh),
            options=options, answer_index=index,
        )

    # -- traps and scenarios -------------------------------------------------------------------
    def _trap(self, card: Card, trap: Trap, typed: bool = False) -> Question:
        """Each option in both languages; the Chinese option text is accepted when typed. Typed,
        the hint names the look-alikes ("FLOPs or FLOPS?") and the exact spelling is the answer."""
        zh = trap.options_zh or trap.options
        texts = [Text(en, cn) for en, cn in zip(trap.options, zh, strict=True)]
        right = texts[trap.options.index(trap.answer)]
        wrong = [o for o in texts if o is not right]
        options, index = self._choice(right, wrong)  # a new order at every showing
        accepted = [right.en, right.zh, *trap.accept]
        twins = [t for o in wrong for t in (o.en, o.zh)]
        # The trap's terms lend their spellings: "FLOP/s" is FLOPS, "FLOP" the count.
        for term in (self.deck.item(t) for t in trap.terms):
            if not isinstance(term, Term):
                continue
            if _names_one_of(term, accepted, trap.exact):
                accepted += term.answers
            elif _names_one_of(term, twins, trap.exact):
                twins += term.answers
        accepted, twins = tuple(dict.fromkeys(accepted)), tuple(
            dict.fromkeys(t for t in twins if t not in accepted))
        base = dict(card_id=card.id, kind=card.kind, category=card.category,
                    prompt=Text(trap.prompt_en, trap.prompt_zh), answer=right,
                    explanation=Text(trap.explain_en, trap.explain_zh), accepted=accepted,
                    twins=twins, exact=trap.exact)
        if typed:
            hint = Text(" or ".join(o.en for o in options) + "?",
                        " 还是 ".join(o.zh or o.en for o in options) + "？")
            return Question(mode=Mode.TYPED, hint=hint, **base)
        return Question(mode=Mode.CHOICE, options=options, answer_index=index, **base)

    def _scenario(self, card: Card, scenario: Scenario) -> Question:
        right = Text(scenario.answer)
        options, index = self._choice(
            right, [Text(o) for o in scenario.options if o != scenario.answer])
        return Question(
            card_id=card.id, kind=card.kind, category=card.category, mode=Mode.CHOICE,
            prompt=Text(scenario.prompt_en, scenario.prompt_zh), answer=right,
            explanation=Text(scenario.reason_en, scenario.reason_zh), options=options,
            answer_index=index, accepted=(scenario.answer,),
        )

    # -- estimation drills ---------------------------------------------------------------------
    def _drill(self, card: Card, drill: Drill, params: dict[str, object] | None = None) -> Question:
        from quizapp.quiz.drills import render_drill  # formulas load only once a drill is asked

        if params is None:
            params = {name: self.rng.choice(choices) for name, choices in drill.params}
        rendered = render_drill(drill, params)
        return Question(
            card_id=card.id, kind=card.kind, category=card.category, mode=Mode.TYPED,
            prompt=rendered.prompt, answer=Text(rendered.answer_text),
            explanation=Text(drill.explain_en or drill.solution_en, drill.explain_zh),
            unit=drill.unit, expected=rendered.answer, tolerance=drill.tolerance,
            answer_type=drill.answer_type,
            solution=rendered.solution,
        )


def _names_one_of(term: Term, spellings: list[str], exact: bool) -> bool:
    from quizapp.quiz.matching import normalize

    keys = {normalize(s, exact=exact) for s in spellings}
    return any(normalize(a, exact=exact) in keys for a in term.answers)


def _nested(term: Term, other: Term) -> bool:
    """An umbrella and its member are both right for the member's definition: never paired."""
    return other.id in term.members or term.id in other.members


def _twin_answers(deck: Deck, term: Term) -> tuple[str, ...]:
    if not term.twin:
        return ()
    own = {a.casefold() for a in term.answers} if not term.case_sensitive else set(term.answers)
    twin = deck.term(term.twin)
    key = (lambda s: s) if term.case_sensitive else str.casefold
    return tuple(a for a in twin.answers if key(a) not in own)
