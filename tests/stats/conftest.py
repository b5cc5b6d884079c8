"""A three-category deck and a way to write review histories with known answers.

Histories go straight into the `reviews` table of a real SQLite file (the store only ever writes
"now"); the cards they touch are marked studied so card-state numbers stay consistent.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from quizapp.session.context import AppContext, utc_now
from tests.conftest import Clock

CATEGORIES = {"alpha": ("Alpha", "甲"), "beta": ("Beta", "乙"), "gamma": ("Gamma", "丙")}


def write_deck(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    parts = ['[deck]\nid = "three"\nname_en = "Three"\nname_zh = "三"\n']
    for cat, (en, zh) in CATEGORIES.items():
        parts.append(f'[categories.{cat}]\nen = "{en}"\nzh = "{zh}"\n')
    for cat in CATEGORIES:
        for i in range(3):
            parts.append(
                f'[[term]]\nid = "{cat}-{i}"\nen = "{cat.title()} term {i}"\nzh = "{cat}词{i}"\n'
                f'category = "{cat}"\ndef_en = "Definition number {i} of group {cat[0]}."\n'
                f'def_zh = "定义 {i}。"\nexplain_en = "Explained."\nexplain_zh = "解释。"\n')
    (folder / "deck.toml").write_text("\n".join(parts), encoding="utf-8")
    return folder


def cards_of(ctx: AppContext, category: str) -> list[str]:
    return [c.id for c in ctx.deck.cards() if c.category == category]


class History:
    """Write review-log rows with known outcomes."""

    def __init__(self, ctx: AppContext):
        self.ctx = ctx
        self.path = ctx.store.path

    def add(self, card_id: str, day: date, correct: bool, *, kind: str = "review",
            grade: int | None = None, answer: str = "", ef_before: int = 250,
            ef_after: int | None = None) -> None:
        grade = (5 if correct else 1) if grade is None else grade
        ef_after = ef_before if ef_after is None else ef_after
        moment = datetime.combine(day, time(12), tzinfo=UTC).isoformat()
        with sqlite3.connect(self.path) as db:
            db.execute(
                "INSERT INTO reviews (card_id, answered_at, study_day, grade, answer, correct, "
                "response_ms, kind, was_new, reps_before, ef_before, interval_before, due_before, "
                "last_day_before, reps_after, ef_after, interval_after, due_after) "
                "VALUES (?, ?, ?, ?, ?, ?, 1500, ?, 0, 1, ?, 1, ?, NULL, ?, ?, 1, ?)",
                (card_id, moment, day.toordinal(), grade, answer, int(correct), kind, ef_before,
                 day.toordinal(), int(correct), ef_after, day.toordinal() + 1))
            if kind == "review":
                db.execute("UPDATE cards SET reviews = reviews + 1, lapses = lapses + ?, "
                           "last_review_day = max(coalesce(last_review_day, 0), ?), "
                           "due = max(coalesce(due, 0), ?), interval = 1 WHERE id = ?",
                           (int(grade < 3), day.toordinal(), day.toordinal() + 1, card_id))

    def spread(self, category: str, day: date, right: int, wrong: int, **kw: object) -> None:
        """`right` correct then `wrong` failed reviews, spread round-robin over the category."""
        ids = cards_of(self.ctx, category)
        for i in range(right + wrong):
            self.add(ids[i % len(ids)], day, i < right, **kw)  # type: ignore[arg-type]

    def set_card(self, card_id: str, **values: object) -> None:
        cols = ", ".join(f"{k} = ?" for k in values)
        with sqlite3.connect(self.path) as db:
            db.execute(f"UPDATE cards SET {cols} WHERE id = ?", (*values.values(), card_id))


@pytest.fixture
def three_deck(tmp_path: Path) -> Path:
    return write_deck(tmp_path / "deck")


@pytest.fixture
def sctx(tmp_path: Path, three_deck: Path, clock: Clock) -> Iterator[AppContext]:
    context = AppContext.open(tmp_path / "stats.db", [three_deck], clock=clock)
    context.update_settings(timezone="UTC")
    yield context
    context.close()


@pytest.fixture
def live_ctx(tmp_path: Path, three_deck: Path) -> Iterator[AppContext]:
    """On the real clock, for tests that run the `quizapp` command in another process."""
    context = AppContext.open(tmp_path / "live.db", [three_deck], clock=utc_now)
    context.update_settings(timezone="UTC")
    yield context
    context.close()


@pytest.fixture
def history(sctx: AppContext) -> History:
    return History(sctx)


def days_ago(ctx: AppContext, n: int) -> date:
    return ctx.today() - timedelta(days=n)
