"""The command line as a user meets it: real processes, real files, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import MINI_DECK


def quizapp(*args: str, env: dict[str, str] | None = None, stdin: str = "",
            cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    full_env.pop("QUIZAPP_DB", None) if env and "QUIZAPP_DB" not in env else None
    return subprocess.run([sys.executable, "-m", "quizapp", *args], input=stdin,
                          capture_output=True, text=True, env=full_env, cwd=cwd, check=False)


def test_version() -> None:
    run = quizapp("--version")
    assert run.returncode == 0 and run.stdout.startswith("quizapp ")


def test_help_lists_commands() -> None:
    run = quizapp("--help")
    for word in ("quiz", "due", "decks", "--db", "--deck"):
        assert word in run.stdout


def test_due_json_on_a_fresh_db(tmp_path: Path) -> None:
    run = quizapp("--db", str(tmp_path / "q.db"), "--deck", str(MINI_DECK), "due", "--json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["due"] == 0 and data["new"] == 12
    assert data["categories"]["metrics"] == {"due": 0, "new": 9}


def test_env_vars_choose_db_and_decks(tmp_path: Path) -> None:
    env = {"QUIZAPP_DB": str(tmp_path / "env.db"), "QUIZAPP_DECKS": f"{MINI_DECK}:{MINI_DECK}"}
    run = quizapp("due", env=env)
    # the same deck twice means every id is duplicated: reported, not crashed
    assert run.returncode == 1 and "duplicate id" in run.stderr and "Traceback" not in run.stderr
    env["QUIZAPP_DECKS"] = str(MINI_DECK)
    assert quizapp("due", env=env).returncode == 0
    assert (tmp_path / "env.db").exists()


def test_default_db_lives_in_the_user_data_dir(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
    run = quizapp("--deck", str(MINI_DECK), "due", env=env, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "data" / "quizapp" / "quizapp.db").exists()


def test_bad_db_paths_give_one_line(tmp_path: Path) -> None:
    not_db = tmp_path / "notes.txt"
    not_db.write_text("hello" * 1000)
    for db in (str(tmp_path), str(not_db)):
        run = quizapp("--db", db, "--deck", str(MINI_DECK), "due")
        assert run.returncode == 1
        assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr, run.stderr
    assert not_db.read_text() == "hello" * 1000


def test_unknown_category_is_a_clear_error(tmp_path: Path) -> None:
    run = quizapp("--db", str(tmp_path / "q.db"), "--deck", str(MINI_DECK), "quiz", "--plain",
                  "--category", "nope")
    assert run.returncode == 1 and "unknown category nope" in run.stderr


def test_plain_mode_session_is_saved(tmp_path: Path) -> None:
    db = str(tmp_path / "q.db")
    run = quizapp("--db", db, "--deck", str(MINI_DECK), "quiz", "--plain",
                  "--card", "rate-or-count:trap", stdin="FLOPS\n\n")
    assert run.returncode == 0, run.stderr
    assert "wrong: FLOPs" in run.stdout
    run = quizapp("--db", db, "--deck", str(MINI_DECK), "quiz", "--plain",
                  "--card", "rate-or-count:trap", stdin="FLOPs\n5\n")
    assert "correct: FLOPs" in run.stdout
    import sqlite3

    with sqlite3.connect(db) as raw:
        rows = raw.execute("SELECT grade, correct, kind FROM reviews ORDER BY id").fetchall()
    assert rows == [(2, 0, "practice"), (5, 1, "practice")]  # the twin suggests 2


def test_cards_lists_every_card_and_filters() -> None:
    run = quizapp("--deck", str(MINI_DECK), "cards", "--json")
    rows = json.loads(run.stdout)
    assert len(rows) == 12
    trap = next(r for r in rows if r["id"] == "rate-or-count:trap")
    assert trap["answer"] == "FLOPs" and trap["kind"] == "trap" and trap["term_id"] == "rate-or-count"
    assert trap["prompt_zh"]
    run = quizapp("--deck", str(MINI_DECK), "cards", "--json", "--kind", "def-term", "--category", "hardware")
    assert [r["id"] for r in json.loads(run.stdout)] == ["hbm:def-term"]


def test_cards_json_lists_options_and_answer_types() -> None:
    """Issue 12: each card says how it is answered, and fixed option lists are listed."""
    rows = {r["id"]: r for r in json.loads(quizapp("cards", "--json").stdout)}
    trap = next(r for r in rows.values() if r["kind"] == "trap")
    assert trap["answer_type"] == "choice" and trap["answer"] in trap["options"]
    scenario = next(r for r in rows.values() if r["kind"] == "scenario")
    assert scenario["answer"] in scenario["options"] and len(scenario["options"]) >= 3
    drill_types = {r["answer_type"] for r in rows.values() if r["kind"] == "drill"}
    assert drill_types >= {"count", "conversion"} and drill_types <= {"count", "quantity", "conversion"}
    terms = [r for r in rows.values() if r["kind"] in ("def-term", "term-def")]
    assert {r["answer_type"] for r in terms} == {"text", "choice"}
    assert all(r["options"] is None for r in terms)  # drawn afresh at each showing


def test_a_plain_weak_drill_ends_with_what_changed(tmp_path: Path) -> None:
    db = str(tmp_path / "q.db")
    wrong_then_right = "x\n1\n" * 4 + "\n\n" * 40  # some wrong answers first, then suggestions
    quizapp("--db", db, "--deck", str(MINI_DECK), "quiz", "--plain", stdin=wrong_then_right)
    run = quizapp("--db", db, "--deck", str(MINI_DECK), "quiz", "--plain", "--weak",
                  stdin="\n\n" * 40)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.strip().splitlines()
    assert lines[-2].startswith("done: ")
    assert "moved from learning to known" in lines[-1] and lines[-1].count("\n") == 0


def test_settings_command_changes_the_scheduler_and_refuses_bad_values(tmp_path: Path) -> None:
    db = str(tmp_path / "q.db")
    run = quizapp("--db", db, "--deck", str(MINI_DECK), "settings")
    assert run.returncode == 0 and "scheduler          sm2" in run.stdout
    run = quizapp("--db", db, "--deck", str(MINI_DECK), "settings", "scheduler", "fsrs")
    assert run.returncode == 0 and run.stdout == "scheduler = fsrs\n"
    assert "rescheduled 12 cards from 0 reviews" in run.stderr
    assert quizapp("--db", db, "--deck", str(MINI_DECK), "settings", "scheduler").stdout == "fsrs\n"
    for key, value, message in (("desired_retention", "0.99", "from 0.7 to 0.97"),
                                ("desired_retention", "lots", "expected a number"),
                                ("scheduler", "anki", "scheduler must be one of sm2, fsrs"),
                                ("backlog_days", "0", "backlog_days must be"),
                                ("nope", "1", "unknown setting 'nope'")):
        run = quizapp("--db", db, "--deck", str(MINI_DECK), "settings", key, value)
        assert run.returncode == 1 and message in run.stderr, run.stderr
        assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    run = quizapp("--db", db, "--deck", str(MINI_DECK), "fsrs", "rollback")
    assert run.returncode == 1 and "no earlier FSRS parameters" in run.stderr


def test_lang_and_locale_pick_the_language_of_due(tmp_path: Path) -> None:
    db = str(tmp_path / "q.db")
    english = {"LANG": "en_US.UTF-8", "LC_ALL": "", "LANGUAGE": ""}
    run = quizapp("--db", db, "--deck", str(MINI_DECK), "--lang", "zh", "due", env=english)
    assert run.returncode == 0 and run.stdout.startswith("学习日"), run.stdout + run.stderr
    run = quizapp("--db", db, "--deck", str(MINI_DECK), "due", env=english)  # --lang was not saved
    assert run.stdout.startswith("Study day")
    run = quizapp("--db", db, "--deck", str(MINI_DECK), "due", env={**english, "LANG": "zh_CN.UTF-8"})
    assert run.stdout.startswith("学习日")  # no language chosen: the locale's
    run = quizapp("--db", db, "--deck", str(MINI_DECK), "--lang", "klingon", "due", env=english)
    assert run.returncode == 2 and "--lang" in run.stderr and "Traceback" not in run.stderr
