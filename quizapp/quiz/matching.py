"""Is a typed answer right? Forgiving about form, strict about meaning.

Width (ＦＬＯＰＳ), spacing, punctuation, case and small typos in long answers are forgiven —
except where the card says case and units are the point (`exact`): there "FLOPS" is not "FLOPs"
and "Gb/s" is not "GB/s". A look-alike twin is never accepted, however close it is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_PUNCT = re.compile(r"[\s\-_·・,，.。:：;；!！?？'\"“”‘’()（）\[\]【】《》<>、]+")
_EXACT_NOISE = re.compile(r"[\s,，。:：;；!！?？\"“”‘’、]+")


def normalize(text: str, *, exact: bool = False) -> str:
    """Fold a typed answer to a comparable key. `exact` keeps case and unit punctuation."""
    text = unicodedata.normalize("NFKC", text).strip()
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


def match_text(given: str, accepted: Iterable[str], twins: Iterable[str] = (),
               *, exact: bool = False) -> Match:
    key = normalize(given, exact=exact)
    if not key:
        return Match(False)
    accepted = [a for a in accepted if a]
    twin_keys = {normalize(t, exact=exact) for t in twins if t}
    accepted_keys = {normalize(a, exact=exact): a for a in accepted}
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


def diff_spans(given: str, expected: str) -> list[tuple[str, bool]]:
    """Split `given` into (text, differs) runs against `expected`, to highlight e.g. FLOPS vs FLOPs."""
    from difflib import SequenceMatcher

    runs: list[tuple[str, bool]] = []
    for tag, i1, i2, _j1, _j2 in SequenceMatcher(a=given, b=expected, autojunk=False).get_opcodes():
        if i1 == i2:
            continue
        runs.append((given[i1:i2], tag != "equal"))
    return runs
