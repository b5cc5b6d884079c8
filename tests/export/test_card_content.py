"""What the cards show in Anki: shuffled options with the letter on the back, drill examples that
neither come back to back nor spoil each other, a hint on definition fronts, answers first."""

from __future__ import annotations

import html
import itertools
import re
from collections import Counter
from pathlib import Path

import pytest

from quizapp.deck.load import load_deck
from quizapp.deck.model import Deck
from quizapp.export import export_apkg
from quizapp.export.drill_notes import STANDALONE_NUMBER, drill_examples, numberless
from quizapp.export.fields import LETTERS, masked, option_text, shuffled_order
from quizapp.export.notes import build_notes, escape
from quizapp.quiz.drills import render_drill
from tests.export.anki_helpers import AnkiCard, import_apkg, read_cards
from tests.export.conftest import MINI, TRICKY, bundled_or_skip

NUMBER = re.compile(r"(?<![A-Za-z0-9_./\-^])\d[\d,]*(?:\.\d+)?")


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Deck, list[AnkiCard], object]:
    """The bundled deck imported into a real collection (kept open for the module)."""
    from tests.export.anki_helpers import open_collection

    path = bundled_or_skip()
    work = tmp_path_factory.mktemp("bundled")
    deck = load_deck([path])
    result = export_apkg(deck, work / "deck.apkg")
    col = open_collection(work / "collection.anki2")
    import_apkg(col, result.path)
    yield deck, read_cards(col), col
    col.close()


def _options(card: AnkiCard) -> list[str]:
    return re.findall(r"<li>(.*?)</li>", card.fields["Options"])


def test_right_answers_spread_over_the_letters(bundled) -> None:
    deck, cards, _col = bundled
    choice = [c for c in cards if c.model in ("quizapp · trap", "quizapp · scenario")]
    assert len(choice) == len(deck.traps) + len(deck.scenarios)
    by_count: dict[int, Counter] = {}
    for card in choice:
        options, letter = _options(card), card.fields["Letter"]
        item = deck.item(card.fields["QuizappId"])
        zh = getattr(item, "options_zh", ()) or ("",) * len(item.options)
        wordings = [option_text(en, cn) for en, cn in zip(item.options, zh, strict=True)]
        # the letter on the back names the option that is the answer
        assert options[LETTERS.index(letter)] == card.fields["Answer"] == wordings[
            item.options.index(item.answer)]
        assert escape(item.answer) in card.fields["Answer"]
        assert sorted(options) == sorted(wordings)
        back = card.answer.split('<hr id="answer">', 1)[1]
        assert f'<span class="qz-letter">{letter}</span> {card.fields["Answer"]}' in back
        by_count.setdefault(len(options), Counter())[letter] += 1
    for count, letters in by_count.items():
        total = sum(letters.values())
        assert set(letters) == set(LETTERS[:count]), (count, letters)
        if total >= 10:
            assert max(letters.values()) <= 0.6 * total, (count, letters)
    overall = Counter(c.fields["Letter"] for c in choice)
    assert overall["A"] < 0.45 * len(choice), overall  # was 54 of 72 in deck order


def test_option_order_depends_only_on_the_note(tmp_path: Path) -> None:
    assert shuffled_order("quizapp-options:quizapp:mini:x", 4) == shuffled_order(
        "quizapp-options:quizapp:mini:x", 4)
    assert len({tuple(shuffled_order(f"s{i}", 4)) for i in range(60)}) > 12
    notes = {n.key: n for n in build_notes(load_deck([MINI]))}
    again = {n.key: n for n in build_notes(load_deck([MINI]), categories=["metrics"])}
    assert again["rate-or-count"].fields == notes["rate-or-count"].fields


def test_bilingual_trap_options_show_both_and_keep_the_letter(tmp_path: Path, col) -> None:
    """Trap options may carry Chinese wordings (`options_zh`, parallel to `options`)."""
    import dataclasses

    deck = load_deck([MINI])
    trap = deck.traps[0]
    if "options_zh" not in {f.name for f in dataclasses.fields(trap)}:
        pytest.skip("this deck model has no trap options_zh yet")
    zh = tuple(f"{o} 中文" for o in trap.options)
    deck = dataclasses.replace(deck, traps=(dataclasses.replace(trap, options_zh=zh),))
    import_apkg(col, export_apkg(deck, tmp_path / "zh.apkg").path)
    card = next(c for c in read_cards(col) if c.fields["QuizappId"] == trap.id)
    right = zh[trap.options.index(trap.answer)]
    assert escape(right) in card.fields["Answer"] and escape(trap.answer) in card.fields["Answer"]
    assert all(escape(o) in card.question for o in zh)


def _new_queue(col, deck: Deck) -> list[AnkiCard]:
    """Anki's own order of new cards (default options, limits raised to see them all)."""
    root = col.decks.id_for_name(deck.name_en)
    conf = col.decks.config_dict_for_deck_id(root)
    conf["new"]["perDay"] = conf["rev"]["perDay"] = 9999
    col.decks.update_config(conf)
    col.decks.select(root)
    by_id = {c.id: c for c in read_cards(col)}
    queued = col.sched.get_queued_cards(fetch_limit=5000).cards
    return [by_id[q.card.id] for q in queued]


@pytest.mark.parametrize("source", ["bundled", "tricky"])
def test_worked_examples_are_not_adjacent_in_ankis_new_queue(source: str, bundled, tmp_path: Path,
                                                              col) -> None:
    if source == "bundled":
        deck, cards, anki = bundled
    else:
        deck = load_deck([TRICKY])
        import_apkg(col, export_apkg(deck, tmp_path / "t.apkg").path)
        anki, cards = col, read_cards(col)
    queue = _new_queue(anki, deck)
    assert len(queue) == len(cards)
    places: dict[str, list[int]] = {}
    for index, card in enumerate(queue):
        item, _, number = card.fields["QuizappId"].partition("#")
        if number:
            places.setdefault(item, []).append(index)
    several = {k: v for k, v in places.items() if len(v) > 1}
    assert several
    gaps = [b - a for v in several.values() for a, b in itertools.pairwise(v)]
    assert min(gaps) > 1, several
    if source == "bundled":  # a day's worth of new cards (20) apart, nearly always
        assert sorted(gaps)[len(gaps) // 4] >= 10, several


def _numbers(text: str) -> set[str]:
    return {m.group(0).replace(",", "") for m in NUMBER.finditer(html.unescape(text))}


def test_each_worked_example_explains_only_its_own_numbers(bundled) -> None:
    deck, cards, _col = bundled
    backs = {c.fields["QuizappId"]: c for c in cards if c.model == "quizapp · estimation"}
    checked = 0
    for drill in deck.drills:
        examples = drill_examples(drill)
        if len(examples) < 2:
            continue
        rendered = [render_drill(drill, p) for p in examples]
        for number, own in enumerate(rendered, start=1):
            card = backs[f"{drill.id}#{number}"]
            mine = _numbers(own.prompt.en + own.prompt.zh + own.solution.en + own.solution.zh
                            + own.answer_text + card.fields["Tolerance"] + card.fields["Source"]
                            + card.fields["Example"] + card.fields["Category"])
            for other in rendered:
                if other is own:
                    continue
                leaked = (_numbers(other.answer_text) - mine) & _numbers(card.answer)
                assert not leaked, (drill.id, number, leaked)
            for takeaway in (card.fields["Explanation"], card.fields["ExplanationZh"]):
                assert not STANDALONE_NUMBER.search(html.unescape(takeaway)), (drill.id, takeaway)
            checked += 1
    assert checked >= 10


def test_single_example_drills_keep_their_whole_takeaway(bundled) -> None:
    deck, cards, _col = bundled
    single = [d for d in deck.drills if len(drill_examples(d)) == 1 and d.explain_en]
    assert single
    for drill in single:
        card = next(c for c in cards if c.fields["QuizappId"] == f"{drill.id}#1")
        assert card.fields["Explanation"] == escape(drill.explain_en)


def test_numberless_keeps_the_sentences_without_numbers() -> None:
    text = ("Count K/V heads, not query heads. Llama-2-7B (32 layers) adds 0.5 MiB per token; "
            "GQA with 8 KV heads, only 320 KiB.")
    assert numberless(text) == "Count K/V heads, not query heads."
    assert numberless("Bytes per parameter: FP32 4, BF16 2. Serving adds the KV cache.") == \
        "Serving adds the KV cache."
    assert numberless("More micro-batches shrink the bubble: with 8 stages, 22 %.") == \
        "More micro-batches shrink the bubble."
    assert numberless("Plain DP never lowers memory; a 7 B model needs 108 GB.") == \
        "Plain DP never lowers memory."
    assert numberless("要数 K/V 头，不是查询头。Llama-2-7B 每个 token 增加 0.5 MiB；", chinese=True) \
        == "要数 K/V 头，不是查询头。"
    assert numberless("All 3 of them.") == ""


def test_definition_fronts_have_a_hidden_hint_and_answers_come_first(tmp_path: Path, col) -> None:
    deck = load_deck([MINI])
    import_apkg(col, export_apkg(deck, tmp_path / "h.apkg").path)
    cards = read_cards(col)
    mfu = next(c for c in cards if c.fields["QuizappId"] == "mfu" and c.ord == 0)
    term = deck.term("mfu")
    assert mfu.fields["Hint"] == escape(f"{masked(term.abbr)} · {masked(term.zh)}") == escape(
        "M__ · 模______")
    # Anki's hint filter: a "Hint" link; the hint itself hidden until tapped
    assert re.search(r"<a class=hint[^>]*>\s*Hint</a>", mfu.question)
    assert re.search(r'<div id="hint\w+" class=hint style="display: none">M__ · 模______</div>',
                     mfu.question)
    assert "MFU" not in mfu.question and term.en not in mfu.question
    for card in cards:
        back = card.answer.split('<hr id="answer">', 1)[1]
        answer_at = back.index('class="qz-answer')
        assert answer_at < back.index('class="qz-recap"') < back.index('class="qz-extra"')
        assert "Extra · 详解" in back
        if card.model == "quizapp · term" and card.ord == 0:
            assert card.fields["Hint"] and 'class="qz-hint"' in card.question
    flops = next(c for c in cards if c.fields["QuizappId"] == "flops-rate" and c.ord == 0)
    assert "FLOPS" not in flops.question and "F____" in flops.question
