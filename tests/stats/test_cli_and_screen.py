"""`quizapp stats`, `quizapp history --csv`, `quizapp quiz --weak` as real processes, and the
statistics screen showing exactly what `quizapp stats --json` prints."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable

from quizapp.session.context import AppContext
from quizapp.stats import report
from quizapp.tui.screens.stats import StatsScreen
from tests.test_cli import quizapp
from tests.tui.conftest import make_app, play, text_of

from .conftest import History, days_ago

REQUIRED = ["category", "cards", "reviews", "correct", "accuracy", "lapses", "mean_easiness",
            "weakness"]


def build(ctx: AppContext) -> History:
    """alpha 90 % right, beta 40 %, gamma two reviews (both wrong); some of it weeks old."""
    history = History(ctx)
    history.spread("alpha", days_ago(ctx, 0), right=9, wrong=1)
    history.spread("alpha", days_ago(ctx, 20), right=9, wrong=1)
    history.spread("beta", days_ago(ctx, 1), right=4, wrong=6)
    history.spread("beta", days_ago(ctx, 40), right=4, wrong=6)
    history.spread("gamma", days_ago(ctx, 2), right=0, wrong=2)
    history.add("gamma-0:def-term", days_ago(ctx, 0), True, kind="practice")
    return history


def run(ctx: AppContext, deck: Path, *args: str, stdin: str = ""):
    return quizapp("--db", str(ctx.store.path), "--deck", str(deck), *args, stdin=stdin)


def test_stats_json(live_ctx: AppContext, three_deck: Path) -> None:
    build(live_ctx)
    done = run(live_ctx, three_deck, "stats", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert {"categories", "kinds", "total_reviews", "streak_days"} <= set(data)
    assert [c["category"] for c in data["categories"]] == ["beta", "gamma", "alpha"]
    for entry in data["categories"]:
        assert list(entry)[:len(REQUIRED)] == REQUIRED
    beta = data["categories"][0]
    assert (beta["reviews"], beta["correct"], beta["accuracy"], beta["lapses"]) == (20, 8, 0.4, 12)
    alpha = data["categories"][2]
    assert (alpha["reviews"], alpha["correct"], alpha["accuracy"]) == (20, 18, 0.9)
    assert data["categories"][1]["reviews"] == 2
    assert data["total_reviews"] == 42 and data["streak_days"] == 3
    assert [k["kind"] for k in data["kinds"]] and all("weakness" in k for k in data["kinds"])
    from quizapp.session.insights import insights  # the models, recall, forecast, trends

    assert data == json.loads(json.dumps(report(live_ctx.store, live_ctx.deck,
                                                live_ctx.today()).as_json()
                                         | insights(live_ctx).as_json()))

    recent = json.loads(run(live_ctx, three_deck, "stats", "--json", "--days", "7").stdout)
    assert recent["total_reviews"] == 22 and recent["days"] == 7
    assert {c["category"]: c["reviews"] for c in recent["categories"]} == {
        "alpha": 10, "beta": 10, "gamma": 2}

    bad = run(live_ctx, three_deck, "stats", "--days", "0")
    assert bad.returncode == 2 and "1 or more" in bad.stderr


def test_stats_table(live_ctx: AppContext, three_deck: Path) -> None:
    build(live_ctx)
    done = run(live_ctx, three_deck, "stats")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.index("Beta") < out.index("Gamma") < out.index("Alpha")
    assert "42 reviews" in out and "streak 3 days" in out and "definition → term" in out
    view = report(live_ctx.store, live_ctx.deck, live_ctx.today())
    assert f"{view.category('beta').weakness:.2f}" in out


def test_history_csv_command(live_ctx: AppContext, three_deck: Path, tmp_path: Path) -> None:
    build(live_ctx)
    live_ctx.store.record("alpha-1:term-def", 2, now=live_ctx.now(), today=live_ctx.today(),
                          answer="答案", correct=False)
    done = run(live_ctx, three_deck, "history", "--csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert len(rows) == 44
    assert rows[-1]["answer"] == "答案" and rows[-1]["category"] == "alpha"
    assert rows[-1]["study_day"] == live_ctx.today().isoformat()
    assert {r["review_kind"] for r in rows} == {"review", "redrill", "practice"}  # alpha-1 was reviewed today

    out = tmp_path / "out" / "log.csv"
    out.parent.mkdir()
    done = run(live_ctx, three_deck, "history", "--csv", "--out", str(out))
    assert done.returncode == 0 and "44 reviews" in done.stderr and done.stdout == ""
    assert out.read_text(encoding="utf-8").splitlines()[0].startswith("review_id,answered_at,")
    assert list(out.parent.iterdir()) == [out]  # no temp file left behind
    folder = run(live_ctx, three_deck, "history", "--csv", "--out", str(tmp_path))
    assert folder.returncode == 1 and "folder" in folder.stderr
    assert run(live_ctx, three_deck, "history").returncode == 2  # --csv is the format to ask for


def test_quiz_weak_plain(live_ctx: AppContext, three_deck: Path) -> None:
    none = run(live_ctx, three_deck, "quiz", "--weak", "--plain")
    assert none.returncode == 1 and "no weak category yet" in none.stderr
    build(live_ctx)
    before = {c.id: c for c in live_ctx.store.all_cards()}
    done = run(live_ctx, three_deck, "quiz", "--weak", "--plain", stdin="\n3\n" * 3)
    assert done.returncode == 0, done.stderr
    log = live_ctx.store.review_log()[-3:]
    assert all(live_ctx.deck.card(r.card_id).category == "beta" for r in log)
    for r in log:  # history cards are due tomorrow or earlier: only due ones may move
        moved = live_ctx.store.card(r.card_id) != before[r.card_id]
        assert moved == (r.kind == "review")
    clash = run(live_ctx, three_deck, "quiz", "--weak", "--card", "alpha-0:def-term")
    assert clash.returncode == 1 and "--weak" in clash.stderr


def test_statistics_screen_shows_what_stats_prints(live_ctx: AppContext, three_deck: Path) -> None:
    build(live_ctx)
    printed = json.loads(run(live_ctx, three_deck, "stats", "--json").stdout)
    app = make_app(live_ctx)
    shown: dict[str, list[list[str]]] = {}

    async def script(pilot: Pilot) -> None:
        await pilot.press("t")
        assert isinstance(app.screen, StatsScreen)
        for table_id in ("#stats-table", "#stats-kinds"):
            table = app.screen.query_one(table_id, DataTable)
            shown[table_id] = [[str(cell) for cell in table.get_row_at(i)]
                               for i in range(table.row_count)]
        shown["head"] = [[text_of(app, "#stats-head")]]

    play(app, script, size=(160, 48))

    def expected(entry: dict) -> list[str]:
        def pct(x: float | None) -> str:
            return "—" if x is None else f"{x:.0%}"

        def num(x: float | None) -> str:
            return "—" if x is None else f"{x:.2f}"

        return [entry["name"], num(entry["weakness"]), str(entry["reviews"]), pct(entry["accuracy"]),
                pct(entry["accuracy_7"]), pct(entry["accuracy_30"]), str(entry["lapses"]),
                f"{entry['new']}/{entry['learning']}/{entry['mature']}",
                num(entry["mean_easiness"]), str(entry["leeches"])]

    assert shown["#stats-table"] == [expected(c) for c in printed["categories"]]
    assert shown["#stats-kinds"] == [expected(k) for k in printed["kinds"]]
    assert [row[0] for row in shown["#stats-table"]] == ["Beta", "Gamma", "Alpha"]
    head = shown["head"][0][0]
    assert f"{printed['total_reviews']} reviews" in head
    assert f"{printed['streak_days']} day streak" in head
    assert f"{printed['total_answers']} answers in total" in head


def test_weak_drill_in_the_full_screen_app(live_ctx: AppContext) -> None:
    from quizapp.session.quiz import QuizSession
    from quizapp.tui.screens.quiz import QuizScreen

    build(live_ctx)
    app = make_app(live_ctx, session=QuizSession.weak(live_ctx))

    async def script(pilot: Pilot) -> None:
        assert isinstance(app.screen, QuizScreen)
        session = app.screen.session
        assert session.title == "Drill · Beta"
        assert {live_ctx.deck.card(c).category for c in session.card_ids} == {"beta"}
        await pilot.press("escape")
        await pilot.press("w")  # the home screen's w starts the same drill
        assert isinstance(app.screen, QuizScreen)
        assert list(app.screen.session.card_ids) == list(session.card_ids)

    play(app, script)


def test_stats_at_80_columns_keeps_whole_names(ctx, capsys, monkeypatch) -> None:
    """On an 80-column terminal the tables drop columns instead of cutting the names."""
    import argparse
    import sys

    from quizapp.commands import stats_command

    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    stats_command(ctx, argparse.Namespace(json=False, days=None))
    import re

    out = re.sub(r"\x1b\[[0-9;]*m", "", capsys.readouterr().out)  # a terminal gets colours
    lines = out.splitlines()
    assert max(len(line) for line in lines if line.startswith(("┃", "│", "┏", "└"))) <= 80
    for category in ctx.deck.categories:
        assert category.en in out  # whole, not "Infer…"
    assert "new/lrn/mat" not in out and "acc." in out
