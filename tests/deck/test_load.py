"""The loader: every problem named as file:line, and ids that survive edits."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp.deck.errors import DeckError
from quizapp.deck.load import check_deck, load_deck
from quizapp.deck.model import CardKind
from tests.conftest import BUNDLED_DECK, MINI_DECK

HEADER = """[deck]
id = "t"
name_en = "T"
name_zh = "测"

[categories.metrics]
en = "Metrics"
zh = "指标"
"""

TERM = """
[[term]]
id = "{id}"
en = "{en}"
zh = "{zh}"
category = "metrics"
def_en = "A rate of useful work per second."
def_zh = "每秒的有效工作速率。"
explain_en = "Longer words."
explain_zh = "更长的说明。"
"""


def write(tmp_path: Path, text: str, name: str = "deck.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(paths: list[Path]) -> list[str]:
    return [str(p) for p in check_deck(paths)]


def test_mini_deck_loads_with_every_card_kind() -> None:
    deck = load_deck([MINI_DECK])
    kinds = {c.kind for c in deck.cards()}
    assert kinds == {CardKind.DEF_TERM, CardKind.TERM_DEF, CardKind.TRAP, CardKind.SCENARIO}
    assert len(deck.cards()) == 2 * len(deck.terms) + 2
    assert len({c.id for c in deck.cards()}) == len(deck.cards())


def test_bundled_deck_passes_check() -> None:
    assert problems([BUNDLED_DECK]) == []


def test_card_ids_survive_text_edits(tmp_path: Path) -> None:
    shutil.copytree(MINI_DECK, tmp_path / "d")
    before = {c.id: c.content_hash for c in load_deck([tmp_path / "d"]).cards()}
    deck_file = tmp_path / "d" / "deck.toml"
    deck_file.write_text(deck_file.read_text(encoding="utf-8").replace(
        "It measures speed, not an amount of work.", "Edited explanation."), encoding="utf-8")
    after = {c.id: c.content_hash for c in load_deck([tmp_path / "d"]).cards()}
    assert before.keys() == after.keys()
    changed = {cid for cid in before if before[cid] != after[cid]}
    assert changed == {"flops-rate:def-term", "flops-rate:term-def"}


def test_every_problem_is_reported_with_its_line(tmp_path: Path) -> None:
    text = HEADER + TERM.format(id="a", en="Alpha", zh="甲") + """
[[term]]
id = "a"
en = "Beta"
zh = "乙"
category = "metrix"
def_en = "Something else entirely."
def_zh = "完全不同的东西。"
explain_en = "x"
explain_zh = "x"
colour = "red"

[[trap]]
id = "t1"
category = "metrics"
prompt_en = "Which?"
prompt_zh = "哪个？"
options = ["A", "B"]
answer = "C"
explain_en = "x"
explain_zh = "x"
"""
    path = write(tmp_path, text)
    found = problems([path])
    lines = text.splitlines()

    def line_of(fragment: str, after: int = 0) -> int:
        return next(i for i, line in enumerate(lines, 1) if i > after and fragment in line)

    second = line_of("[[term]]", line_of("[[term]]"))
    dup_line = line_of('id = "a"', second)
    answer_line = line_of('answer = "C"')
    assert any(p.startswith(f"{path}:{dup_line}: duplicate id 'a'") for p in found), found
    assert any(f":{line_of('metrix')}: unknown category 'metrix' (did you mean 'metrics'?)" in p
               for p in found)
    assert any(f":{line_of('colour')}: unknown key 'colour'" in p for p in found)
    assert any(f":{answer_line}: answer 'C' is not one of the options" in p for p in found)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (HEADER + "\n[[term]]\nid = \"x\"\nen = \n", 12, "TOML syntax error"),
        (HEADER + TERM.format(id="Bad Id", en="Alpha", zh="甲"), 11, "lowercase letters"),
        (HEADER + TERM.format(id="rate", en="rate", zh="速率"), 15, "gives the answer away"),
        (HEADER + TERM.format(id="a", en="Alpha", zh="甲").replace('explain_zh = "更长的说明。"\n', ""),
         10, "missing required key 'explain_zh'"),
        (HEADER + TERM.format(id="a", en="Alpha", zh="甲").replace(
            'category = "metrics"', "category = 3"), 14, "'category' must be a string"),
        ("[deck]\nid = \"x\"\nname_en = \"X\"\nname_zh = \"X\"\n", 1, "no categories defined"),
    ],
)
def test_single_problems(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = write(tmp_path, text)
    found = problems([path])
    assert any(p.startswith(f"{path}:{line}:") and message in p for p in found), found


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "deck.toml"
    path.write_bytes(HEADER.encode() + b"\n# caf\xe9\n")
    assert problems([path]) == [f"{path}:10: not valid UTF-8 (byte 0xe9); save the file as UTF-8"]


def test_duplicate_ids_across_files_name_both(tmp_path: Path) -> None:
    write(tmp_path, HEADER + TERM.format(id="a", en="Alpha", zh="甲"))
    write(tmp_path, TERM.format(id="a", en="Beta", zh="乙"), "more.toml")
    found = problems([tmp_path])
    assert len(found) == 1
    assert "more.toml:3: duplicate id 'a' (first defined at" in found[0]
    assert "deck.toml:11)" in found[0]


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    found = problems([tmp_path / "nope.toml", tmp_path / "empty"])
    assert f"{tmp_path / 'nope.toml'}: no such file or folder" in found
    assert f"{tmp_path / 'empty'}: folder contains no .toml deck files" in found


def test_load_raises_with_all_problems(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + TERM.format(id="a", en="Alpha", zh="甲") + "\nbogus = 1\n")
    with pytest.raises(DeckError) as caught:
        load_deck([path])
    assert len(caught.value.problems) == 1


def test_cli_check_prints_lines_and_exits_1_without_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "[[term]]\nid = 1\n")
    run = subprocess.run([sys.executable, "-m", "quizapp", "decks", "check", str(path)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 1
    assert f"{path}:10: 'id' must be a string, not an integer" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr


def test_cli_check_ok_on_good_deck() -> None:
    run = subprocess.run([sys.executable, "-m", "quizapp", "decks", "check", str(MINI_DECK)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.startswith("ok: 1 file(s), 5 terms, 12 cards")
