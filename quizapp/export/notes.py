"""Deck items → Anki note contents (plain data; no genanki, no database).

A note's fields never depend on export options (`--lang` picks templates, `models.py`), so a note's
content hash — what its Anki modification time is derived from (`stamps.py`) — is the same for
every export of the same deck. Options are shuffled per note, seeded by the note's id, so the right
answer is not always A and re-exports do not reshuffle.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from quizapp.deck.model import (
    CardKind,
    Category,
    Deck,
    Drill,
    Scenario,
    Term,
    Trap,
    card_id,
)
from quizapp.errors import QuizappError
from quizapp.export.drill_notes import drill_examples, takeaway
from quizapp.export.fields import (
    LETTERS,
    bullet_list,
    escape,
    masked,
    option_list,
    option_text,
    shuffled_order,
    tag,
)
from quizapp.export.models import DRILL, LANGS, MODELS, PERSONAL, SCENARIO, TERM, TRAP
from quizapp.quiz.drills import render_drill

__all__ = ["LANGS", "NoteSpec", "build_notes", "deck_id", "deck_name", "drill_examples", "escape",
           "guid_key", "tag"]

SPREAD_CARDS = 20  # Anki's default new cards a day: a drill's next example comes this much later


@dataclass(frozen=True)
class NoteSpec:
    model: str  # key into MODELS
    key: str  # our stable id for this note; the GUID is derived from it
    item: str  # the deck item it shows (a drill gives several notes)
    category: str
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    cards: tuple[str | None, ...]  # quizapp card id per template ord (None: no progress to carry)
    position: int  # quizapp's new-card position; `build_notes` returns Anki's order
    sources: tuple[str, ...] = ()  # quizapp cards whose content this note shows
    example: tuple[int, int] = (0, 0)  # a drill's worked example: (number, of how many)

    @property
    def source_cards(self) -> tuple[str, ...]:
        return self.sources or tuple(c for c in self.cards if c)

    @property
    def digest(self) -> str:
        """Changes exactly when something Anki stores in the note changes (fields or tags)."""
        blob = "\x1e".join((self.model, "\x1f".join(self.fields), " ".join(self.tags)))
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


def deck_name(root: str, category: Category) -> str:
    def clean(name: str) -> str:
        return " ".join(name.replace("::", ":").split()) or "_"

    return f"{clean(root)}::{clean(category.en)}"


def deck_id(deck: Deck, category_id: str | None) -> int:
    """A fixed id per (deck, category) in genanki's recommended range; never 1 ("Default")."""
    digest = hashlib.sha256(f"quizapp-deck:{deck.id}:{category_id or ''}".encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def guid_key(deck: Deck, key: str) -> tuple[str, str]:
    """What `genanki.guid_for` hashes: a namespace per deck and our stable note key."""
    return (f"quizapp:{deck.id}", key)


def build_notes(deck: Deck, categories: Sequence[str] | None = None, lang: str = "both"
                ) -> list[NoteSpec]:
    """The notes for `deck` (optionally some categories only) in new-card order."""
    if lang not in LANGS:
        raise QuizappError(f"unknown language '{lang}' (choose from {', '.join(LANGS)})")
    known = {c.id for c in deck.categories}
    wanted = set(categories or known)
    bad = sorted(wanted - known)
    if bad:
        raise QuizappError(f"unknown category {', '.join(bad)} "
                           f"(choose from {', '.join(sorted(known))})")
    positions = {c.id: c.position for c in deck.cards()}
    notes: list[NoteSpec] = []
    for item in (*deck.terms, *deck.traps, *deck.scenarios, *deck.drills):
        if item.category not in wanted:
            continue
        cat = deck.category(item.category)
        if isinstance(item, Term):
            notes.append(_term_note(item, cat, positions))
        elif isinstance(item, Trap):
            notes.append(_choice_note(deck, TRAP.key, item, cat, positions, item.explain_en,
                                      item.explain_zh))
        elif isinstance(item, Scenario):
            notes.append(_choice_note(deck, SCENARIO.key, item, cat, positions, item.reason_en,
                                      item.reason_zh))
        elif isinstance(item, Drill):
            notes.extend(_drill_notes(item, cat, positions))
    for note in notes:
        _check(note)
    return new_card_order(notes)


def _tags(category: Category, kind: str) -> tuple[str, ...]:
    return ("quizapp", tag(f"category::{category.id}"), tag(f"kind::{kind}"))


def _common(cat: Category, source: str, item_id: str) -> dict[str, str]:
    # `Personal notes` is the learner's: always written empty (Anki keeps theirs while the note
    # is unchanged; see the README).
    return {"Category": escape(cat.en), "CategoryZh": escape(cat.zh), "Source": escape(source),
            PERSONAL: "", "QuizappId": escape(item_id)}


def term_hint(term: Term) -> str:
    """The shape of the name to find, first letters only: `M__ · 模______`."""
    primary = term.abbr or term.en
    return escape(" · ".join(dict.fromkeys(masked(n) for n in (primary, term.zh) if n.strip())))


def _term_note(term: Term, cat: Category, positions: dict[str, int]) -> NoteSpec:
    cards = tuple(card_id(term.id, k) for k in (CardKind.DEF_TERM, CardKind.TERM_DEF))
    aliases = [a for a in term.aliases if a not in (term.en, term.abbr, term.zh)]
    fields = {
        "Term": escape(term.display), "TermZh": escape(term.zh),
        "Definition": escape(term.def_en), "DefinitionZh": escape(term.def_zh),
        "Explanation": escape(term.explain_en), "ExplanationZh": escape(term.explain_zh),
        "Facts": bullet_list(term.facts), "FactsZh": bullet_list(term.facts_zh),
        "Aliases": escape(" · ".join(aliases)), "Hint": term_hint(term),
        **_common(cat, term.source, term.id),
    }
    return NoteSpec(TERM.key, term.id, term.id, term.category, _ordered(TERM.key, fields),
                    _tags(cat, "term"), cards, min(positions.get(c, 0) for c in cards))


def _options(deck: Deck, item: Trap | Scenario) -> tuple[str, str, str]:
    """(the lettered option list, the right answer's letter, the answer), in this note's own
    fixed order.

    Trap options may come with Chinese wordings (`options_zh`); scenario options are already
    bilingual strings.
    """
    zh = tuple(getattr(item, "options_zh", ()) or ())
    rendered = [option_text(en, zh[i] if i < len(zh) else "") for i, en in enumerate(item.options)]
    namespace, key = guid_key(deck, item.id)
    order = shuffled_order(f"quizapp-options:{namespace}:{key}", len(rendered))
    right = order.index(item.options.index(item.answer))
    return option_list([rendered[i] for i in order]), LETTERS[right], rendered[order[right]]


def _choice_note(deck: Deck, model: str, item: Trap | Scenario, cat: Category,
                 positions: dict[str, int], why_en: str, why_zh: str) -> NoteSpec:
    kind = CardKind.TRAP if model == TRAP.key else CardKind.SCENARIO
    cid = card_id(item.id, kind)
    why = ("Explanation", "ExplanationZh") if model == TRAP.key else ("Reason", "ReasonZh")
    options, letter, answer = _options(deck, item)
    fields = {
        "Prompt": escape(item.prompt_en), "PromptZh": escape(item.prompt_zh),
        "Options": options, "Answer": answer, why[0]: escape(why_en), why[1]: escape(why_zh),
        "Letter": letter, **_common(cat, item.source, item.id),
    }
    return NoteSpec(model, item.id, item.id, item.category, _ordered(model, fields),
                    _tags(cat, kind.value), (cid,), positions.get(cid, 0))


def _drill_notes(drill: Drill, cat: Category, positions: dict[str, int]) -> list[NoteSpec]:
    cid = card_id(drill.id, CardKind.DRILL)
    examples = drill_examples(drill)
    explain_en, explain_zh = takeaway(drill, len(examples))
    notes = []
    tolerance = f"± {drill.tolerance * 100:g} %"
    for number, params in enumerate(examples, start=1):
        rendered = render_drill(drill, params)
        key = f"{drill.id}#{number}"
        fields = {
            "Prompt": escape(rendered.prompt.en), "PromptZh": escape(rendered.prompt.zh),
            "Answer": escape(rendered.answer_text), "Tolerance": escape(tolerance),
            "Solution": escape(rendered.solution.en), "SolutionZh": escape(rendered.solution.zh),
            "Explanation": escape(explain_en), "ExplanationZh": escape(explain_zh),
            "Example": f"{number}/{len(examples)}", "Hint": "",
            **_common(cat, drill.source, key),
        }
        # Our one schedule for the drill travels with its first worked example.
        notes.append(NoteSpec(DRILL.key, key, drill.id, drill.category,
                              _ordered(DRILL.key, fields), _tags(cat, "drill"),
                              (cid if number == 1 else None,), positions.get(cid, 0), (cid,),
                              (number, len(examples))))
    return notes


def new_card_order(notes: Sequence[NoteSpec]) -> list[NoteSpec]:
    """Deck order, except that a drill's worked examples are spread out: `SPREAD_CARDS` new cards
    of their category apart (Anki gathers new cards deck by deck), the last no later than the
    category's end — so the first may move earlier. The export numbers the notes in this order."""
    ordered = sorted(notes, key=lambda n: (n.position, n.key))
    fixed = [n for n in ordered if n.example[1] <= 1]
    runs: dict[str, list[NoteSpec]] = {}
    for note in fixed:
        runs.setdefault(note.category, []).append(note)
    # slot (category, t): after the category's first t fixed notes
    slots: dict[tuple[str, int], list[NoteSpec]] = {}
    starts: dict[str, float] = {}
    for note in (n for n in ordered if n.example[1] > 1):
        run = runs.get(note.category, [])
        prefix = list(itertools.accumulate((len(n.cards) for n in run), initial=0))
        number, count = note.example
        if note.item not in starts:
            natural = prefix[sum(1 for other in run if other.position < note.position)]
            starts[note.item] = min(natural, max(0, prefix[-1] - (count - 1) * SPREAD_CARDS))
        target = starts[note.item] + (number - 1) * min(SPREAD_CARDS, prefix[-1] / (count - 1))
        slot = next((t for t, before in enumerate(prefix) if before >= target - 1e-9), len(run))
        slots.setdefault((note.category, slot), []).append(note)
    out: list[NoteSpec] = []
    done: dict[str, int] = dict.fromkeys(runs, 0)

    def flush(category: str) -> None:
        waiting = slots.pop((category, done.get(category, 0)), [])
        out.extend(sorted(waiting, key=lambda n: (n.example[0], n.position, n.key)))

    for note in fixed:
        flush(note.category)
        out.append(note)
        done[note.category] += 1
        if done[note.category] == len(runs[note.category]):
            flush(note.category)
    for key in sorted(slots):  # categories with drills only
        out.extend(sorted(slots[key], key=lambda n: (n.example[0], n.position, n.key)))
    return out


_NAMES = {key: spec.field_names for key, spec in MODELS.items()}


def _ordered(model: str, fields: dict[str, str]) -> tuple[str, ...]:
    names = _NAMES[model]
    missing = set(names) - set(fields)
    extra = set(fields) - set(names)
    if missing or extra:  # a programming error, not user input
        raise AssertionError(f"{model}: fields missing {missing}, unknown {extra}")
    return tuple(fields[n] for n in names)


# Fields that must never be empty (Anki would show a blank side).
REQUIRED = {
    TERM.key: ("Term", "TermZh", "Definition", "DefinitionZh", "Category", "QuizappId"),
    TRAP.key: ("Prompt", "PromptZh", "Options", "Answer", "Explanation", "ExplanationZh",
               "Category", "QuizappId"),
    SCENARIO.key: ("Prompt", "PromptZh", "Options", "Answer", "Reason", "ReasonZh", "Category",
                   "QuizappId"),
    DRILL.key: ("Prompt", "PromptZh", "Answer", "Solution", "SolutionZh", "Category", "QuizappId"),
}


def _check(note: NoteSpec) -> None:
    names = _NAMES[note.model]
    empty = [n for n in REQUIRED[note.model] if not note.fields[names.index(n)].strip()]
    if empty:
        raise QuizappError(f"cannot export '{note.key}': empty {', '.join(empty)}")
