"""Is a typed answer right? Forgiving about form, strict only where strictness is the lesson.

Forgiven everywhere: width (ＦＬＯＰＳ = FLOPS), spacing, punctuation, a leading "≈", "~",
"about" or "约", and the unit's other spelling (FLOP/s is FLOPS, FLOP is the count FLOPs).
Case is forgiven too ("hfu", "h100 pcie") — except where the answer and its look-alike differ
only by case ("FLOPS" / "FLOPs", "Gb/s" / "GB/s"): then the case is the point, and the verdict
says so ("case matters here: FLOPS is a rate, FLOPs a count"). Small typos in long answers are
forgiven unless the card is `exact`. A look-alike twin is never accepted, however close it is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_PUNCT = re.compile(r"[\s\-_·・,，.。:：;；!！?？'\"“”‘’()（）\[\]【】《》<>、]+")
_EXACT_NOISE = re.compile(r"[\s,，。:：;；!！?？\"“”‘’、]+")
_APPROX = re.compile(r"^(?:[≈~∼≃]|about\b|approx\.?|approximately\b|around\b|roughly\b|大约|约)\s*",
                     re.IGNORECASE)
_FLOP_RATE = re.compile(r"(?<![A-Za-z])([kKMGTPEZY]?)FLOPs?\s*/\s*s(?:ec)?\b", re.IGNORECASE)
_FLOP_COUNT = re.compile(r"(?<![A-Za-z])([kKMGTPEZY]?)FLOP(?![A-Za-z/])")


def _canonical(text: str) -> str:
    """Width, approximation marks and unit spellings folded; case and punctuation kept."""
    text = unicodedata.normalize("NFKC", text).strip()
    text = _APPROX.sub("", text)
    text = _FLOP_RATE.sub(lambda m: f"{m[1]}FLOPS", text)  # FLOP/s, flop/s: the rate
    return _FLOP_COUNT.sub(lambda m: f"{m[1]}FLOPs", text)  # FLOP (singular): the count


def normalize(text: str, *, exact: bool = False) -> str:
    """Fold a typed answer to a comparable key. `exact` keeps case and unit punctuation."""
    text = _canonical(text)
    if exact:
        return _EXACT_NOISE.sub("", text)
    return _PUNCT.sub("", text).casefold()


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance, giving up early once it exceeds `limit`.

    Equal strings answer at once: the table below is quadratic, and a long answer compared with
    itself would never give up early.
    """
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def typo_allowance(key: str) -> int:
    """Long answers forgive a slip; short ones (abbreviations) must be spelled right."""
    if len(key) >= 16:
        return 2
    if len(key) >= 8:
        return 1
    return 0


@dataclass(frozen=True)
class Match:
    correct: bool
    matched: str = ""  # the accepted spelling it matched
    typo: bool = False  # right, but with a slip worth pointing out
    twin: bool = False  # the learner gave the look-alike
    case: str = ""  # set when only the case tells the answer from its twin: what to say


def match_text(given: str, accepted: Iterable[str], twins: Iterable[str] = (),
               *, exact: bool = False) -> Match:
    accepted = [a for a in accepted if a]
    twins = [t for t in twins if t]
    strict = normalize(given, exact=True)
    if not strict:
        return Match(False)
    strict_accepted = {normalize(a, exact=True): a for a in accepted}
    if strict in strict_accepted:
        return Match(True, strict_accepted[strict])
    if strict in {normalize(t, exact=True) for t in twins}:
        return Match(False, twin=True)
    key = normalize(given)
    accepted_keys = _first_spellings(accepted)
    twin_keys = _first_spellings(twins)
    if key in accepted_keys and key in twin_keys:  # only the case tells them apart
        return Match(False, twin=True, case=case_note(accepted_keys[key], twin_keys[key]))
    if key in accepted_keys:
        return Match(True, accepted_keys[key])
    if key in twin_keys:
        return Match(False, twin=True)
    if exact:
        return Match(False)
    best: tuple[int, str] | None = None
    for akey, spelling in accepted_keys.items():
        distance = edit_distance(key, akey, typo_allowance(akey))
        if distance <= typo_allowance(akey) and (best is None or distance < best[0]):
            best = (distance, spelling)
    if best is None:
        return Match(False)
    # A slip must still be closer to the answer than to any look-alike.
    if any(edit_distance(key, t, best[0]) <= best[0] for t in twin_keys):
        return Match(False, twin=True)
    return Match(True, best[1], typo=True)


def _first_spellings(spellings: list[str]) -> dict[str, str]:
    """Loose key → the first spelling with it (the main one: "FLOPs" before "FLOP")."""
    keys: dict[str, str] = {}
    for spelling in spellings:
        keys.setdefault(normalize(spelling), spelling)
    return keys


CASE_MATTERS = "case matters here: {answer} is {what}, {twin} {twin_what}"
CASE_MATTERS_PLAIN = "case matters here: “{answer}” is not “{twin}”"


def case_note(answer: str, twin: str) -> str:
    """What separates two spellings that differ only by case, e.g. "case matters here: FLOPS is
    a rate, FLOPs a count"; the unit table says what each one is when it knows."""
    from quizapp.quiz.numbers import unit_kind

    what, twin_what = unit_kind(_canonical(answer)), unit_kind(_canonical(twin))
    if what and twin_what and what != twin_what:
        return CASE_MATTERS.format(answer=answer, what=what, twin=twin, twin_what=twin_what)
    return CASE_MATTERS_PLAIN.format(answer=answer, twin=twin)


def diff_spans(given: str, expected: str) -> list[tuple[str, bool]]:
    """Split `given` into (text, differs) runs against `expected`, to highlight e.g. FLOPS vs FLOPs."""
    from difflib import SequenceMatcher

    runs: list[tuple[str, bool]] = []
    for tag, i1, i2, _j1, _j2 in SequenceMatcher(a=given, b=expected, autojunk=False).get_opcodes():
        if i1 == i2:
            continue
        runs.append((given[i1:i2], tag != "equal"))
    return runs
