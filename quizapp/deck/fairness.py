"""Checks for the deck keys that keep questions fair: `family` and `members` on terms,
`options_zh` and `accept` on traps, `answer_type` on drills.

They live apart from the loader's generic schema checks because they encode the *rules* of a
fair question (one defensible answer, same-kind distractors, both languages), not TOML shape.
Each problem is reported at the line of the offending key, like every other deck problem.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from quizapp.deck.errors import did_you_mean
from quizapp.deck.families import FAMILIES, unknown_family_message

ANSWER_TYPES = ("quantity", "count", "conversion")


class _RawItem(Protocol):
    kind: str
    data: dict[str, Any]

    def where(self, key: str | None = None) -> tuple[str, int]: ...


Report = Callable[[tuple[str, int], str], None]


def check_fairness(raw: _RawItem, items: Mapping[str, _RawItem], report: Report) -> None:
    """Report every problem with the fairness keys of one deck item."""
    if raw.kind == "term":
        _check_family(raw, report)
        _check_members(raw, items, report)
    elif raw.kind == "trap":
        _check_options_zh(raw, report)
        _check_accept(raw, report)
    elif raw.kind == "drill":
        _check_answer_type(raw, report)


def _check_family(raw: _RawItem, report: Report) -> None:
    family = raw.data.get("family")
    if family is not None and family not in FAMILIES:
        report(raw.where("family"), unknown_family_message(family))


def _check_members(raw: _RawItem, items: Mapping[str, _RawItem], report: Report) -> None:
    members = raw.data.get("members", [])
    for member in members:
        target = items.get(member)
        if target is None or target.kind != "term" or member == raw.data["id"]:
            report(raw.where("members"), f"member '{member}' is not another term of this deck")
        elif member == raw.data.get("twin"):
            report(raw.where("members"), f"member '{member}' is also the twin; an umbrella's "
                                         "member is never its look-alike distractor")
    if len(set(members)) != len(members):
        report(raw.where("members"), "a member is listed twice")
    twin = items.get(raw.data.get("twin", ""))
    if twin is not None and raw.data["id"] in twin.data.get("members", []):
        report(raw.where("twin"), f"twin '{twin.data['id']}' is the umbrella term this term belongs "
                                  "to; an umbrella is never its member's look-alike distractor")


def _check_options_zh(raw: _RawItem, report: Report) -> None:
    if "options_zh" not in raw.data:
        return
    options, options_zh = raw.data["options"], raw.data["options_zh"]
    if len(options_zh) != len(options):
        report(raw.where("options_zh"),
               f"options_zh must have as many entries as options ({len(options)}), has {len(options_zh)}")
        return
    seen: set[str] = set()
    for index, text in enumerate(options_zh):
        if text.strip() in seen:
            report(raw.where("options_zh"), f"options_zh entry '{text}' is listed twice")
        seen.add(text.strip())
        clash = [o for i, o in enumerate(options) if i != index and o.strip() == text.strip()]
        if clash:
            report(raw.where("options_zh"),
                   f"options_zh entry '{text}' is the English text of another option")


def _check_accept(raw: _RawItem, report: Report) -> None:
    accept = raw.data.get("accept", [])
    wrong = [o for o in raw.data["options"] if o != raw.data["answer"]]
    wrong += [z for o, z in zip(raw.data["options"], raw.data.get("options_zh", []), strict=False)
              if o != raw.data["answer"]]
    for spelling in accept:
        if spelling.strip() in {w.strip() for w in wrong}:
            report(raw.where("accept"), f"accepted spelling '{spelling}' is one of the wrong options")
    if len(set(accept)) != len(accept):
        report(raw.where("accept"), "an accepted spelling is listed twice")


def _check_answer_type(raw: _RawItem, report: Report) -> None:
    kind = raw.data.get("answer_type")
    if kind is not None and kind not in ANSWER_TYPES:
        extra = did_you_mean(kind, ANSWER_TYPES, f" (known: {', '.join(ANSWER_TYPES)})")
        report(raw.where("answer_type"), f"unknown answer_type '{kind}'{extra}")


def count_problem(answer: float) -> str | None:
    """A count drill's answer must be a whole number for every draw of its parameters."""
    if float(answer).is_integer():
        return None
    return f"answer_type 'count' needs a whole-number answer, got {answer:g}"
