"""Synthetic collections: a deck of `terms` terms (2 cards each), a quizapp database whose cards
match that deck and carry `reviews` review-log rows over two years, and the same notes, card
schedules and review history in an Anki collection.

Everything is bulk-inserted: `executemany` in one transaction per table, indexes dropped during
the load and rebuilt after, `PRAGMA synchronous=OFF` on the generator's own connection only (the
app sets its own PRAGMAs on every connection it opens).
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from quizapp.srs.sm2 import MAX_INTERVAL, MIN_EF_HUNDREDTHS, NEW_EF_HUNDREDTHS, PASS_GRADE

HISTORY_DAYS = 730
TERMS_PER_FILE = 2000  # about 1.3 MB of TOML per file; the loader refuses files over 5 MB
ROLLOVER_HOUR = 4
TIMEZONE = "UTC"  # stored in the database's settings, so every process agrees on the study day
CATEGORIES = (
    ("alpha", "Alpha systems", "阿尔法系统"),
    ("beta", "Beta methods", "贝塔方法"),
    ("gamma", "Gamma hardware", "伽马硬件"),
    ("delta", "Delta serving", "德尔塔部署"),
    ("epsilon", "Epsilon metrics", "艾普西龙指标"),
)
# Grade mixes (SM-2 grades 0..5): a card's first answer is shakier than later recalls.
FIRST_GRADES = (0.05, 0.07, 0.10, 0.20, 0.38, 0.20)
LATER_GRADES = (0.02, 0.03, 0.06, 0.14, 0.45, 0.30)
REDRILL_GRADES = (0.0, 0.0, 0.0, 0.0, 0.7, 0.3)  # a same-day re-drill ends at 4 or 5


@dataclass
class Sizes:
    terms: int = 50_000  # cards = 2 × terms
    reviews: int = 1_000_000
    export_notes: int = 10_000
    seed: int = 8

    @property
    def cards(self) -> int:
        return 2 * self.terms


@dataclass
class Collection:
    """Where the generated files are, and what they hold."""

    root: Path
    deck_dir: Path
    db: Path
    anki: Path
    export_category: str
    today: date
    cards: int = 0
    reviews: int = 0
    studied: int = 0
    due_today: int = 0
    anki_notes: int = 0
    anki_revlog: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {"cards": self.cards, "reviews": self.reviews, "studied": self.studied,
                "due_today": self.due_today, "anki_notes": self.anki_notes,
                "anki_revlog": self.anki_revlog, "today": self.today.isoformat(),
                "export_category": self.export_category,
                "build_seconds": {k: round(v, 2) for k, v in self.timings.items()}}


def study_today(now: datetime | None = None) -> date:
    from quizapp.srs.days import study_day

    return study_day(now or datetime.now(UTC), UTC, ROLLOVER_HOUR)


# -- the deck ---------------------------------------------------------------------------------------
def _toml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def write_deck(folder: Path, sizes: Sizes) -> str:
    """`deck.toml` plus one file per category; returns the category sized for the export figure.

    Terms are dealt to categories so the first one holds `export_notes` terms (one note each in
    the export), the rest share the remainder.
    """
    folder.mkdir(parents=True, exist_ok=True)
    head = ['[deck]', 'id = "bench"', 'name_en = "Benchmark deck"', 'name_zh = "基准测试卡组"', '']
    for cat, en, zh in CATEGORIES:
        head += [f"[categories.{cat}]", f"en = {_toml(en)}", f"zh = {_toml(zh)}", ""]
    (folder / "deck.toml").write_text("\n".join(head), encoding="utf-8")
    first = min(sizes.export_notes, sizes.terms)
    rest = CATEGORIES[1:]
    buckets: dict[str, list[int]] = {c[0]: [] for c in CATEGORIES}
    for i in range(sizes.terms):
        cat = CATEGORIES[0][0] if i < first else rest[(i - first) % len(rest)][0]
        buckets[cat].append(i)
    for cat, en, _zh in CATEGORIES:
        ids = buckets[cat]
        for part in range(0, max(len(ids), 1), TERMS_PER_FILE):  # files stay under the 5 MB cap
            lines: list[str] = [f"# {en}: synthetic terms for benchmarks (generated)", ""]
            for i in ids[part:part + TERMS_PER_FILE]:
                lines += _term(i, cat, sizes.terms)
            name = f"{cat}-{part // TERMS_PER_FILE:03d}.toml"
            (folder / name).write_text("\n".join(lines), encoding="utf-8")
    return CATEGORIES[0][0]


def _term(i: int, cat: str, total: int) -> list[str]:
    en = f"Synthetic concept {i:06d}"
    zh = f"合成概念{i:06d}"
    out = ["[[term]]", f'id = "t{i:06d}"', f"en = {_toml(en)}", f"zh = {_toml(zh)}",
           f'category = "{cat}"']
    if i % 3 == 0:
        out.append(f'abbr = "SC{i:06d}"')
    if i % 5 == 0:
        out.append(f'aliases = ["concept no. {i}", "概念 {i}"]')
    out += [
        f"def_en = {_toml(f'A made-up definition written only to load the quiz at scale, variant {i}; it names a mechanism, a unit and a trade-off.')}",  # noqa: E501
        f"def_zh = {_toml(f'仅为大规模压力测试编写的虚构定义，第 {i} 号变体；描述一种机制、一个单位和一种取舍。')}",
        f"explain_en = {_toml(f'Longer explanation number {i}: why the mechanism matters, where it shows up in practice, and the look-alike it is often confused with. Benchmarks only.')}",  # noqa: E501
        f"explain_zh = {_toml(f'第 {i} 号较长的解释：这种机制为何重要、在实践中出现在哪里，以及常被混淆的相似概念。')}",
    ]
    if i % 4 == 0:
        out.append(f'facts = ["Fact A of {i}: 312 TFLOPS.", "Fact B of {i}: 80 GB."]')
        out.append(f'facts_zh = ["{i} 的事实 A：312 TFLOPS。", "{i} 的事实 B：80 GB。"]')
    if i % 10 == 0 and i + 1 < total:
        out.append(f'twin = "t{i + 1:06d}"')
    out.append("")
    return out


# -- review history ---------------------------------------------------------------------------------
@dataclass
class _CardState:
    reps: int = 0
    ef: int = NEW_EF_HUNDREDTHS
    interval: int = 0
    due: int | None = None
    lapses: int = 0
    reviews: int = 0
    last_day: int | None = None


def _sm2(reps: int, ef: int, interval: int, grade: int) -> tuple[int, int, int]:
    """quizapp.srs.sm2.review in integers (checked against it by tests/test_benchmarks.py)."""
    if grade < PASS_GRADE:
        reps, new_interval = 0, 1
    else:
        if reps == 0:
            new_interval = 1
        elif reps == 1:
            new_interval = 6
        else:
            new_interval = -(-interval * ef // 100)
        new_interval = max(1, min(new_interval, MAX_INTERVAL))
        reps += 1
    d = 5 - grade
    ef = max(ef + 10 - d * (8 + 2 * d), MIN_EF_HUNDREDTHS)
    return reps, ef, new_interval


def _pick(rng: random.Random, weights: tuple[float, ...]) -> int:
    return rng.choices(range(6), weights)[0]


def simulate(n_cards: int, target: int, today: int, rng: random.Random
             ) -> tuple[list[_CardState], list[tuple]]:
    """Review rows (as tuples in `reviews` column order, without id) for cards introduced in deck
    order over HISTORY_DAYS, stopping at exactly `target` rows; the rest of the cards stay new."""
    start = today - HISTORY_DAYS
    # Calibrate how many cards to introduce: rows per card depend on its age.
    probe = random.Random(rng.random())
    sample = [len(_history(start + probe.randrange(HISTORY_DAYS), today, probe, [])[1])
              for _ in range(400)]
    per_card = max(1.0, sum(sample) / len(sample))
    studied = min(n_cards, max(1, round(target / per_card * 1.02)))
    states = [_CardState() for _ in range(n_cards)]
    rows: list[tuple] = []
    for index in range(n_cards):
        if len(rows) >= target:
            break
        intro = start + min(HISTORY_DAYS - 1, index * HISTORY_DAYS // studied)
        state, card_rows = _history(intro, today, rng, rows, limit=target - len(rows))
        states[index] = state
        for r in card_rows:
            r[0] = index  # card index; the caller turns it into the card id
        rows.extend(card_rows)
    return states, rows


def _history(intro: int, today: int, rng: random.Random, _all: list, limit: int | None = None
             ) -> tuple[_CardState, list[list]]:
    s = _CardState()
    out: list[list] = []
    day = intro
    skip = rng.randrange(1, 12) if rng.random() < 0.1 else 0  # a backlog: some cards are overdue
    while day < today and (limit is None or len(out) < limit):
        grade = _pick(rng, FIRST_GRADES if s.reviews == 0 else LATER_GRADES)
        reps, ef, interval = _sm2(s.reps, s.ef, s.interval, grade)
        due = day + interval
        out.append([0, day, grade, "review", s.reviews == 0, s.reps, s.ef, s.interval, s.due,
                    s.last_day, reps, ef, interval, due])
        s.reps, s.ef, s.interval, s.due = reps, ef, interval, due
        s.lapses += grade < PASS_GRADE
        s.reviews += 1
        s.last_day = day
        if grade < 4 and (limit is None or len(out) < limit):  # SM-2 step 7: re-drill today
            again = _pick(rng, REDRILL_GRADES)
            out.append([0, day, again, "redrill", False, reps, ef, interval, due, day,
                        reps, ef, interval, due])
        if due >= today - skip:
            break
        day = due
    return s, out


# -- the quizapp database ---------------------------------------------------------------------------
def build_quizapp_db(path: Path, deck, sizes: Sizes, today: date,
                     new_per_day: int = 20, reviews_per_day: int = 200
                     ) -> tuple[list, list[_CardState], list[tuple], int]:
    """Create the schema with the app itself, then bulk-load cards and history.

    Returns the deck's cards (in deck order), their states, the review rows and the due count."""
    from quizapp.store.store import Store

    cards = deck.cards()
    with Store.open(path) as store:  # the real schema, indexes and user_version
        learner = store.learner
    rng = random.Random(sizes.seed)
    states, rows = simulate(len(cards), sizes.reviews, today.toordinal(), rng)
    stamp = datetime.combine(today - timedelta(days=HISTORY_DAYS + 1), datetime.min.time(),
                             tzinfo=UTC).isoformat()
    card_rows = []
    for card, s in zip(cards, states, strict=True):
        card_rows.append((learner, card.id, card.kind.value, card.category, card.item_id, card.position,
                          card.content_hash, stamp, stamp, 0, 0, s.reps, s.ef, s.interval, s.due,
                          s.lapses, s.reviews, s.last_day))
    review_rows = []
    for n, r in enumerate(rows):
        (index, day, grade, kind, was_new, rb, eb, ib, db, lb, ra, ea, ia, da) = r
        moment = datetime.fromordinal(day).replace(tzinfo=UTC) + timedelta(
            hours=8, seconds=(n * 7919) % 43_000)
        review_rows.append((learner, cards[index].id, moment.isoformat(), day, grade, "",
                            grade >= PASS_GRADE, 2000 + (n * 131) % 15_000, kind, was_new,
                            rb, eb, ib, db, lb, ra, ea, ia, da))
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous = OFF")  # generation only; the app sets FULL itself
        indexes = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                               "AND sql IS NOT NULL AND tbl_name IN ('cards', 'reviews')").fetchall()
        conn.execute("BEGIN")
        for name, _sql in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        conn.executemany("INSERT INTO cards (learner, id, kind, category, item_id, position, content_hash, "
                         "content_changed_at, added_at, retired, suspended, repetitions, ef, "
                         "interval, due, lapses, reviews, last_review_day) "
                         "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", card_rows)
        conn.executemany("INSERT INTO reviews (learner, card_id, answered_at, study_day, grade, answer, "
                         "correct, response_ms, kind, was_new, reps_before, ef_before, "
                         "interval_before, due_before, last_day_before, reps_after, ef_after, "
                         "interval_after, due_after) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                         review_rows)
        for _name, sql in indexes:
            conn.execute(sql)
        settings = {"timezone": TIMEZONE, "rollover_hour": ROLLOVER_HOUR,
                    "new_per_day": new_per_day, "reviews_per_day": reviews_per_day}
        conn.executemany("INSERT OR REPLACE INTO settings (learner, key, value) VALUES (?, ?, ?)",
                         [(learner, k, json.dumps(v)) for k, v in settings.items()])
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    replay_once(path)
    t = today.toordinal()
    due = sum(1 for s in states if s.due is not None and s.due <= t)
    return list(cards), states, rows, due


def replay_once(path: Path) -> float:
    """Give the bulk-loaded history its FSRS state, as the app's first start does (the same
    replay as switching algorithms); returns the seconds it took."""
    from quizapp.session.context import Settings
    from quizapp.store.store import Store

    settings = Settings()
    store = Store.open(path)
    try:
        started = time.perf_counter()
        store.reschedule(settings.scheduling(), settings.schedule_basis)
        return time.perf_counter() - started
    finally:
        store.close()


def set_limits(db: Path, new_per_day: int, reviews_per_day: int) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        (learner,) = conn.execute("SELECT learner FROM cards LIMIT 1").fetchone()
        conn.executemany("INSERT OR REPLACE INTO settings (learner, key, value) VALUES (?, ?, ?)",
                         [(learner, "new_per_day", json.dumps(new_per_day)),
                          (learner, "reviews_per_day", json.dumps(reviews_per_day))])
    finally:
        conn.close()


def copy_db(src: Path, dst: Path) -> Path:
    """A copy of a (checkpointed) SQLite file, so a benchmark that writes leaves the original."""
    for suffix in ("", "-wal", "-shm"):
        target = Path(str(dst) + suffix)
        if target.exists():
            target.unlink()
    shutil.copyfile(src, dst)
    return dst


# -- the Anki collection ----------------------------------------------------------------------------
def anki_ease(grade: int) -> int:
    return 1 if grade < 3 else {3: 2, 4: 3}.get(grade, 4)


def _anki_notetype(col):
    from quizapp.export.models import CSS, TERM

    mm = col.models
    model = mm.new(TERM.name)
    for f in TERM.fields:
        mm.add_field(model, mm.new_field(f.name))
    for t in TERM.templates:
        template = mm.new_template(t.name)
        template["qfmt"], template["afmt"] = t.front, t.back
        mm.add_template(model, template)
    model["css"] = CSS
    mm.add(model)
    return mm.by_name(TERM.name)


def build_anki(path: Path, deck, cards: list, states: list[_CardState],
               rows: list[tuple], today: date, new_per_day: int = 20,
               reviews_per_day: int = 200) -> tuple[int, int]:
    """The same notes (quizapp's own export fields), schedules and history in an Anki collection.

    Notes go in with `add_notes` batches, one Anki deck per category; card scheduling fields and
    the review log are then written with SQL straight into the closed collection file (Anki's
    `col.db.executemany` goes through its backend proxy: ~40 s for 20 000 rows)."""
    from anki.collection import AddNoteRequest, Collection

    from quizapp.export.notes import build_notes

    notes = build_notes(deck, None, "both")
    index = {c.id: i for i, c in enumerate(cards)}
    col = Collection(str(path))
    try:
        model = _anki_notetype(col)
        conf = col.decks.config_dict_for_deck_id(1)
        conf["new"]["perDay"] = new_per_day
        conf["rev"]["perDay"] = reviews_per_day
        col.decks.update_config(conf)
        deck_ids = {}
        for cat in deck.categories:
            deck_ids[cat.id] = col.decks.id(f"Bench::{cat.en}")
        col.decks.select(col.decks.id("Bench"))
        batch: list = []
        owners: list[tuple[str, ...]] = []
        note_cards: list[tuple[int, tuple[str, ...]]] = []
        for spec in notes:
            note = col.new_note(model)
            note.fields = list(spec.fields)
            note.tags = list(spec.tags)
            batch.append(AddNoteRequest(note=note, deck_id=deck_ids[spec.category]))
            owners.append(spec.cards)
            if len(batch) >= 5000:
                col.add_notes(batch)
                note_cards += [(r.note.id, o) for r, o in zip(batch, owners, strict=True)]
                batch, owners = [], []
        if batch:
            col.add_notes(batch)
            note_cards += [(r.note.id, o) for r, o in zip(batch, owners, strict=True)]
        anki_today = col.sched.today
        t = today.toordinal()
        anki_ids = {}
        for nid, ord_, cid in col.db.all("SELECT nid, ord, id FROM cards"):
            anki_ids[(nid, ord_)] = cid
        card_of: dict[str, int] = {}
        for nid, owned in note_cards:
            for ord_, qid in enumerate(owned):
                if qid is not None:
                    card_of[qid] = anki_ids[(nid, ord_)]
        updates = []
        for qid, cid in card_of.items():
            s = states[index[qid]]
            if s.reviews:
                updates.append((2, 2, anki_today + (s.due - t), max(1, s.interval), s.ef * 10,
                                s.reviews, s.lapses, cid))
            else:
                updates.append((0, 0, cards[index[qid]].position, 0, 0, 0, 0, cid))
        revlog = []
        used: set[int] = set()
        for n, r in enumerate(rows):
            (card_index, day, grade, kind, was_new, _rb, _eb, ib, _db, _lb, _ra, ea, ia, _da) = r
            ms = int(datetime.fromordinal(day).replace(tzinfo=UTC).timestamp() * 1000)
            rid = ms + 8 * 3600_000 + ((n * 7919) % 43_000) * 1000
            while rid in used:
                rid += 1
            used.add(rid)
            rtype = 0 if was_new else (2 if kind == "redrill" else 1)
            revlog.append((rid, card_of[cards[card_index].id], -1, anki_ease(grade), ia, ib,
                           ea * 10, 2000 + (n * 131) % 15_000, rtype))
        n_notes = len(note_cards)
    finally:
        col.close()
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("BEGIN")
        conn.executemany("UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, factor = ?, "
                         "reps = ?, lapses = ?, left = 0 WHERE id = ?", updates)
        conn.executemany("INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", revlog)
        conn.execute("COMMIT")
    finally:
        conn.close()
    return n_notes, len(revlog)


# -- all together -----------------------------------------------------------------------------------
def build(root: Path, sizes: Sizes, today: date | None = None, log=print) -> Collection:
    today = today or study_today()
    root.mkdir(parents=True, exist_ok=True)
    stamp = root / "collection.json"
    key = {"terms": sizes.terms, "reviews": sizes.reviews, "export_notes": sizes.export_notes,
           "seed": sizes.seed, "today": today.isoformat(), "format": 4}
    out = Collection(root, root / "deck", root / "quizapp.db", root / "anki" / "collection.anki2",
                     CATEGORIES[0][0], today)
    if stamp.exists():
        saved = json.loads(stamp.read_text())
        if saved.get("key") == key and out.db.exists() and out.anki.exists():
            info = saved["info"]
            out.cards, out.reviews, out.studied = info["cards"], info["reviews"], info["studied"]
            out.due_today, out.anki_notes = info["due_today"], info["anki_notes"]
            out.anki_revlog = info["anki_revlog"]
            out.timings = info.get("build_seconds", {})
            log(f"reusing the synthetic collection in {root}")
            return out
    for p in (out.deck_dir, out.anki.parent):
        shutil.rmtree(p, ignore_errors=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(out.db) + suffix).unlink(missing_ok=True)
    out.anki.parent.mkdir(parents=True)

    t0 = time.perf_counter()
    out.export_category = write_deck(out.deck_dir, sizes)
    out.timings["deck_toml"] = time.perf_counter() - t0
    log(f"  deck TOML: {sizes.terms} terms ({out.timings['deck_toml']:.1f} s)")
    t0 = time.perf_counter()
    from quizapp.deck.load import load_deck

    deck = load_deck([out.deck_dir])
    deck.cards()
    out.timings["deck_load"] = time.perf_counter() - t0
    log(f"  deck load: {out.timings['deck_load']:.1f} s")
    t0 = time.perf_counter()
    cards, states, rows, due = build_quizapp_db(out.db, deck, sizes, today)
    out.timings["quizapp_db"] = time.perf_counter() - t0
    out.cards, out.reviews, out.due_today = len(cards), len(rows), due
    out.studied = sum(1 for s in states if s.reviews)
    log(f"  quizapp db: {out.cards} cards, {out.reviews} reviews, {out.due_today} due "
        f"({out.timings['quizapp_db']:.1f} s)")
    t0 = time.perf_counter()
    out.anki_notes, out.anki_revlog = build_anki(out.anki, deck, cards, states, rows, today)
    out.timings["anki_collection"] = time.perf_counter() - t0
    log(f"  Anki collection: {out.anki_notes} notes, {out.anki_revlog} revlog rows "
        f"({out.timings['anki_collection']:.1f} s)")
    stamp.write_text(json.dumps({"key": key, "info": out.as_dict()}, indent=1))
    return out
