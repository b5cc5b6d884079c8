"""Both engines, the same store: schema, answers, summaries, learners, concurrency, clear errors.

Tests taking `store_target` run on a new SQLite file and on a new schema of a real PostgreSQL
server (`tests.pg`); a few compare the two engines directly.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from quizapp.deck.load import load_deck
from quizapp.group_stats import group_report
from quizapp.stats import report
from quizapp.store.errors import StoreError
from quizapp.store.schema import SCHEMA_VERSION, metadata
from quizapp.store.store import Store
from tests.conftest import MINI_DECK, ROOT, child_env
from tests.reliability.harness import check_database

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
DAY = date(2026, 3, 2)
DECK = load_deck([MINI_DECK])
CARD = "flops-rate:def-term"

# The oracle for `review_summary`, straight from the log, in SQL both engines run.
REVIEW = "r.kind = 'review'"
RAW = f"""
SELECT r.learner, r.study_day, c.category, c.kind, COUNT(*),
       SUM(CASE WHEN {REVIEW} THEN 1 ELSE 0 END), SUM(CASE WHEN {REVIEW} AND r.correct THEN 1 ELSE 0 END),
       SUM(CASE WHEN {REVIEW} AND r.grade < 3 THEN 1 ELSE 0 END)
FROM reviews r JOIN cards c ON c.learner = r.learner AND c.id = r.card_id
GROUP BY r.learner, r.study_day, c.category, c.kind ORDER BY 1, 2, 3, 4
"""
KEPT = """
SELECT learner, study_day, category, card_kind, SUM(answers), SUM(reviews), SUM(correct), SUM(lapses)
FROM review_summary WHERE answers != 0 GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
"""


def url_of(target: Path | str) -> str:
    return target if isinstance(target, str) else f"sqlite:///{target}"


def query(target: Path | str, sql: str) -> list[tuple]:
    engine = create_engine(url_of(target))
    try:
        with engine.connect() as conn:
            return [tuple(int(v) if isinstance(v, bool) else v for v in r) for r in conn.execute(text(sql))]
    finally:
        engine.dispose()


def answer_days(store: Store, days: int = 6) -> None:
    """A fixed history: every card answered over several days, some wrong, one undone."""
    cards = [c.id for c in DECK.cards()]
    for d in range(days):
        day = DAY + timedelta(days=d * 2)
        for i, card in enumerate(cards):
            grade = (i + d) % 6
            store.record(card, grade, now=datetime.combine(day, NOW.timetz()) + timedelta(seconds=i),
                         today=day, correct=grade >= 3)
        last = store.record(cards[0], 2, now=datetime.combine(day, NOW.timetz()) + timedelta(minutes=9),
                            today=day)
        store.undo(last.id)


def opened(target: Path | str, learner: str | None = None) -> Store:
    store = Store.open(target, learner)
    store.sync(DECK, NOW)
    return store


def test_a_new_store_has_exactly_the_declared_schema(store_target) -> None:
    """Alembic compares the live database with `quizapp.store.schema`: nothing missing, nothing
    extra, on either engine; the head revision is recorded."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    Store.open(store_target).close()
    engine = create_engine(url_of(store_target))
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    finally:
        engine.dispose()
    assert diff == []
    assert version == f"{SCHEMA_VERSION:04d}"


def test_an_upgraded_file_has_the_declared_schema(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from tests.store.test_migrations import make_v1_database

    make_v1_database(tmp_path / "old.db")
    Store.open(tmp_path / "old.db", "mei").close()
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    finally:
        engine.dispose()


def test_answers_undo_and_summaries_on_either_engine(store_target) -> None:
    store = opened(store_target)
    try:
        answer_days(store)
        assert len(store.review_log()) == 6 * len(DECK.cards())
        assert query(store_target, KEPT) == query(store_target, RAW)
        assert check_database(store_target) == []
    finally:
        store.close()


def test_both_engines_give_the_same_statistics(tmp_path: Path, pg_url: str) -> None:
    views = []
    for target in (tmp_path / "q.db", pg_url):
        store = opened(target, "mei")
        try:
            answer_days(store)
            today = DAY + timedelta(days=12)
            views.append((report(store, DECK, today).as_json(), store.due_forecast(today, 14),
                          store.streak(today), store.prediction_bins(),
                          [(r.card_id, r.grade, r.review_kind, r.due_after) for r in store.review_log()]))
        finally:
            store.close()
    assert views[0] == views[1]


def test_each_learner_sees_only_their_own(store_target) -> None:
    alice, bob = opened(store_target, "alice"), opened(store_target, "bob")
    try:
        first = alice.record(CARD, 5, now=NOW, today=DAY, correct=True)
        alice.set_setting("new_per_day", 3)
        assert bob.review_log() == [] and bob.card(CARD).is_new
        assert bob.settings().get("new_per_day") is None
        assert bob.answer_count() == 0 and alice.answer_count() == 1
        assert len(bob.new_cards(100)) == len(DECK.cards())
        assert len(alice.new_cards(100)) == len(DECK.cards()) - 1
        with pytest.raises(StoreError, match="not in the log"):
            bob.undo(first.id)  # another learner's answer is not bob's to take back
        assert sorted(alice.learners()) == ["alice", "bob"]
        bob.record(CARD, 1, now=NOW, today=DAY)
        group = group_report(alice, DECK, DAY)
        hardware = group.pooled.category(alice.card(CARD).category)
        assert hardware.reviews == 2 and hardware.correct == 1
        assert group.weakest_learner(alice.card(CARD).category)[0] == "bob"
    finally:
        alice.close()
        bob.close()


ANSWERS = 150
ANSWERER = f"ANSWERS = {ANSWERS}" + """
import sys
import time
from datetime import UTC, date, datetime, timedelta
from quizapp.store.store import Store
target, learner, offset = sys.argv[1], sys.argv[2], int(sys.argv[3])
cards = sys.argv[4].split(",")
with Store.open(target, learner) as store:
    time.sleep(max(0.0, float(sys.argv[5]) - time.time()))  # all start answering together
    for n in range(ANSWERS):
        card = cards[(n + offset) % len(cards)]
        day = date(2026, 3, 2) + timedelta(days=n // len(cards))
        moment = datetime(2026, 3, 2, 12, tzinfo=UTC) + timedelta(days=n // len(cards), seconds=n)
        store.record(card, (n + offset) % 6, now=moment, today=day, correct=True)
"""


def test_concurrent_sessions_and_learners_lose_nothing(store_target) -> None:
    """Two sessions of one learner answering the same cards in the same order, and a second
    learner, at the same moment: every answer is logged, and every card's state is what its log
    says (without the row lock, both sessions read a card before either wrote it, and the log
    shows two schedule-moving reviews on one day)."""
    for learner in ("alice", "bob"):
        opened(store_target, learner).close()
    cards = ",".join(c.id for c in DECK.cards()[:5])
    env = child_env() | {"PYTHONPATH": str(ROOT)}
    start = str(time.time() + 3)
    procs = [subprocess.Popen([sys.executable, "-c", ANSWERER, str(store_target), learner, str(k), cards,
                               start],
                              env=env, stderr=subprocess.PIPE, text=True)
             for k, learner in ((0, "alice"), (0, "alice"), (2, "bob"))]  # alice twice: the same cards
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    counts = dict(query(store_target, "SELECT learner, COUNT(*) FROM reviews GROUP BY learner"))
    assert counts == {"alice": 2 * ANSWERS, "bob": ANSWERS}
    assert check_database(store_target) == []
    assert query(store_target, KEPT) == query(store_target, RAW)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "quizapp", *args], env=child_env(),
                          capture_output=True, text=True, timeout=120)


def test_migrate_store_to_the_server_and_back_is_idempotent(tmp_path: Path, pg_url: str) -> None:
    local = tmp_path / "laptop.db"
    store = opened(local, "mei")
    answer_days(store, days=3)
    store.close()
    deck = ("--deck", str(MINI_DECK))
    first = _cli("--db", str(local), *deck, "migrate-store", "--to", pg_url)
    assert first.returncode == 0, first.stderr
    assert f"mei: {len(DECK.cards())} cards, {3 * len(DECK.cards())} answers" in first.stdout
    again = _cli("--db", str(local), *deck, "migrate-store", "--to", pg_url)
    assert "0 cards, 0 answers" in again.stdout and f"{3 * len(DECK.cards())} answers were there" in again.stdout
    assert query(pg_url, "SELECT COUNT(*) FROM reviews") == [(3 * len(DECK.cards()),)]

    # studying on the server, then copying back: the laptop gets only the new answers
    server = Store.open(pg_url, "mei")
    server.record(CARD, 4, now=NOW + timedelta(days=30), today=DAY + timedelta(days=30), correct=True)
    server.close()
    back = _cli("--db", pg_url, "--user", "mei", *deck, "migrate-store", "--to", str(local))
    assert back.returncode == 0, back.stderr
    assert "0 cards, 1 answers" in back.stdout
    # the laptop's next start replays the merged log: every card's state follows from it
    assert _cli("--db", str(local), *deck, "due").returncode == 0
    assert check_database(local) == [] and check_database(pg_url) == []
    laptop = json.loads(_cli("--db", str(local), *deck, "stats", "--json").stdout)
    shared = json.loads(_cli("--db", pg_url, "--user", "mei", *deck, "stats", "--json").stdout)
    assert laptop["categories"] == shared["categories"]


def test_stats_group_lists_the_groups_weakness(pg_url: str) -> None:
    for learner, grade in (("alice", 5), ("bob", 1)):
        store = opened(pg_url, learner)
        store.record(CARD, grade, now=NOW, today=DAY, correct=grade >= 3)
        store.close()
    result = _cli("--db", pg_url, "--user", "teacher", "--deck", str(MINI_DECK), "stats", "--group", "--json")
    assert result.returncode == 0, result.stderr
    group = json.loads(result.stdout)
    assert group["learners"] == ["alice", "bob"]  # not the teacher, who has cards but no answers
    first = group["categories"][0]
    assert first["reviews"] == 2 and first["learners"]["bob"] > first["learners"]["alice"]


@pytest.mark.parametrize("args, words", [
    (("--db", "postgresql+psycopg://nobody@127.0.0.1:1/none", "due"), "cannot reach the PostgreSQL server"),
    (("--db", "postgresql+psycopg://nobody@127.0.0.1:1/none", "backup"), "pg_dump"),
    (("--db", "postgresql+psycopg://u:secret@127.0.0.1:1/none", "due"), "***"),
    (("--user", " ", "due"), "--user is empty"),
    (("--user", "a\nb", "due"), "line breaks"),
])
def test_server_and_learner_mistakes_are_one_line(tmp_path: Path, args, words) -> None:
    result = subprocess.run([sys.executable, "-m", "quizapp", *args], capture_output=True, text=True,
                            env=child_env() | {"QUIZAPP_DB": str(tmp_path / "q.db")}, timeout=60)
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1 and words in result.stderr, result.stderr
    assert "secret" not in result.stderr and "Traceback" not in result.stderr


def test_without_the_driver_one_line_names_the_extra(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(StoreError, match=r"pip install 'quizapp\[postgres\]'"):
        Store.open("postgresql+psycopg://u@127.0.0.1:1/x")


def test_a_newer_or_foreign_server_database_is_refused(pg_url: str) -> None:
    Store.open(pg_url).close()
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    with pytest.raises(StoreError, match="newer quizapp"):
        Store.open(pg_url)
    with engine.begin() as conn:
        for table in ("reviews", "cards", "settings", "alembic_version"):
            conn.execute(text(f"DROP TABLE {table} CASCADE"))
        conn.execute(text("CREATE TABLE cards (invoice integer)"))
    engine.dispose()
    with pytest.raises(StoreError, match="not a quizapp store"):
        Store.open(pg_url)


def test_a_file_of_one_learner_opens_as_that_learner(tmp_path: Path) -> None:
    """A file copied from another account keeps working without --user; a server never guesses."""
    path = tmp_path / "copied.db"
    opened(path, "mei").close()
    with Store.open(path) as store:
        assert store.learner == "mei"
    opened(path, "bob").close()
    with Store.open(path) as store:  # two learners: the login name, as for a new file
        from quizapp.store.learners import login_name

        assert store.learner == login_name()
