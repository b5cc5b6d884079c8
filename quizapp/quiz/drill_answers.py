"""What a drill accepts, by its answer type (`Drill.answer_type`):

* **count** — a whole number, exact: "how many sequences fit" has one right answer, the one the
  worked solution rounds to; one more or one less is wrong whatever the tolerance says.
* **quantity** — a number with a unit, within the drill's relative tolerance; any unit of the same
  dimension is converted (14 GB for a GiB drill is fine, and the verdict says how it was read).
* **conversion** — the point is the conversion, so the answer must be in the asked unit (or a bare
  number, which takes it): an answer in any other unit — typically the prompt's own value typed
  back — is not judged but answered with "give it in GiB".

Input that holds no readable number is not judged either: the learner is asked again. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass

from quizapp.deck.formulas import format_number
from quizapp.i18n import Translator
from quizapp.quiz.numbers import check_numeric, convert, parse_quantity, resolve_unit

COUNT, QUANTITY, CONVERSION = "count", "quantity", "conversion"

# Every sentence this module says, in one place (for the message catalogue).
UNREADABLE = "could not read a number — type e.g. “{example}” or “{example} {unit}”"
GIVE_IT_IN = "give it in {unit}: the question asks for the conversion"
COUNT_RIGHT = "correct: {value} {unit}, exactly"
COUNT_WRONG = "a count must be exact: you gave {value} {unit}, expected {expected} {unit}"
COUNT_WHOLE = "a count is a whole number: you gave {value} {unit}, expected {expected} {unit}"
HINT_COUNT = "a whole number of {unit}, exact"
HINT_CONVERSION = "in {unit} (the conversion is the question), within {tolerance}"
HINT_QUANTITY = "answer in {unit}, within {tolerance}"


@dataclass(frozen=True)
class DrillVerdict:
    correct: bool | None  # None: not an answer — say `message` and ask again
    message: str


def check_drill(text: str, expected: float, unit: str, tolerance: float,
                answer_type: str = QUANTITY) -> DrillVerdict:
    """Judge a typed drill answer by its answer type (see the module docstring)."""
    quantity = parse_quantity(text, hint=unit)
    if quantity is None:
        example = format_number(round(expected) if abs(expected) >= 10 else 1.5)
        return DrillVerdict(None, UNREADABLE.format(example=example, unit=unit).replace(" ”", "”"))
    target = resolve_unit(unit) or ""
    given_unit = resolve_unit(quantity.unit, unit) if quantity.unit else ""
    if answer_type == CONVERSION and given_unit not in ("", target):
        return DrillVerdict(None, GIVE_IT_IN.format(unit=unit))
    if answer_type == COUNT:
        value = quantity.value if not quantity.unit else convert(quantity, unit)
        if value is not None:
            return _count(value, expected, unit)
    numeric = check_numeric(text, expected, unit, tolerance)
    return DrillVerdict(numeric.correct, numeric.message)


def _count(value: float, expected: float, unit: str) -> DrillVerdict:
    shown, want = format_number(value), format_number(expected)
    if abs(value - expected) <= 1e-9 * max(1.0, abs(expected)):
        return DrillVerdict(True, COUNT_RIGHT.format(value=want, unit=unit))
    sentence = COUNT_WRONG if float(value).is_integer() else COUNT_WHOLE
    return DrillVerdict(False, sentence.format(value=shown, unit=unit, expected=want))


def drill_hint(unit: str, tolerance: float, answer_type: str = QUANTITY,
               t: Translator | None = None) -> str:
    """The line under a drill's prompt: what form of answer it takes (in `t`'s language)."""
    t = t or Translator("en")
    if answer_type == COUNT:
        return t(HINT_COUNT, unit=unit)
    template = HINT_CONVERSION if answer_type == CONVERSION else HINT_QUANTITY
    return t(template, unit=unit, tolerance=f"{tolerance:.0%}")
