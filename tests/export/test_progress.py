"""--with-progress: schedules and review history arrive in Anki, in several time zones."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.deck.load import load_deck
from quizapp.export import export_apkg
from quizapp.export.apkg import anki_ease, collection_crt
from quizapp.srs.days import study_day
from quizapp.store.store import Store
from tests.export.anki_helpers import import_apkg, read_cards
from tests.export.conftest import MINI

ROOT = Path(__file__).resolve().parents[2]

# Offsets from -11 h to +14 h, with half and three-quarter hours: at any moment some of these are
# before the 4 am rollover and some after, and their calendar dates differ.
ZONES = ["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kathmandu", "America/St_Johns",
         "Asia/Shanghai", "America/Los_Angeles", "Europe/Berlin"]


@pytest.fixture(scope="module")
def zone_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, subprocess.CompletedProcess]:
    """One subprocess per zone (TZ is read at start-up), all running at once."""
    procs = {}
    for zone in ZONES:
        env = {**os.environ, "TZ": zone}
        env.pop("QUIZAPP_DB", None)
        work = tmp_path_factory.mktemp(zone.replace("/", "-"))
        procs[zone] = subprocess.Popen(
            [sys.executable, "-m", "tests.export.progress_check", str(work)], cwd=ROOT, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    runs = {}
    for zone, proc in procs.items():
        out, err = proc.communicate(timeout=180)
        runs[zone] = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    return runs


@pytest.mark.parametrize("zone", ZONES)
def test_progress_arrives_with_right_due_dates(zone: str, zone_runs: dict) -> None:
    done = zone_runs[zone]
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    assert result["tz"] == zone
    cards = result["cards"]
    reviewed = {k: v for k, v in cards.items() if "due_in" in v["expected"]}
    assert len(reviewed) == result["progress_cards"] == 6
    assert result["revlog"] == 9  # 10 answers, one of them a same-day redrill
    for card_id, check in cards.items():
        assert check["actual"] == check["expected"], (zone, card_id)
    # the plan covers overdue, due today, due later, a lapse and a suspended review card
    assert {v["expected"]["due_in"] for v in reviewed.values()} >= {-1, 0, 1, 2, 12}
    assert any(v["expected"]["lapses"] for v in reviewed.values())
    assert any(v["expected"]["queue"] == -1 for v in reviewed.values())


def _reviewed_store(path: Path, now: datetime) -> tuple[Store, object]:
    deck = load_deck([MINI])
    store = Store.open(path)
    store.sync(deck, now - timedelta(days=3))
    day = study_day(now, UTC)
    store.record("mfu:def-term", 4, now=now - timedelta(days=2), today=day - timedelta(days=2))
    store.record("mfu:def-term", 5, now=now - timedelta(days=1), today=day - timedelta(days=1))
    return store, deck


def test_progress_only_when_asked_and_only_for_new_cards(tmp_path: Path, col) -> None:
    now = datetime.now(UTC)
    store, deck = _reviewed_store(tmp_path / "q.db", now)
    plain = export_apkg(deck, tmp_path / "plain.apkg", store=store, now=now)
    progress = export_apkg(deck, tmp_path / "p.apkg", store=store, with_progress=True,
                           today=study_day(now, UTC), tz=UTC, now=now)
    store.close()
    assert (plain.progress_cards, plain.revlog) == (0, 0)
    assert (progress.progress_cards, progress.revlog) == (1, 2)
    # Without progress, or with the box unticked, every card arrives new.
    import_apkg(col, progress.path, with_scheduling=False)
    assert all(c.type == 0 for c in read_cards(col))
    # Anki applies progress only to cards it does not have yet: a later import keeps them new.
    import_apkg(col, progress.path, with_scheduling=True)
    assert all(c.type == 0 for c in read_cards(col))
    assert col.db.scalar("SELECT count() FROM revlog") == 0


def test_revlog_and_card_fields(tmp_path: Path, col) -> None:
    now = datetime.now(UTC)
    store, deck = _reviewed_store(tmp_path / "q.db", now)
    record = store.card("mfu:def-term")
    log = store.review_log("mfu:def-term")
    result = export_apkg(deck, tmp_path / "p.apkg", store=store, with_progress=True,
                         today=study_day(now, UTC), tz=UTC, now=now)
    store.close()
    import_apkg(col, result.path, with_scheduling=True)
    card = next(c for c in read_cards(col) if c.fields["QuizappId"] == "mfu" and c.ord == 0)
    assert (card.type, card.queue, card.ivl, card.reps, card.lapses) == (
        2, 2, record.state.interval, 2, 0)
    assert card.factor == int(record.state.easiness * 1000)
    assert card.due - col.sched.today == (record.due - study_day(now, UTC)).days
    rows = col.db.all("SELECT id, ease, ivl, lastIvl, factor, type FROM revlog ORDER BY id")
    assert [r[0] for r in rows] == [
        int(datetime.fromisoformat(r.answered_at).timestamp() * 1000) for r in log]
    assert [r[1:] for r in rows] == [
        [anki_ease(r.grade), r.after.interval, r.before.interval, r.after.ef_hundredths * 10,
         0 if i == 0 else 1] for i, r in enumerate(log)]
    # the sibling card of the same note stays new
    sibling = next(c for c in read_cards(col) if c.fields["QuizappId"] == "mfu" and c.ord == 1)
    assert sibling.type == 0


def test_grade_mapping_and_anchor() -> None:
    assert [anki_ease(g) for g in range(6)] == [1, 1, 1, 2, 3, 4]
    from zoneinfo import ZoneInfo

    today = datetime(2026, 3, 29).date()  # a DST change in Berlin
    crt = collection_crt(today, ZoneInfo("Europe/Berlin"))
    local = datetime.fromtimestamp(crt, ZoneInfo("Europe/Berlin"))
    assert (local.date(), local.hour) == (today - timedelta(days=1), 12)


def test_bulk_reads_for_export_match_the_per_card_reads(tmp_path: Path) -> None:
    """`card_schedules` / `iter_card_reviews` (what the export reads) agree with `card` /
    `review_log`, skip retired cards and other answer kinds, and do not depend on the chunking."""
    import sqlite3

    now = datetime.now(UTC)
    store, _deck = _reviewed_store(tmp_path / "q.db", now)
    day = study_day(now, UTC)
    store.record("mfu:def-term", 1, now=now, today=day)  # not due yet: practice
    store.record("mfu:term-def", 2, now=now, today=day)  # new: a review (a lapse) …
    store.record("mfu:term-def", 4, now=now + timedelta(seconds=5), today=day)  # … re-drilled
    ids = [c.id for c in store.all_cards()]
    raw = sqlite3.connect(tmp_path / "q.db")
    with raw:
        raw.execute("UPDATE cards SET retired = 1 WHERE id = ?", (ids[-1],))
    raw.close()
    active = ids[:-1]
    schedules = store.card_schedules([*ids, *ids])
    assert schedules == store.card_schedules(ids, chunk=1)
    assert sorted(schedules) == sorted(active)
    for cid in active:
        record, row = store.card(cid), schedules[cid]
        assert (row.suspended, row.reviews, row.lapses, row.content_changed_at) == (
            record.suspended, record.reviews, record.lapses, record.content_changed_at)
        assert (row.repetitions, row.ef, row.interval) == (
            record.state.repetitions, record.state.ef_hundredths, record.state.interval)
        assert row.due == (record.due.toordinal() if record.due else None)
    wanted = ["mfu:def-term", "mfu:term-def"]
    rows = sorted(store.iter_card_reviews(wanted))
    assert rows == sorted(store.iter_card_reviews(reversed(wanted), chunk=1))
    log = [r for r in store.review_log() if r.kind == "review" and r.card_id in wanted]
    assert len(log) == 3
    assert {r.kind for r in store.review_log()} == {"review", "practice", "redrill"}
    assert [(r.id, r.card_id, r.answered_at, r.grade, r.response_ms, r.reps_before,
             r.interval_before, r.ef_after, r.interval_after) for r in rows] == [
        (r.id, r.card_id, r.answered_at, r.grade, r.response_ms, r.before.repetitions,
         r.before.interval, r.after.ef_hundredths, r.after.interval) for r in log]
    assert list(store.iter_card_reviews([])) == [] and store.card_schedules([]) == {}
    store.close()
