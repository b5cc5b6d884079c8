"""The statistics layer: SQL aggregates, the weakness score and its ranking, the CSV log."""

from __future__ import annotations

import csv
import io
import types
from datetime import timedelta

import pytest

from quizapp import stats
from quizapp.session.context import AppContext
from quizapp.session.overview import home_overview
from quizapp.stats import HALF_LIFE_DAYS, PRIOR_STRENGTH, report, weakness
from quizapp.store.store import _power

from .conftest import History, cards_of, days_ago


def known_history(history: History, ctx: AppContext) -> None:
    """alpha 90 % right (20 reviews), beta 40 % (20), gamma only two reviews, both wrong."""
    today = ctx.today()
    history.spread("alpha", today, right=18, wrong=2)
    history.spread("beta", today, right=8, wrong=12)
    history.spread("gamma", today, right=0, wrong=2)


def test_ranking_90_40_and_two_reviews(sctx: AppContext, history: History) -> None:
    known_history(history, sctx)
    view = report(sctx.store, sctx.deck, sctx.today())
    assert [c.key for c in view.categories] == ["beta", "gamma", "alpha"]
    alpha, beta, gamma = (view.category(k) for k in ("alpha", "beta", "gamma"))
    assert (alpha.reviews, alpha.correct, alpha.accuracy) == (20, 18, 0.9)
    assert (beta.reviews, beta.correct, beta.accuracy) == (20, 8, 0.4)
    assert (gamma.reviews, gamma.correct, gamma.accuracy) == (2, 0, 0.0)
    # gamma is the worst raw accuracy, but two reviews are not enough to call it the weakest
    assert gamma.accuracy < beta.accuracy and gamma.weakness < beta.weakness
    # every review is from today (weight 1): the exact formula
    prior = 26 / 42
    assert view.prior_accuracy == pytest.approx(prior)
    assert beta.weakness == pytest.approx(1 - (8 + PRIOR_STRENGTH * prior) / (20 + PRIOR_STRENGTH))
    assert gamma.weakness == pytest.approx(1 - (0 + PRIOR_STRENGTH * prior) / (2 + PRIOR_STRENGTH))
    assert alpha.weakness == pytest.approx(1 - (18 + PRIOR_STRENGTH * prior) / (20 + PRIOR_STRENGTH))
    assert view.ranking == ("beta", "gamma", "alpha")
    assert view.total_reviews == 42 and view.total_correct == 26
    # flagged weak: of the two weakest, those worse than the learner's average
    assert view.weak == ("beta", "gamma")


def test_same_answers_recent_failures_rank_weaker(sctx: AppContext, history: History) -> None:
    old, recent = days_ago(sctx, 60), sctx.today()
    history.spread("alpha", old, right=0, wrong=10)  # alpha: failed long ago, right lately
    history.spread("alpha", recent, right=10, wrong=0)
    history.spread("beta", old, right=10, wrong=0)  # beta: right long ago, failing lately
    history.spread("beta", recent, right=0, wrong=10)
    view = report(sctx.store, sctx.deck, sctx.today())
    alpha, beta = view.category("alpha"), view.category("beta")
    assert alpha.accuracy == beta.accuracy == 0.5  # same raw counts
    assert beta.weakness > alpha.weakness
    assert view.ranking[0] == "beta"
    # weights: a review 60 days old counts 0.5 ** (60 / 14)
    w = 0.5 ** (60 / HALF_LIFE_DAYS)
    assert alpha.weighted_reviews == pytest.approx(10 + 10 * w)
    assert alpha.weighted_correct == pytest.approx(10)
    assert beta.weighted_correct == pytest.approx(10 * w)


def test_only_first_reviews_count_not_redrills_or_practice(sctx: AppContext, history: History) -> None:
    today = sctx.today()
    card = cards_of(sctx, "alpha")[0]
    history.add(card, today, False)
    history.add(card, today, True, kind="redrill")
    history.add(card, today, True, kind="practice")
    history.add(card, today, False, kind="practice")
    view = report(sctx.store, sctx.deck, today)
    alpha = view.category("alpha")
    assert (alpha.reviews, alpha.correct, alpha.lapses) == (1, 0, 1)
    assert view.total_reviews == 1 and view.total_answers == 4


def test_windows_7_30_all_and_days(sctx: AppContext, history: History) -> None:
    card = cards_of(sctx, "alpha")[0]
    for age, ok in ((0, True), (6, False), (7, True), (29, True), (30, False), (200, False)):
        history.add(card, days_ago(sctx, age), ok)
    alpha = report(sctx.store, sctx.deck, sctx.today()).category("alpha")
    assert (alpha.reviews_7, alpha.correct_7) == (2, 1)
    assert (alpha.reviews_30, alpha.correct_30) == (4, 3)
    assert (alpha.reviews_all, alpha.correct_all) == (6, 3)
    assert (alpha.reviews, alpha.correct, alpha.lapses) == (6, 3, 3)
    windowed = report(sctx.store, sctx.deck, sctx.today(), days=7)
    a7 = windowed.category("alpha")
    assert (a7.reviews, a7.correct, a7.lapses) == (2, 1, 1)
    assert (a7.reviews_30, a7.reviews_all) == (4, 6)  # those columns ignore the window
    assert windowed.total_answers == 2
    with pytest.raises(ValueError):
        report(sctx.store, sctx.deck, sctx.today(), days=0)


def test_unreviewed_categories_are_not_scored(sctx: AppContext, history: History) -> None:
    view = report(sctx.store, sctx.deck, sctx.today())
    assert view.prior_accuracy is None and view.ranking == () and view.weak == ()
    assert [c.key for c in view.categories] == ["alpha", "beta", "gamma"]  # deck order
    history.spread("gamma", sctx.today(), right=1, wrong=1)
    view = report(sctx.store, sctx.deck, sctx.today())
    assert [c.key for c in view.categories] == ["gamma", "alpha", "beta"]
    assert view.category("alpha").weakness is None
    assert view.as_json()["categories"][1]["weakness"] is None


def test_everything_right_flags_nothing(sctx: AppContext, history: History) -> None:
    history.spread("alpha", sctx.today(), right=5, wrong=0)
    history.spread("beta", sctx.today(), right=2, wrong=0)
    view = report(sctx.store, sctx.deck, sctx.today())
    assert view.weak == () and all(c.weakness in (None, 0.0) for c in view.categories)


def test_card_states_ef_leeches(sctx: AppContext, history: History) -> None:
    ids = cards_of(sctx, "alpha")
    today = sctx.today()
    history.add(ids[0], today, True)
    history.set_card(ids[0], interval=21, ef=200, due=today.toordinal() + 21)
    history.add(ids[1], days_ago(sctx, 3), False)
    history.set_card(ids[1], interval=3, ef=150, lapses=8, reviews=8, due=today.toordinal())
    history.set_card(ids[2], suspended=True)
    view = report(sctx.store, sctx.deck, today)
    alpha = view.category("alpha")
    assert (alpha.cards, alpha.new, alpha.learning, alpha.mature) == (5, 3, 1, 1)
    assert (alpha.suspended, alpha.leeches, alpha.due) == (1, 1, 1)
    assert alpha.mean_easiness == 1.75
    assert [r.id for r in view.leeches] == [ids[1]]
    assert view.forecast[0] == 1 and view.forecast[1:].count(0) == len(view.forecast) - 1
    kinds = {k.key: k for k in view.kinds}
    assert set(kinds) == {"def-term", "term-def"}
    assert sum(k.cards for k in kinds.values()) == sum(c.cards for c in view.categories)


def test_per_kind_ranking(sctx: AppContext, history: History) -> None:
    today = sctx.today()
    for cid in (c.id for c in sctx.deck.cards()):
        right = cid.endswith(":term-def")
        for age in range(4):
            history.add(cid, days_ago(sctx, age), right)
    view = report(sctx.store, sctx.deck, today)
    assert [k.key for k in view.kinds] == ["def-term", "term-def"]
    assert view.kinds[0].accuracy == 0.0 and view.kinds[1].accuracy == 1.0
    assert view.as_json()["kinds"][0]["kind"] == "def-term"


def test_per_day_forecast_streak(sctx: AppContext, history: History) -> None:
    card = cards_of(sctx, "beta")[0]
    for age in (0, 1, 2, 4):
        history.add(card, days_ago(sctx, age), True)
    history.add(card, days_ago(sctx, 0), True, kind="practice")
    view = report(sctx.store, sctx.deck, sctx.today())
    assert len(view.answers_per_day) == stats.CHART_DAYS
    assert view.answers_per_day[-5:] == (1, 0, 1, 1, 2)
    assert view.streak_days == 3
    assert sctx.store.streak(sctx.today() + timedelta(days=1)) == 3  # today not studied yet
    assert sctx.store.streak(sctx.today() + timedelta(days=2)) == 0
    assert home_overview(sctx).streak == 3


def test_home_screen_uses_the_same_ranking(sctx: AppContext, history: History) -> None:
    known_history(history, sctx)
    view = report(sctx.store, sctx.deck, sctx.today())
    home = home_overview(sctx)
    assert home.weakest == view.ranking
    assert {c.category for c in home.categories if c.weak} == set(view.weak)
    for cat in home.categories:
        assert (cat.answers, cat.correct) == (view.category(cat.category).reviews,
                                              view.category(cat.category).correct)


def test_weakness_formula() -> None:
    assert weakness(0, 0, 0.8) == pytest.approx(0.2)  # no evidence: your average
    assert weakness(2, 2, 0.5, strength=2) == pytest.approx(0.25)
    assert weakness(0, 1000, 0.9) == pytest.approx(1 - 9 / 1010)
    assert _power(0.5, 2) == 0.25 and _power(None, 2) is None


# -- CSV ------------------------------------------------------------------------------------------
def test_history_csv(sctx: AppContext, history: History) -> None:
    card = cards_of(sctx, "gamma")[0]
    history.add(card, days_ago(sctx, 3), False, answer="显存, \"quoted\"", ef_before=250,
                ef_after=196)
    history.add(card, days_ago(sctx, 3), True, kind="redrill", grade=4)
    out = io.StringIO()
    assert stats.write_history_csv(sctx.store, out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == list(stats.HISTORY_COLUMNS)
    first, second = rows
    assert first["card_id"] == card and first["category"] == "gamma"
    assert first["card_kind"] == "def-term" and first["review_kind"] == "review"
    assert first["study_day"] == days_ago(sctx, 3).isoformat()
    assert first["answered_at"].startswith(days_ago(sctx, 3).isoformat() + "T12:00:00")
    assert (first["grade"], first["correct"], first["response_ms"]) == ("1", "0", "1500")
    assert first["answer"] == "显存, \"quoted\""
    assert (first["ef_before"], first["ef_after"]) == ("2.50", "1.96")
    assert first["due_after"] == days_ago(sctx, 2).isoformat()
    assert (second["review_kind"], second["grade"], second["correct"]) == ("redrill", "4", "1")


def test_history_csv_streams(sctx: AppContext, history: History, monkeypatch) -> None:
    card = cards_of(sctx, "alpha")[0]
    for age in range(5):
        history.add(card, days_ago(sctx, age), True)
    assert isinstance(sctx.store.iter_review_rows(), types.GeneratorType)
    out = io.StringIO()
    real = sctx.store.iter_review_rows
    pulled = []

    def watched(*args, **kw):
        for row in real(*args, **kw):
            # every earlier row is already written before the next one is read
            assert out.getvalue().count("\n") == 1 + len(pulled)
            pulled.append(row["id"])
            yield row

    monkeypatch.setattr(sctx.store, "iter_review_rows", watched)
    assert stats.write_history_csv(sctx.store, out) == 5
    assert pulled == [1, 2, 3, 4, 5]


def test_empty_history_csv_has_a_header(sctx: AppContext) -> None:
    out = io.StringIO()
    assert stats.write_history_csv(sctx.store, out) == 0
    assert out.getvalue() == ",".join(stats.HISTORY_COLUMNS) + "\n"


def test_statistics_index_is_added_to_older_files(tmp_path) -> None:
    import sqlite3

    from quizapp.store.store import Store

    path = tmp_path / "old.db"
    Store.open(path).close()

    def indexes() -> set[str]:
        with sqlite3.connect(path) as db:
            return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}

    assert "ix_reviews_stats" in indexes()
    with sqlite3.connect(path) as db:
        db.execute("DROP INDEX ix_reviews_stats")
    assert "ix_reviews_stats" not in indexes()
    Store.open(path).close()
    assert "ix_reviews_stats" in indexes()
