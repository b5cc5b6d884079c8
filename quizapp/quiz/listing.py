"""What each card asks and accepts, for `quizapp cards` and for people hunting a card id."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from quizapp.deck.model import Card, CardKind, Deck, Drill, Scenario, Term, Trap


@dataclass(frozen=True)
class CardListing:
    id: str
    kind: str
    category: str
    term_id: str  # the item the card comes from (a term, trap, scenario or drill id)
    prompt_en: str
    prompt_zh: str
    answer: str
    answer_type: str  # "choice", "text", or a drill's "count" | "quantity" | "conversion"
    options: tuple[str, ...] | None = None  # fixed option lists (traps, scenarios); shown shuffled

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["options"] = list(self.options) if self.options is not None else None
        return data


def list_card(deck: Deck, card: Card) -> CardListing:
    """Term cards' options are drawn afresh at each showing (same category and family), so they
    list none; a def→term card is multiple choice until its first right answer, then typed."""
    item = deck.item(card.item_id)
    options: tuple[str, ...] | None = None
    if isinstance(item, Term):
        if card.kind is CardKind.DEF_TERM:
            prompt, answer, answer_type = (item.def_en, item.def_zh), item.display, "text"
        else:
            prompt, answer, answer_type = (item.display, item.zh), item.def_en, "choice"
    elif isinstance(item, Trap | Scenario):
        prompt, answer, options = (item.prompt_en, item.prompt_zh), item.answer, item.options
        answer_type = "choice"
    else:
        assert isinstance(item, Drill)
        prompt, answer = (item.prompt_en, item.prompt_zh), f"{item.formula} → {item.unit}"
        answer_type = item.answer_type
    return CardListing(card.id, card.kind.value, card.category, item.id, *prompt, answer,
                       answer_type, options)


def list_cards(deck: Deck, categories: list[str] | None = None,
               kinds: list[str] | None = None) -> list[CardListing]:
    return [list_card(deck, c) for c in deck.cards()
            if (not categories or c.category in categories) and (not kinds or c.kind.value in kinds)]


def deck_table(deck: Deck) -> str:
    """Terms and cards per category and kind, as the Markdown table the README shows."""
    kinds = [k.value for k in CardKind]
    counts: dict[tuple[str, str], int] = {}
    for card in deck.cards():
        counts[card.category, card.kind.value] = counts.get((card.category, card.kind.value), 0) + 1
    lines = ["| category | terms | " + " | ".join(kinds) + " | cards |",
             "| --- | ---: | " + " | ".join("---:" for _ in kinds) + " | ---: |"]
    for cat in deck.categories:
        row = [counts.get((cat.id, k), 0) for k in kinds]
        terms = sum(t.category == cat.id for t in deck.terms)
        lines.append(f"| {cat.en} ({cat.zh}) | {terms} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
    totals = [sum(counts.get((c.id, k), 0) for c in deck.categories) for k in kinds]
    lines.append(f"| **all** | **{len(deck.terms)}** | " + " | ".join(f"**{t}**" for t in totals)
                 + f" | **{sum(totals)}** |")
    return "\n".join(lines)
