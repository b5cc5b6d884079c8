"""Line breaking for mixed Chinese / Latin text (UAX #14 via uniseg, numbers kept with units)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from quizapp.quiz.linebreak import cells, hanging_indent, wrap

MIXED = "NVIDIA GPU 的显存都是 16 位，大模型（训练）需要 80 GB。Hello, world and a long sentence."
CLOSING = "，。、）：；！？」"


def test_chinese_after_a_latin_word_stays_on_its_line() -> None:
    first = wrap(MIXED, 20)[0]
    assert first.startswith("NVIDIA GPU 的")  # not "NVIDIA GPU" alone, the sentence moved down
    assert cells(first) == 19 or cells(first) == 20


def test_no_line_starts_with_closing_punctuation_and_numbers_keep_their_unit() -> None:
    for width in range(8, 40):
        lines = wrap(MIXED, width)
        assert all(not line.lstrip()[:1] or line.lstrip()[0] not in CLOSING for line in lines), lines
        assert all(not line.rstrip().endswith((" 16", " 80")) for line in lines), lines
        assert all(cells(line) <= width for line in lines), (width, lines)
        assert "".join(line.replace(" ", "") for line in lines) == MIXED.replace(" ", "")


def test_wrapped_lines_indent_under_their_text() -> None:
    lines = wrap("You     最初为图像渲染而设计的大规模并行吞吐型处理器内含大量流式多处理器", 30)
    assert len(lines) > 1 and all(line.startswith(" " * 8) for line in lines[1:])
    options = wrap("  c. 最初为图像渲染而设计的大规模并行吞吐型处理器内含大量流式多处理器", 30)
    assert all(line.startswith(" " * 5) and not line.startswith(" " * 6) for line in options[1:])
    assert hanging_indent("plain text with  two spaces later on") == 0


@given(st.text(alphabet="ab 中文，。16GB\u3000x", max_size=80), st.integers(min_value=4, max_value=50))
def test_every_line_fits_and_nothing_is_lost(text: str, width: int) -> None:
    lines = wrap(text, width, hang=0)
    assert all(cells(line) <= width for line in lines)
    assert "".join("".join(lines).split()) == "".join(text.split())  # only spaces at breaks go
