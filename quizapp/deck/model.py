"""The deck as plain, validated, immutable data.

Deck files are the source of truth for *content*; the store is the source of truth for *memory*.
Card ids are derived from the item id and the card kind only, so editing any text keeps a
learner's progress.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from enum import StrEnum


class CardKind(StrEnum):
    DEF_TERM = "def-term"  # definition shown, learner names the term
    TERM_DEF = "term-def"  # term shown, learner picks the definition
    TRAP = "trap"  # look-alike pair, answer is exactly one of them
    SCENARIO = "scenario"  # "which parallelism / technique?"
    DRILL = "drill"  # numeric estimation with fresh parameters


TERM_KINDS = (CardKind.DEF_TERM, CardKind.TERM_DEF)


@dataclass(frozen=True)
class Location:
    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Category:
    id: str
    en: str
    zh: str


@dataclass(frozen=True)
class Term:
    id: str
    en: str
    zh: str
    category: str
    def_en: str
    def_zh: str
    explain_en: str
    explain_zh: str
    abbr: str = ""
    aliases: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()
    facts_zh: tuple[str, ...] = ()
    source: str = ""
    twin: str = ""  # id of the confusable term, if any
    case_sensitive: bool = False  # "FLOPS" and "FLOPs" are different answers
    family: str = ""  # what kind of thing it is (`quizapp.deck.families`), for fair distractors
    members: tuple[str, ...] = ()  # an umbrella term's instances: never each other's distractors
    at: Location | None = field(default=None, compare=False)

    @property
    def answers(self) -> tuple[str, ...]:
        """Every spelling a learner may type for this term."""
        names = (self.abbr, self.en, self.zh, *self.aliases)
        return tuple(dict.fromkeys(n for n in names if n))

    @property
    def display(self) -> str:
        return f"{self.abbr} · {self.en}" if self.abbr and self.abbr != self.en else self.en


@dataclass(frozen=True)
class Trap:
    id: str
    category: str
    terms: tuple[str, ...]  # the look-alike term ids this trap is about
    prompt_en: str
    prompt_zh: str
    options: tuple[str, ...]
    answer: str
    explain_en: str
    explain_zh: str
    exact: bool = True  # case and units matter when typed
    source: str = ""
    options_zh: tuple[str, ...] = ()  # the options in Chinese, parallel to `options`
    accept: tuple[str, ...] = ()  # other spellings of the answer accepted when typed
    at: Location | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Scenario:
    id: str
    category: str
    prompt_en: str
    prompt_zh: str
    options: tuple[str, ...]
    answer: str
    reason_en: str
    reason_zh: str
    source: str = ""
    at: Location | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Drill:
    """A numeric estimation template; `formula` names a function in `quizapp.deck.formulas`."""

    id: str
    category: str
    formula: str
    prompt_en: str
    prompt_zh: str
    solution_en: str
    solution_zh: str
    unit: str
    tolerance: float  # relative, e.g. 0.1 = within 10 %
    params: tuple[tuple[str, tuple[object, ...]], ...]  # name -> choices, in file order
    explain_en: str = ""
    explain_zh: str = ""
    examples: tuple[tuple[tuple[str, object], ...], ...] = ()  # fixed draws for static export
    source: str = ""
    answer_type: str = "quantity"  # "count" (a whole number), "quantity" or "conversion"
    at: Location | None = field(default=None, compare=False)

    @property
    def param_choices(self) -> dict[str, tuple[object, ...]]:
        return dict(self.params)


Item = Term | Trap | Scenario | Drill


@dataclass(frozen=True)
class Card:
    """One schedulable unit. `content_hash` changes whenever the text a learner sees changes."""

    id: str
    kind: CardKind
    category: str
    item_id: str
    position: int  # deck order, used for introducing new cards
    content_hash: str


def card_id(item_id: str, kind: CardKind) -> str:
    return f"{item_id}:{kind.value}"


def content_hash(item: Item) -> str:
    """Changes exactly when some text or number of the item changes (not its file position)."""
    data = [[f.name, getattr(item, f.name)] for f in fields(item) if f.name != "at"]
    blob = json.dumps(data, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Deck:
    id: str
    name_en: str
    name_zh: str
    categories: tuple[Category, ...]
    terms: tuple[Term, ...] = ()
    traps: tuple[Trap, ...] = ()
    scenarios: tuple[Scenario, ...] = ()
    drills: tuple[Drill, ...] = ()

    def category(self, category_id: str) -> Category:
        return next(c for c in self.categories if c.id == category_id)

    def terms_in(self, category_id: str) -> tuple[Term, ...]:
        """The category's terms in deck order (cached: distractors are drawn from it per card)."""
        groups = self.__dict__.get("_terms_by_category")
        if groups is None:
            groups = {}
            for t in self.terms:
                groups.setdefault(t.category, []).append(t)
            groups = {k: tuple(v) for k, v in groups.items()}
            object.__setattr__(self, "_terms_by_category", groups)
        return groups.get(category_id, ())

    def term(self, term_id: str) -> Term:
        return self._items()[term_id]  # type: ignore[return-value]

    def item(self, item_id: str) -> Item:
        return self._items()[item_id]

    def _items(self) -> dict[str, Item]:
        cache = self.__dict__.get("_item_cache")
        if cache is None:
            cache = {i.id: i for i in (*self.terms, *self.traps, *self.scenarios, *self.drills)}
            object.__setattr__(self, "_item_cache", cache)
        return cache

    def cards(self) -> tuple[Card, ...]:
        """Every card the deck generates, in the order new cards are introduced."""
        cached = self.__dict__.get("_card_cache")
        if cached is not None:
            return cached
        columns = self.__dict__.get("_card_columns")
        if columns is not None:  # unpickled: the cards as columns (see __getstate__)
            return self._cards_from(columns)
        cards: list[Card] = []
        hashes: dict[str, str] = {}
        for item, kind in _introduction_order(self):
            digest = hashes.get(item.id) or hashes.setdefault(item.id, content_hash(item))
            cards.append(Card(card_id(item.id, kind), kind, item.category, item.id, len(cards), digest))
        result = tuple(cards)
        object.__setattr__(self, "_card_cache", result)
        return result

    # -- pickling (the deck cache, `quizapp.deck.cache`) -----------------------------------------
    def __getstate__(self) -> dict[str, object]:
        """The fields, the fingerprint, and the cards as five columns of strings: unpickling
        100 000 `Card` objects (each with an enum) cost more than the rest of the deck, and a
        command that only needs the fingerprint and the categories (`quizapp due`, an unchanged
        deck's sync) never builds them. Lookup tables are rebuilt on demand."""
        state = {f.name: getattr(self, f.name) for f in fields(self)}
        cards = self.__dict__.get("_card_cache")
        if cards is not None:
            state["_fingerprint"] = self.fingerprint
            state["_card_columns"] = tuple(zip(*((c.id, c.kind.value, c.category, c.item_id, c.content_hash)
                                                 for c in cards), strict=True)) or ((),) * 5
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)  # frozen: no __setattr__; older caches may hold `_card_cache`

    def _cards_from(self, columns: tuple[tuple[str, ...], ...]) -> tuple[Card, ...]:
        kinds = {k.value: k for k in CardKind}
        result = tuple(Card(cid, kinds[kind], category, item_id, position, digest)
                       for position, (cid, kind, category, item_id, digest) in enumerate(zip(*columns, strict=True)))
        object.__setattr__(self, "_card_cache", result)
        self.__dict__.pop("_card_columns", None)
        return result

    @property
    def fingerprint(self) -> str:
        """Changes whenever any card is added, removed, reordered or edited: when to re-sync."""
        cached = self.__dict__.get("_fingerprint")
        if cached is None:
            digest = hashlib.sha256()
            for c in self.cards():
                digest.update(f"{c.id}\0{c.category}\0{c.position}\0{c.content_hash}\n".encode())
            cached = digest.hexdigest()[:24]
            object.__setattr__(self, "_fingerprint", cached)
        return cached

    def card(self, card_id_: str) -> Card:
        """Raises KeyError for an id the deck does not generate."""
        index = self.__dict__.get("_card_index")
        if index is None:
            index = {c.id: c for c in self.cards()}
            object.__setattr__(self, "_card_index", index)
        return index[card_id_]


SIBLING_LAG = 8  # a term's term→definition card comes this many terms after its first card


def _round_robin(items: tuple[Item, ...], categories: tuple[Category, ...]) -> list[Item]:
    """Alternate categories so the first days of study are not all one topic."""
    groups = [[i for i in items if i.category == c.id] for c in categories]
    longest = max((len(g) for g in groups), default=0)
    return [group[k] for k in range(longest) for group in groups if k < len(group)]


def _introduction_order(deck: Deck) -> list[tuple[Item, CardKind]]:
    """Deck order for new cards: categories interleaved, siblings apart, a trap, scenario or
    drill (in turn) after every two new terms."""
    terms = _round_robin(deck.terms, deck.categories)
    # Traps, scenarios and drills take turns, so the first day already mixes every kind.
    kinds = [[(i, CardKind.TRAP) for i in _round_robin(deck.traps, deck.categories)],
             [(i, CardKind.SCENARIO) for i in deck.scenarios],
             [(i, CardKind.DRILL) for i in deck.drills]]
    extras: list[tuple[Item, CardKind]] = [
        group[k] for k in range(max(map(len, kinds))) for group in kinds if k < len(group)]
    order: list[tuple[Item, CardKind]] = []
    next_extra = 0
    for index, term in enumerate(terms):
        order.append((term, CardKind.DEF_TERM))
        if index >= SIBLING_LAG:
            order.append((terms[index - SIBLING_LAG], CardKind.TERM_DEF))
        if index % 2 == 1 and next_extra < len(extras):
            order.append(extras[next_extra])
            next_extra += 1
    order.extend((t, CardKind.TERM_DEF) for t in terms[max(0, len(terms) - SIBLING_LAG):])
    order.extend(extras[next_extra:])
    return order
