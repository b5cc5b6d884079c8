"""Deck items → Anki note contents (plain data; no genanki, no database).

Every field is HTML: plain text goes through `html.escape`, and the only markup added is our own
(`<br>`, lists). Braces are escaped too, so `{{…}}` in a term can never become template syntax.
"""

from __future__ import annotations

import hashlib
import html
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from quizapp.deck.formulas import FORMULAS
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
from quizapp.export.models import DRILL, MODELS, SCENARIO, TERM, TRAP
from quizapp.quiz.drills import render_drill

LANGS = ("en", "zh", "both")
DRILL_EXAMPLES = 3  # fixed draws per drill when the deck gives no [[drill.example]]


@dataclass(frozen=True)
class NoteSpec:
    model: str  # key into MODELS
    key: str  # our stable id for this note; the GUID is derived from it
    category: str
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    cards: tuple[str | None, ...]  # quizapp card id per template ord (None: no progress to carry)
    position: int  # new-card order (the smallest position of its cards)
    sources: tuple[str, ...] = ()  # quizapp cards whose content this note shows (for mod times)

    @property
    def source_cards(self) -> tuple[str, ...]:
        return self.sources or tuple(c for c in self.cards if c)


def escape(text: str) -> str:
    """Plain text → HTML that Anki shows literally (also `{{`, `}}` and quotes)."""
    out = html.escape(text.strip(), quote=True)
    out = out.replace("{", "&#123;").replace("}", "&#125;")
    return out.replace("\r\n", "\n").replace("\n", "<br>")


def bullet_list(items: Iterable[str]) -> str:
    items = [i for i in items if i.strip()]
    return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>" if items else ""


def option_list(options: Sequence[str]) -> str:
    return '<ol type="A">' + "".join(f"<li>{escape(o)}</li>" for o in options) + "</ol>"


_WS = re.compile(r"\s+", re.UNICODE)


def tag(text: str) -> str:
    """A tag Anki keeps as one tag: any whitespace (also U+3000) → `_`, no empty `::` parts."""
    parts = [_WS.sub("_", p.strip()) for p in text.split("::")]
    return "::".join(p for p in parts if p) or "_"


def deck_name(root: str, category: Category) -> str:
    def clean(name: str) -> str:
        return _WS.sub(" ", name.replace("::", ":")).strip() or "_"

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
    if lang not in LANGS:
        raise QuizappError(f"unknown language '{lang}' (choose from {', '.join(LANGS)})")
    known = {c.id for c in deck.categories}
    wanted = set(categories or known)
    bad = sorted(wanted - known)
    if bad:
        raise QuizappError(f"unknown category {', '.join(bad)} "
                           f"(choose from {', '.join(sorted(known))})")
    front = ("1" if lang in ("en", "both") else "", "1" if lang in ("zh", "both") else "")
    positions = {c.id: c.position for c in deck.cards()}
    notes: list[NoteSpec] = []
    for item in (*deck.terms, *deck.traps, *deck.scenarios, *deck.drills):
        if item.category not in wanted:
            continue
        cat = deck.category(item.category)
        if isinstance(item, Term):
            notes.append(_term_note(item, cat, front, positions))
        elif isinstance(item, Trap):
            notes.append(_choice_note(TRAP.key, item, cat, front, positions, item.explain_en,
                                      item.explain_zh))
        elif isinstance(item, Scenario):
            notes.append(_choice_note(SCENARIO.key, item, cat, front, positions, item.reason_en,
                                      item.reason_zh))
        elif isinstance(item, Drill):
            notes.extend(_drill_notes(item, cat, front, positions))
    for note in notes:
        _check(note)
    return sorted(notes, key=lambda n: (n.position, n.key))


def _tags(category: Category, kind: str) -> tuple[str, ...]:
    return ("quizapp", tag(f"category::{category.id}"), tag(f"kind::{kind}"))


def _term_note(term: Term, cat: Category, front: tuple[str, str], positions: dict[str, int]
               ) -> NoteSpec:
    cards = tuple(card_id(term.id, k) for k in (CardKind.DEF_TERM, CardKind.TERM_DEF))
    aliases = [a for a in term.aliases if a not in (term.en, term.abbr, term.zh)]
    fields = {
        "Term": escape(term.display), "TermZh": escape(term.zh),
        "Definition": escape(term.def_en), "DefinitionZh": escape(term.def_zh),
        "Explanation": escape(term.explain_en), "ExplanationZh": escape(term.explain_zh),
        "Facts": bullet_list(term.facts), "FactsZh": bullet_list(term.facts_zh),
        "Aliases": escape(" · ".join(aliases)),
        "Category": escape(cat.en), "CategoryZh": escape(cat.zh), "Source": escape(term.source),
        "FrontEn": front[0], "FrontZh": front[1], "QuizappId": escape(term.id),
    }
    return NoteSpec(TERM.key, term.id, term.category, _ordered(TERM.key, fields),
                    _tags(cat, "term"), cards, min(positions.get(c, 0) for c in cards))


def _choice_note(model: str, item: Trap | Scenario, cat: Category, front: tuple[str, str],
                 positions: dict[str, int], why_en: str, why_zh: str) -> NoteSpec:
    kind = CardKind.TRAP if model == TRAP.key else CardKind.SCENARIO
    cid = card_id(item.id, kind)
    why = ("Explanation", "ExplanationZh") if model == TRAP.key else ("Reason", "ReasonZh")
    fields = {
        "Prompt": escape(item.prompt_en), "PromptZh": escape(item.prompt_zh),
        "Options": option_list(item.options), "Answer": escape(item.answer),
        why[0]: escape(why_en), why[1]: escape(why_zh),
        "Category": escape(cat.en), "CategoryZh": escape(cat.zh), "Source": escape(item.source),
        "FrontEn": front[0], "FrontZh": front[1], "QuizappId": escape(item.id),
    }
    return NoteSpec(model, item.id, item.category, _ordered(model, fields),
                    _tags(cat, kind.value), (cid,), positions.get(cid, 0))


def drill_examples(drill: Drill) -> list[dict[str, object]]:
    """The deck's fixed parameter sets, or a few deterministic draws when it gives none."""
    if drill.examples:
        return [dict(e) for e in drill.examples]
    rng = random.Random(f"quizapp-export:{drill.id}")
    names = [n for n in FORMULAS[drill.formula].inputs]
    choices = drill.param_choices
    total = 1
    for name in names:
        total *= len(choices[name])
    seen: list[dict[str, object]] = []
    for _ in range(50):
        if len(seen) >= min(DRILL_EXAMPLES, total):
            break
        draw = {n: rng.choice(choices[n]) for n in names}
        if draw not in seen:
            seen.append(draw)
    return seen


def _drill_notes(drill: Drill, cat: Category, front: tuple[str, str],
                 positions: dict[str, int]) -> list[NoteSpec]:
    cid = card_id(drill.id, CardKind.DRILL)
    examples = drill_examples(drill)
    notes = []
    tolerance = f"± {drill.tolerance * 100:g} %"
    for number, params in enumerate(examples, start=1):
        rendered = render_drill(drill, params)
        fields = {
            "Prompt": escape(rendered.prompt.en), "PromptZh": escape(rendered.prompt.zh),
            "Answer": escape(rendered.answer_text), "Tolerance": escape(tolerance),
            "Solution": escape(rendered.solution.en), "SolutionZh": escape(rendered.solution.zh),
            "Explanation": escape(drill.explain_en), "ExplanationZh": escape(drill.explain_zh),
            "Example": f"{number}/{len(examples)}",
            "Category": escape(cat.en), "CategoryZh": escape(cat.zh),
            "Source": escape(drill.source),
            "FrontEn": front[0], "FrontZh": front[1], "QuizappId": escape(f"{drill.id}#{number}"),
        }
        # Our one schedule for the drill travels with its first worked example.
        notes.append(NoteSpec(DRILL.key, f"{drill.id}#{number}", drill.category,
                              _ordered(DRILL.key, fields), _tags(cat, "drill"),
                              (cid if number == 1 else None,), positions.get(cid, 0), (cid,)))
    return notes


def _ordered(model: str, fields: dict[str, str]) -> tuple[str, ...]:
    names = MODELS[model].field_names
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
    names = MODELS[note.model].field_names
    empty = [n for n in REQUIRED[note.model] if not note.fields[names.index(n)].strip()]
    if empty:
        raise QuizappError(f"cannot export '{note.key}': empty {', '.join(empty)}")
