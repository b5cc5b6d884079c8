"""Browsing the deck's cards with their schedules: what the browse screen shows and changes.

The screen keeps no store of its own: it asks a `Browser` for the rows, a card's detail and to
suspend or unsuspend a card.
"""

from __future__ import annotations

from dataclasses import dataclass

from quizapp.deck.model import Drill, Scenario, Term, Trap
from quizapp.session.context import AppContext
from quizapp.session.overview import card_title
from quizapp.store.store import CardRecord, ReviewRecord

__all__ = ["Browser", "CardDetail", "CardRecord"]

RECENT_ANSWERS = 5  # answers shown in a card's detail, latest last


@dataclass(frozen=True)
class CardDetail:
    record: CardRecord
    title: str
    item: Term | Trap | Scenario | Drill | None  # None: retired from the deck
    recent: tuple[ReviewRecord, ...]  # the card's last answers, oldest first


class Browser:
    """Every active card with a one-line title in the chosen language."""

    def __init__(self, ctx: AppContext, language: str):
        self.ctx = ctx
        self.language = language
        self.records: dict[str, CardRecord] = {}
        self.titles: dict[str, str] = {}

    def load(self) -> dict[str, CardRecord]:
        """(Re)read every active card, in deck order."""
        self.records = {r.id: r for r in self.ctx.store.all_cards()}
        self.titles = {cid: card_title(self.ctx.deck, r, self.language)
                       for cid, r in self.records.items()}
        return self.records

    def matches(self, query: str) -> list[CardRecord]:
        """The cards whose title, category or id contains `query` (case-insensitive)."""
        needle = query.casefold().strip()
        return [r for cid, r in self.records.items()
                if not needle or needle in f"{self.titles[cid]} {r.category} {cid}".casefold()]

    def detail(self, card_id: str) -> CardDetail:
        record = self.records[card_id]
        try:
            item = self.ctx.deck.item(record.item_id)
        except KeyError:
            item = None
        recent = tuple(self.ctx.store.review_log(card_id)[-RECENT_ANSWERS:])
        return CardDetail(record, self.titles[card_id], item, recent)

    def toggle_suspended(self, card_id: str) -> CardRecord:
        """Suspend the card, or unsuspend it if it is suspended; returns its new record."""
        self.ctx.store.set_suspended(card_id, not self.records[card_id].suspended)
        self.records[card_id] = self.ctx.store.card(card_id)
        return self.records[card_id]
