"""Export with quizapp, import with the real Anki backend, and check what arrives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.deck.load import load_deck
from quizapp.deck.model import Deck, Drill, Scenario, Term, Trap
from quizapp.export import export_apkg
from quizapp.export.notes import drill_examples, escape
from quizapp.quiz.drills import render_drill
from quizapp.store.store import Store
from tests.export.anki_helpers import AnkiCard, import_apkg, read_cards
from tests.export.conftest import MINI, TRICKY, bundled_or_skip, edited_copy


def _synced_store(path: Path, deck: Deck, at: datetime) -> Store:
    store = Store.open(path)
    store.sync(deck, at)
    return store


def _expected(deck: Deck, card: AnkiCard, lang: str = "both") -> tuple[list[str], list[str]]:
    """Text that must appear on the question and on the answer of this Anki card."""
    key = card.fields["QuizappId"]
    item_id, _, number = key.partition("#")
    item = deck.item(item_id)
    en, zh = lang in ("en", "both"), lang in ("zh", "both")

    def pick(a: str, b: str) -> list[str]:
        return [escape(a)] * en + [escape(b)] * zh

    if isinstance(item, Term):
        if card.ord == 0:
            return pick(item.def_en, item.def_zh), [escape(item.display), escape(item.zh),
                                                    escape(item.explain_en)]
        return pick(item.display, item.zh), [escape(item.def_en), escape(item.def_zh)]
    if isinstance(item, Trap | Scenario):
        why = item.explain_en if isinstance(item, Trap) else item.reason_en
        return ([*pick(item.prompt_en, item.prompt_zh), *(escape(o) for o in item.options)],
                [escape(item.answer), escape(why)])
    assert isinstance(item, Drill)
    rendered = render_drill(item, drill_examples(item)[int(number) - 1])
    return (pick(rendered.prompt.en, rendered.prompt.zh),
            [escape(rendered.answer_text), escape(rendered.solution.en)])


def _check_package(deck: Deck, cards: list[AnkiCard], lang: str = "both") -> None:
    required = {
        "quizapp · term": ("Term", "TermZh", "Definition", "DefinitionZh", "Explanation",
                           "ExplanationZh", "Category", "CategoryZh", "QuizappId"),
        "quizapp · trap": ("Prompt", "PromptZh", "Options", "Answer", "Explanation",
                           "ExplanationZh", "Category", "QuizappId"),
        "quizapp · scenario": ("Prompt", "PromptZh", "Options", "Answer", "Reason", "ReasonZh",
                               "Category", "QuizappId"),
        "quizapp · estimation": ("Prompt", "PromptZh", "Answer", "Solution", "SolutionZh",
                                 "Category", "QuizappId"),
    }
    categories = {c.en: c for c in deck.categories}
    for card in cards:
        for name in required[card.model]:
            assert card.fields[name].strip(), (card.fields["QuizappId"], name)
        assert "{{" not in card.question and "}}" not in card.question, card.question
        assert "{{" not in card.answer and "}}" not in card.answer, card.answer
        ask, tell = _expected(deck, card, lang)
        for fragment in ask:
            assert fragment in card.question, (card.fields["QuizappId"], card.ord, fragment)
        for fragment in tell:
            assert fragment in card.answer, (card.fields["QuizappId"], card.ord, fragment)
        root, _, sub = card.deck.partition("::")
        assert root == deck.name_en
        category = categories[sub]
        assert card.fields["Category"] == escape(category.en)
        kind = {"quizapp · term": "term", "quizapp · trap": "trap",
                "quizapp · scenario": "scenario", "quizapp · estimation": "drill"}[card.model]
        assert sorted(card.tags) == sorted(
            ["quizapp", f"category::{category.id}", f"kind::{kind}"])


@pytest.mark.parametrize("deck_path", ["mini", "tricky", "bundled"])
def test_export_imports_completely(deck_path: str, tmp_path: Path, col) -> None:
    path = {"mini": MINI, "tricky": TRICKY}.get(deck_path) or bundled_or_skip()
    deck = load_deck([path])
    store = _synced_store(tmp_path / "q.db", deck, datetime.now(UTC) - timedelta(hours=1))
    result = export_apkg(deck, tmp_path / "out.apkg", store=store)
    store.close()
    log = import_apkg(col, result.path)
    assert len(log.new) == result.notes
    assert col.note_count() == result.notes
    assert col.card_count() == result.cards
    # what quizapp schedules: 2 cards per term, 1 per trap and scenario, one per drill example
    examples = sum(len(drill_examples(d)) for d in deck.drills)
    assert result.notes == len(deck.terms) + len(deck.traps) + len(deck.scenarios) + examples
    assert result.cards == len(deck.cards()) - len(deck.drills) + examples
    cards = read_cards(col)
    _check_package(deck, cards)
    names = {d.name for d in col.decks.all_names_and_ids()}
    used = {c.category for c in deck.cards()}
    assert {f"{deck.name_en}::{c.en}" for c in deck.categories if c.id in used} <= names
    assert {c.deck for c in cards} == {f"{deck.name_en}::{deck.category(c).en}" for c in used}
    assert all(c.type == 0 and c.queue == 0 for c in cards)  # no progress asked for
    assert not [m for m in col.models.all_names_and_ids() if m.name.endswith("+")]


def test_markup_and_template_syntax_arrive_literally(tmp_path: Path, col) -> None:
    deck = load_deck([TRICKY])
    result = export_apkg(deck, tmp_path / "t.apkg")
    import_apkg(col, result.path)
    cards = {(c.fields["QuizappId"], c.ord): c for c in read_cards(col)}
    braces = cards[("braces", 0)]
    assert "&lt;b&gt;not bold&lt;/b&gt;" in braces.question
    assert "<b>not bold" not in braces.question
    assert "&amp;amp;" in braces.question  # a literal "&amp;" in the deck shows as "&amp;"
    assert "&#123;&#123;c1::cloze&#125;&#125;" in braces.question
    assert "&quot;double&quot; &#x27;single&#x27;" in braces.question
    assert "「引号」，" in braces.question and "&lt;i&gt;" in braces.question
    assert "Line one.<br>Line two &lt; three &gt; one." in braces.answer
    assert "&#123;&#123;Definition&#125;&#125; stays literal" in braces.answer
    assert "Template &#123;&#123;Front&#125;&#125; braces" in braces.answer
    trap = cards[("lt-gt", 0)]
    assert "<li>&lt;A&gt;</li>" in trap.question and "B &amp; C" in trap.answer
    assert "<em>" not in trap.question
    # the category name with "&", "<" and an ideographic space, as a deck name and a chip
    assert braces.deck == "Tricky Deck::Odd & <Strange>"
    assert "奇怪　内容" in braces.question


@pytest.mark.parametrize("lang", ["en", "zh", "both"])
def test_lang_picks_the_front(lang: str, tmp_path: Path, col) -> None:
    deck = load_deck([MINI])
    result = export_apkg(deck, tmp_path / "l.apkg", lang=lang)
    import_apkg(col, result.path)
    cards = read_cards(col)
    _check_package(deck, cards, lang)
    mfu = next(c for c in cards if c.fields["QuizappId"] == "mfu" and c.ord == 0)
    term = deck.term("mfu")
    assert (escape(term.def_en) in mfu.question) == (lang != "zh")
    assert (escape(term.def_zh) in mfu.question) == (lang != "en")
    back = mfu.answer.split('<hr id="answer">', 1)[1]
    assert escape(term.explain_en) in back and escape(term.explain_zh) in back
    assert escape(term.zh) in back and escape(term.display) in back


def test_category_filter(tmp_path: Path, col) -> None:
    deck = load_deck([MINI])
    result = export_apkg(deck, tmp_path / "c.apkg", categories=["hardware"])
    import_apkg(col, result.path)
    cards = read_cards(col)
    assert {c.deck for c in cards} == {"Mini::Hardware"}
    assert result.notes == 2 and result.cards == 3  # hbm (2 cards) + the scenario
    assert result.decks == ("Mini::Hardware",)


def test_reexport_updates_exactly_the_changed_note(tmp_path: Path, col) -> None:
    now = datetime.now(UTC)
    v1 = load_deck([MINI])
    store = _synced_store(tmp_path / "q.db", v1, now - timedelta(days=2))
    first = export_apkg(v1, tmp_path / "v1.apkg", store=store, now=now - timedelta(days=2))
    import_apkg(col, first.path)
    before = {c.id: c for c in read_cards(col)}

    # The learner studies in Anki and edits another note there.
    hbm_card = next(c for c in before.values() if c.fields["QuizappId"] == "hbm" and c.ord == 0)
    col.sched.set_due_date([hbm_card.id], "5!")
    edited = col.get_note(next(c.note_id for c in before.values()
                               if c.fields["QuizappId"] == "throughput"))
    edited["Explanation"] = "my own note"
    col.update_note(edited)
    studied = col.get_card(hbm_card.id)

    old_def = "Achieved useful model compute divided by the hardware's peak rate."
    new_def = "Useful model FLOPs per second achieved, divided by the hardware's peak FLOPS."
    v2 = load_deck([edited_copy(tmp_path, old_def, new_def)])
    store.sync(v2, now - timedelta(days=1))
    second = export_apkg(v2, tmp_path / "v2.apkg", store=store, now=now)
    store.close()
    log = import_apkg(col, second.path)
    assert len(log.new) == 0
    assert [n.fields[0] for n in log.updated] == [escape(v2.term("mfu").display)]
    assert col.note_count() == first.notes
    after = {c.id: c for c in read_cards(col)}
    assert after.keys() == before.keys()  # no duplicates, same cards
    changed = [c for c in after.values() if c.fields != before[c.id].fields]
    assert {c.fields["QuizappId"] for c in changed} == {"mfu", "throughput"}
    mfu = next(c for c in after.values() if c.fields["QuizappId"] == "mfu")
    assert mfu.fields["Definition"] == escape(new_def)
    assert mfu.note_mod == int((now - timedelta(days=1)).timestamp())
    assert next(c for c in after.values()
                if c.fields["QuizappId"] == "throughput").fields["Explanation"] == "my own note"
    kept = col.get_card(hbm_card.id)  # the learner's Anki progress is untouched
    assert (kept.due, kept.ivl, kept.type, kept.queue) == (
        studied.due, studied.ivl, studied.type, studied.queue)
    assert kept.ivl == 5


def test_exporting_twice_unchanged_changes_nothing(tmp_path: Path, col) -> None:
    deck = load_deck([TRICKY])
    store = _synced_store(tmp_path / "q.db", deck, datetime.now(UTC) - timedelta(minutes=5))
    first = export_apkg(deck, tmp_path / "a.apkg", store=store)
    second = export_apkg(deck, tmp_path / "b.apkg", store=store,
                         now=datetime.now(UTC) + timedelta(seconds=2))
    store.close()
    import_apkg(col, first.path)
    snapshot = [(c.id, c.fields, c.tags, c.note_mod, c.deck) for c in read_cards(col)]
    models = sorted((m.id, m.name) for m in col.models.all_names_and_ids())
    model_mods = {m.id: col.models.get(m.id)["mod"] for m in col.models.all_names_and_ids()}
    log = import_apkg(col, second.path)
    assert len(log.new) == 0 and len(log.updated) == 0 and len(log.conflicting) == 0
    assert len(log.duplicate) == second.notes
    assert [(c.id, c.fields, c.tags, c.note_mod, c.deck) for c in read_cards(col)] == snapshot
    assert sorted((m.id, m.name) for m in col.models.all_names_and_ids()) == models
    assert {m.id: col.models.get(m.id)["mod"] for m in col.models.all_names_and_ids()} \
        == model_mods
