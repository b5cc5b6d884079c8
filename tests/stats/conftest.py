"""A three-category deck and a way to write review histories with known answers.

Histories go straight into the `reviews` table of the real store, a SQLite file or a PostgreSQL
database (the store only ever writes "now"); the cards they touch are marked studied so card-state
numbers stay consistent.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

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
        self.server = ctx.store.server

    def add(self, card_id: str, day: date, correct: bool, *, kind: str = "review",
            grade: int | None = None, answer: str = "", ef_before: int = 250,
            ef_after: int | None = None) -> None:
        grade = (5 if correct else 1) if grade is None else grade
        ef_after = ef_before if ef_after is None else ef_after
        moment = datetime.combine(day, time(12), tzinfo=UTC).isoformat()
        d = day.toordinal()
        values = {"learner": self.ctx.store.learner, "card": card_id, "moment": moment, "day": d,
                  "grade": grade, "answer": answer, "correct": bool(correct), "kind": kind,
                  "ef_before": ef_before, "reps_after": int(correct), "ef_after": ef_after,
                  "next": d + 1, "lapse": int(grade < 3)}
        # Straight into the tables, past the store: the summaries must follow (database triggers).
        greatest = "greatest" if self.server else "max"
        with self.ctx.store._engine.begin() as db:
            db.execute(text(
                "INSERT INTO reviews (learner, card_id, answered_at, study_day, grade, answer, correct, "
                "response_ms, kind, was_new, reps_before, ef_before, interval_before, due_before, "
                "last_day_before, reps_after, ef_after, interval_after, due_after) "
                "VALUES (:learner, :card, :moment, :day, :grade, :answer, :correct, 1500, :kind, false, "
                "1, :ef_before, 1, :day, NULL, :reps_after, :ef_after, 1, :next)"), values)
            if kind == "review":
                db.execute(text(
                    "UPDATE cards SET reviews = reviews + 1, lapses = lapses + :lapse, "
                    f"last_review_day = {greatest}(coalesce(last_review_day, 0), :day), "
                    f"due = {greatest}(coalesce(due, 0), :next), interval = 1 "
                    "WHERE learner = :learner AND id = :card"), values)

    def spread(self, category: str, day: date, right: int, wrong: int, **kw: object) -> None:
        """`right` correct then `wrong` failed reviews, spread round-robin over the category."""
        ids = cards_of(self.ctx, category)
        for i in range(right + wrong):
            self.add(ids[i % len(ids)], day, i < right, **kw)  # type: ignore[arg-type]

    def set_card(self, card_id: str, **values: object) -> None:
        cols = ", ".join(f"{k} = :{k}" for k in values)
        with self.ctx.store._engine.begin() as db:
            db.execute(text(f"UPDATE cards SET {cols} WHERE learner = :learner_ AND id = :card_id_"),
                       {**values, "learner_": self.ctx.store.learner, "card_id_": card_id})


@pytest.fixture
def three_deck(tmp_path: Path) -> Path:
    return write_deck(tmp_path / "deck")


@pytest.fixture
def sctx(store_target: Path | str, three_deck: Path, clock: Clock) -> Iterator[AppContext]:
    context = AppContext.open(store_target, [three_deck], clock=clock)
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
