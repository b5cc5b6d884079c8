"""Upgrades: a database made by the first released schema (revision 1, frozen below) is backed up,
migrated with Alembic in batch mode, and keeps every review; new files start at the head."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from quizapp.deck.load import load_deck
from quizapp.srs.sm2 import SM2State, review
from quizapp.store.errors import StoreError
from quizapp.store.migrate import MIGRATIONS, backup_database, revision_id
from quizapp.store.records import quoted
from quizapp.store.schema import SCHEMA_VERSION
from quizapp.store.store import Store
from tests.conftest import MINI_DECK, ROOT

# The schema quizapp 0.1 shipped (PRAGMA user_version = 1), exactly as SQLite stored it. Frozen:
# never edit this to match newer code — it is what users' files look like.
V1_DDL = """
CREATE TABLE cards (
	id VARCHAR NOT NULL,
	kind VARCHAR NOT NULL,
	category VARCHAR NOT NULL,
	item_id VARCHAR NOT NULL,
	position INTEGER NOT NULL,
	content_hash VARCHAR NOT NULL,
	content_changed_at VARCHAR NOT NULL,
	added_at VARCHAR NOT NULL,
	retired BOOLEAN NOT NULL,
	suspended BOOLEAN NOT NULL,
	repetitions INTEGER NOT NULL,
	ef INTEGER NOT NULL,
	interval INTEGER NOT NULL,
	due INTEGER,
	lapses INTEGER NOT NULL,
	reviews INTEGER NOT NULL,
	last_review_day INTEGER,
	PRIMARY KEY (id)
);
CREATE INDEX ix_cards_due ON cards (retired, suspended, due);
CREATE INDEX ix_cards_new ON cards (retired, suspended, reviews, position);
CREATE TABLE settings (
	"key" VARCHAR NOT NULL,
	value TEXT NOT NULL,
	PRIMARY KEY ("key")
);
CREATE TABLE reviews (
	id INTEGER NOT NULL,
	card_id VARCHAR NOT NULL,
	answered_at VARCHAR NOT NULL,
	study_day INTEGER NOT NULL,
	grade INTEGER NOT NULL,
	answer TEXT NOT NULL,
	correct BOOLEAN NOT NULL,
	response_ms INTEGER NOT NULL,
	kind VARCHAR NOT NULL,
	was_new BOOLEAN NOT NULL,
	reps_before INTEGER NOT NULL,
	ef_before INTEGER NOT NULL,
	interval_before INTEGER NOT NULL,
	due_before INTEGER,
	last_day_before INTEGER,
	reps_after INTEGER NOT NULL,
	ef_after INTEGER NOT NULL,
	interval_after INTEGER NOT NULL,
	due_after INTEGER,
	PRIMARY KEY (id),
	FOREIGN KEY(card_id) REFERENCES cards (id)
);
CREATE INDEX ix_reviews_card ON reviews (card_id, id);
CREATE INDEX ix_reviews_day ON reviews (study_day, kind);
PRAGMA user_version = 1;
"""

START = date(2025, 6, 1)


def make_v1_database(path: Path, days: int = 120, seed: int = 3) -> None:
    """Months of history written the way quizapp 0.1 wrote it: SM-2 reviews, re-drills, practice."""
    rng = random.Random(seed)
    deck = load_deck([MINI_DECK])
    with closing(sqlite3.connect(path)) as raw:
        raw.execute("PRAGMA journal_mode = WAL")
        raw.executescript(V1_DDL)
        stamp = "2025-06-01T08:00:00+00:00"
        state = {}
        for card in deck.cards():
            raw.execute("INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,0,0,0,250,0,NULL,0,0,NULL)",
                        (card.id, card.kind.value, card.category, card.item_id, card.position,
                         card.content_hash, stamp, stamp))
            state[card.id] = {"s": SM2State.from_hundredths(0, 250, 0), "due": None, "last": None,
                              "lapses": 0, "reviews": 0}
        raw.execute("INSERT INTO settings VALUES ('new_per_day', '7'), ('timezone', '\"Asia/Shanghai\"')")
        for offset in range(days):
            day = (START + timedelta(days=offset)).toordinal()
            moment = datetime(2025, 6, 1, 12, tzinfo=UTC) + timedelta(days=offset, minutes=offset)
            for card_id, st in state.items():
                if st["due"] is not None and st["due"] > day and rng.random() > 0.05:
                    continue
                if st["due"] is None and rng.random() > 0.3:
                    continue
                grade = rng.choice([1, 2, 3, 4, 4, 5, 5])
                kind = "practice" if st["due"] is not None and st["due"] > day else "review"
                before, after, due_after = st["s"], st["s"], st["due"]
                if kind == "review":
                    after = review(before, grade)
                    due_after = day + after.interval
                raw.execute(
                    "INSERT INTO reviews (card_id, answered_at, study_day, grade, answer, correct, "
                    "response_ms, kind, was_new, reps_before, ef_before, interval_before, due_before, "
                    "last_day_before, reps_after, ef_after, interval_after, due_after) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (card_id, moment.isoformat(), day, grade, f"answer {offset} 中文 [b]", grade >= 3,
                     rng.randint(500, 9000), kind, kind == "review" and st["reviews"] == 0,
                     before.repetitions, before.ef_hundredths, before.interval, st["due"], st["last"],
                     after.repetitions, after.ef_hundredths, after.interval, due_after))
                if kind == "review":
                    st.update(s=after, due=due_after, last=day, lapses=st["lapses"] + (grade < 3),
                              reviews=st["reviews"] + 1)
                    raw.execute("UPDATE cards SET repetitions=?, ef=?, interval=?, due=?, lapses=?, "
                                "reviews=?, last_review_day=? WHERE id=?",
                                (after.repetitions, after.ef_hundredths, after.interval, due_after,
                                 st["lapses"], st["reviews"], day, card_id))
                if grade < 4:  # a re-drill the same day
                    raw.execute(
                        "INSERT INTO reviews (card_id, answered_at, study_day, grade, answer, correct, "
                        "response_ms, kind, was_new, reps_before, ef_before, interval_before, "
                        "due_before, last_day_before, reps_after, ef_after, interval_after, due_after) "
                        "SELECT card_id, answered_at, study_day, 4, 'again', 1, 100, 'redrill', 0, "
                        "reps_after, ef_after, interval_after, due_after, study_day, reps_after, "
                        "ef_after, interval_after, due_after FROM reviews WHERE id = last_insert_rowid()")
        raw.commit()


V1_COLUMNS = {table: [line.split()[0].strip('"') for line in body.splitlines()[1:]
                      if line.startswith("\t") and not line.strip().startswith(("PRIMARY", "FOREIGN"))]
              for table, body in (part.split(" (", 1) for part in V1_DDL.split("CREATE TABLE ")[1:])}


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of the three tables, in the columns the first schema had (later revisions only
    add columns, which `test_upgrade_adds_only_empty_columns` checks)."""
    with closing(sqlite3.connect(path)) as raw:
        return {table: raw.execute(f"SELECT {quoted(V1_COLUMNS[table])} FROM {table} ORDER BY 1"
                                   ).fetchall()
                for table in ("cards", "reviews", "settings")}


def schema_of(path: Path) -> dict[str, object]:
    """Columns, indexes, foreign keys and CHECK constraints, as SQLAlchemy reflects them."""
    engine = create_engine(f"sqlite:///{path}")
    try:
        insp = inspect(engine)
        return {table: (
            [(c["name"], str(c["type"]), c["nullable"]) for c in insp.get_columns(table)],
            insp.get_pk_constraint(table)["constrained_columns"],
            sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                   for i in insp.get_indexes(table)),
            [(f["constrained_columns"], f["referred_table"]) for f in insp.get_foreign_keys(table)],
            sorted((c["name"], " ".join(c["sqltext"].split())) for c in insp.get_check_constraints(table)),
        ) for table in sorted(insp.get_table_names())}
    finally:
        engine.dispose()


@pytest.fixture
def v1(tmp_path: Path) -> Path:
    path = tmp_path / "quizapp.db"
    make_v1_database(path)
    return path


def test_the_head_revision_is_the_schema_version() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    assert script.get_heads() == [revision_id(SCHEMA_VERSION)]
    revisions = [r.revision for r in script.walk_revisions()]
    assert sorted(revisions) == [revision_id(v) for v in range(1, SCHEMA_VERSION + 1)]


def test_upgrade_keeps_every_review_and_makes_a_backup_first(v1: Path) -> None:
    before = dump(v1)
    assert len(before["reviews"]) > 300
    store = Store.open(v1)
    try:
        assert store.upgraded is not None
        old, copy = store.upgraded
        assert old == 1 and copy.parent == v1.parent
        assert copy.name.startswith("quizapp-schema1-backup-") and copy.suffix == ".db"
        assert dump(v1) == before  # every row, every id, every value
        assert dump(copy) == before
        with closing(sqlite3.connect(copy)) as raw:
            assert raw.execute("PRAGMA user_version").fetchone()[0] == 1
            assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # the upgraded file works: the next answer continues the log
        card = store.due_cards(date(2025, 12, 1))[0].card_id
        record = store.record(card, 5, now=datetime(2025, 12, 1, 12, tzinfo=UTC),
                              today=date(2025, 12, 1))
        assert record.id == before["reviews"][-1][0] + 1 and record.kind == "review"
        assert store.settings()["timezone"] == "Asia/Shanghai"
    finally:
        store.close()
    with closing(sqlite3.connect(v1)) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (revision_id(SCHEMA_VERSION),)]
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
    from tests.reliability.harness import check_database

    assert check_database(v1) == []


def test_upgrade_adds_only_empty_columns(v1: Path) -> None:
    """Revision 0003's FSRS columns start empty: the first start of the app fills them by
    replaying the log (tests/session/test_switching.py). Revision 0005's `overridden` is 0 on
    every old answer: no verdict was overruled before it existed. Revision 0006's `learner` names
    the learner who opened the file, on every row of every table."""
    Store.open(v1, learner="mei").close()
    with closing(sqlite3.connect(v1)) as raw:
        for table in ("cards", "reviews", "settings", "review_summary", "prediction_bins"):
            assert raw.execute(f"SELECT DISTINCT learner FROM {table}").fetchall() in ([("mei",)], [])
        assert raw.execute("SELECT count(*) FROM cards WHERE learner = 'mei'").fetchone()[0] > 10
        assert raw.execute("SELECT count(*) FROM cards WHERE fsrs_stability IS NOT NULL OR "
                           "fsrs_difficulty IS NOT NULL OR fsrs_due IS NOT NULL").fetchone() == (0,)
        assert raw.execute("SELECT count(*) FROM reviews WHERE fsrs_recall IS NOT NULL").fetchone() == (0,)
        assert raw.execute("SELECT count(*), sum(overridden = 0) FROM reviews").fetchone()[0] > 300
        assert raw.execute("SELECT count(*) FROM reviews WHERE overridden != 0").fetchone() == (0,)
        extra = {table: [r[1] for r in raw.execute(f"PRAGMA table_info({table})")
                         if r[1] not in V1_COLUMNS[table]] for table in V1_COLUMNS}
    assert extra == {"cards": ["learner", "fsrs_stability", "fsrs_difficulty", "fsrs_due"],
                     "reviews": ["learner", "fsrs_recall", "overridden"], "settings": ["learner"]}


def test_an_upgraded_file_has_exactly_the_schema_of_a_new_one(v1: Path, tmp_path: Path) -> None:
    Store.open(v1).close()
    Store.open(tmp_path / "new.db").close()
    assert schema_of(v1) == schema_of(tmp_path / "new.db")


def test_upgrade_runs_once(v1: Path) -> None:
    Store.open(v1).close()
    again = Store.open(v1)
    again.close()
    assert again.upgraded is None
    assert len(list(v1.parent.glob("quizapp-schema1-backup-*.db"))) == 1


def test_a_new_file_needs_no_upgrade_and_no_backup(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "q.db")
    store.close()
    assert store.upgraded is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["q.db"]
    with closing(sqlite3.connect(tmp_path / "q.db")) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone()[0] == revision_id(
            SCHEMA_VERSION)


def test_a_failed_upgrade_leaves_the_file_as_it_was(v1: Path) -> None:
    with closing(sqlite3.connect(v1)) as raw:  # a value the new CHECK constraints refuse
        raw.execute("UPDATE reviews SET grade = 7 WHERE id = 3")
        raw.commit()
    before = dump(v1)
    with pytest.raises(StoreError, match=r"upgrading from schema 1 to \d+ failed .*CHECK.*a copy is at"):
        Store.open(v1)
    assert dump(v1) == before
    with closing(sqlite3.connect(v1)) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 1
        assert "alembic_version" not in {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}


def test_the_database_refuses_impossible_values(tmp_path: Path) -> None:
    Store.open(tmp_path / "q.db").close()
    with closing(sqlite3.connect(tmp_path / "q.db")) as raw:
        raw.execute(f"INSERT INTO cards (learner, {quoted(V1_COLUMNS['cards'])}) "
                    "VALUES ('me','c','term','m','i',0,'h','t','t',0,0,0,250,0,NULL,0,0,NULL)")
        for bad in ("UPDATE cards SET interval = -1", "UPDATE cards SET ef = 120",
                    "UPDATE cards SET due = 5, last_review_day = 5", "UPDATE cards SET lapses = 1",
                    "UPDATE cards SET fsrs_stability = 0, fsrs_difficulty = 5",
                    "UPDATE cards SET fsrs_stability = 2, fsrs_difficulty = 11",
                    "UPDATE cards SET fsrs_due = 5, last_review_day = 5"):
            with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
                raw.execute(bad)
        row = "('me','c','t',1,{grade},'',1,0,'{kind}',0,0,250,{interval},NULL,NULL,1,250,1,2)"
        for grade, kind, interval in ((6, "review", 0), (3, "cram", 0), (3, "review", -1)):
            with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
                raw.execute("INSERT INTO reviews (learner, card_id, answered_at, study_day, grade, answer, "
                            "correct, response_ms, kind, was_new, reps_before, ef_before, "
                            "interval_before, due_before, last_day_before, reps_after, ef_after, "
                            "interval_after, due_after) VALUES "
                            + row.format(grade=grade, kind=kind, interval=interval))
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            raw.execute("INSERT INTO reviews (learner, card_id, answered_at, study_day, grade, answer, "
                        "correct, response_ms, kind, was_new, reps_before, ef_before, interval_before, "
                        "due_before, last_day_before, reps_after, ef_after, interval_after, due_after, "
                        "fsrs_recall) VALUES ('me','c','t',1,3,'',1,0,'review',0,0,250,0,NULL,NULL,1,250,1,2,1.5)")


def test_a_newer_schema_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    Store.open(path).close()
    with closing(sqlite3.connect(path)) as raw:
        raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    content = path.read_bytes()
    with pytest.raises(StoreError, match=r"newer quizapp.*left untouched — upgrade quizapp"):
        Store.open(path)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["q.db"]  # and no backup was made


def test_alembic_is_imported_only_when_a_migration_is_pending(v1: Path, tmp_path: Path) -> None:
    code = ("import sys; from pathlib import Path; from quizapp.store.store import Store; "
            "Store.open(Path(sys.argv[1])).close(); print('alembic' in sys.modules)")
    def imported(db: Path) -> str:
        return subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True,
                              check=True, cwd=ROOT).stdout.strip()

    assert imported(tmp_path / "new.db") == "False"
    assert imported(v1) == "True"
    assert imported(v1) == "False"  # already upgraded


def test_two_processes_upgrading_at_once(v1: Path) -> None:
    before = dump(v1)
    procs = [subprocess.Popen([sys.executable, "-m", "tests.reliability.hammer", str(v1), str(seed),
                               "3"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for seed in range(3)]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    after = dump(v1)
    assert after["reviews"][:len(before["reviews"])] == before["reviews"]
    assert len(after["reviews"]) == len(before["reviews"]) + 9
    with closing(sqlite3.connect(v1)) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_cli_upgrades_and_says_where_the_copy_is(v1: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "quizapp", "--db", str(v1), "--deck", str(MINI_DECK),
                          "due"], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    [line] = run.stderr.splitlines()
    assert line.startswith(f"quizapp: upgraded {v1} from schema 1; the old file is kept at ")
    assert Path(line.rsplit(" ", 1)[1]).is_file()


# -- backups -----------------------------------------------------------------------------------


def backup_cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "quizapp", "--db", str(db), "backup", *args],
                          capture_output=True, text=True, check=False)


def test_backup_command_default_path_folder_and_file(v1: Path, tmp_path: Path) -> None:
    Store.open(v1).close()
    run = backup_cli(v1)
    assert run.returncode == 0, run.stderr
    default = Path(run.stdout.strip())
    assert default.parent == v1.parent and default.name.startswith("quizapp-backup-")
    assert dump(default) == dump(v1)
    folder = tmp_path / "copies"
    folder.mkdir()
    run = backup_cli(v1, str(folder))
    assert run.returncode == 0 and Path(run.stdout.strip()).parent == folder
    target = tmp_path / "mine.db"
    assert backup_cli(v1, str(target)).returncode == 0 and dump(target) == dump(v1)
    again = backup_cli(v1, str(target))
    assert again.returncode == 1 and again.stderr.strip() == (
        f"quizapp: {target}: already exists; choose another backup path")
    missing = backup_cli(tmp_path / "nothing.db")
    assert missing.returncode == 1 and "no database to back up" in missing.stderr
    assert not (tmp_path / "nothing.db").exists()


def test_backup_is_consistent_while_another_process_writes(tmp_path: Path) -> None:
    db = tmp_path / "q.db"
    writer = subprocess.Popen([sys.executable, "-m", "tests.reliability.hammer", str(db), "1", "400"],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    copies = []
    while writer.poll() is None:
        if db.exists():
            try:
                copies.append(backup_database(db))
            except StoreError as exc:  # the file may not have its tables yet
                assert "no database" not in str(exc)
    writer.communicate()
    assert writer.returncode == 0
    from tests.reliability.harness import check_database

    assert copies
    for copy in copies:
        assert check_database(copy) == []


def test_backup_names_never_collide(v1: Path) -> None:
    moment = datetime(2026, 3, 2, 12, 0, 0)
    from quizapp.store.migrate import backup_path

    first = backup_path(v1, now=moment)
    first.write_bytes(b"")
    second = backup_path(v1, now=moment)
    assert first.name == "quizapp-backup-20260302-120000.db"
    assert second.name == "quizapp-backup-20260302-120000-2.db"
