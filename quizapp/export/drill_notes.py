"""Estimation drills → worked-example notes with fixed numbers (Anki cannot draw new ones).

Two rules keep a drill's examples from spoiling each other:

* each back explains only its own numbers: the drill's shared takeaway (`explain_en/zh`) usually
  quotes one example's result, so on a drill with several examples the backs keep only the
  takeaway's sentences and clauses that contain no number;
* the examples are spread out in the new-card order (`notes.new_card_order`), so Anki does not show
  example 2 right after example 1.
"""

from __future__ import annotations

import random
import re

from quizapp.deck.formulas import FORMULAS
from quizapp.deck.model import Drill

DRILL_EXAMPLES = 3  # fixed draws per drill when the deck gives no [[drill.example]]


def drill_examples(drill: Drill) -> list[dict[str, object]]:
    """The deck's fixed parameter sets, or a few deterministic draws when it gives none."""
    if drill.examples:
        return [dict(e) for e in drill.examples]
    rng = random.Random(f"quizapp-export:{drill.id}")
    names = list(FORMULAS[drill.formula].inputs)
    choices = drill.param_choices
    total = 1
    for name in names:
        total *= len(choices[name])
    seen: list[dict[str, object]] = []
    for _ in range(50):
        if len(seen) >= min(DRILL_EXAMPLES, total):
            break
        draw = {n: rng.choice(choices[n]) for n in names}
        if draw not in seen:
            seen.append(draw)
    return seen


# A digit that starts a number of its own: not part of a name such as FP16, H100, Llama-2-7B, GPT-3.
STANDALONE_NUMBER = re.compile(r"(?<![A-Za-z0-9_./\-^])\d")
# Clause ends: Western punctuation followed by a space, or Chinese full-width punctuation.
_CLAUSE_END = re.compile(r"(?<=[.;:!?])\s+|(?<=[。；：！？])\s*")
_INTRO_WORDS = 4  # a clause ending in ':' stays without what it introduces only if this long
_INTRO_CHARS = 8  # … or, in Chinese, this many characters


def numberless(text: str, *, chinese: bool = False) -> str:
    """The sentences and clauses of `text` that quote no number, as one tidy sentence or more.

    A clause that ends in ':' introduces the next one; if that one goes, the introduction stays
    (ending in a full stop) only when it says something by itself (a few words at least).
    """
    clauses = [c for c in _CLAUSE_END.split(text.strip()) if c]
    kept: list[str] = []
    for index, clause in enumerate(clauses):
        if STANDALONE_NUMBER.search(clause):
            continue
        following = clauses[index + 1] if index + 1 < len(clauses) else ""
        if clause[-1] in ":：" and following and STANDALONE_NUMBER.search(following):
            long_enough = (len(clause) >= _INTRO_CHARS if chinese
                           else len(clause.split()) >= _INTRO_WORDS)
            if not long_enough:
                continue
            clause = clause[:-1] + ("." if clause[-1] == ":" else "。")
        kept.append(clause)
    if not kept:
        return ""
    last = kept[-1]
    if last[-1] in ";:":
        kept[-1] = last[:-1] + "."
    elif last[-1] in "；：":
        kept[-1] = last[:-1] + "。"
    joined = ("" if chinese else " ").join(kept)
    return joined[0].upper() + joined[1:]


def takeaway(drill: Drill, examples: int) -> tuple[str, str]:
    """The drill's explanation for one example's back: all of it when the drill has one example,
    otherwise only the parts that quote no number (they would give a sibling's answer away)."""
    if examples <= 1:
        return drill.explain_en, drill.explain_zh
    return numberless(drill.explain_en), numberless(drill.explain_zh, chinese=True)
