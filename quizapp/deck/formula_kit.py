"""What every estimation formula is built from: the registry, unit constants, readers for the
values a deck may write (precisions, bandwidths, ZeRO stages) and the one way numbers are shown.

The formulas themselves are in `quizapp.deck.formulas` (which re-exports all of this).
"""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from quizapp.deck.wording import LABELS, labels

GB = 1e9
GIB = 2**30
MIB = 2**20
KIB = 2**10
SECONDS_PER_DAY = 86_400
PF_DAY = 1e15 * SECONDS_PER_DAY  # 8.64×10^19 FLOPs
# mixed-precision Adam: 2 (16-bit weights) + 2 (16-bit grads) + 12 (FP32 master, momentum, variance)
ADAM_MIXED_BYTES = 16


@dataclass(frozen=True)
class Formula:
    name: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    func: Callable[..., dict[str, float]]
    unit: str = ""  # unit of `answer`


FORMULAS: dict[str, Formula] = {}


def formula(*, unit: str, outputs: tuple[str, ...]) -> Callable[[Callable], Callable]:
    """Register the decorated function in `FORMULAS` under its own name."""
    if "answer" not in outputs:
        raise ValueError("every formula must output 'answer'")

    def register(func: Callable[..., dict[str, float]]) -> Callable[..., dict[str, float]]:
        inputs = tuple(inspect.signature(func).parameters)
        extra = tuple(label for name in inputs for label in LABELS.get(name, ()))

        def checked(**params: object) -> dict[str, float]:
            result = func(**params)
            missing = set(outputs) - set(result)
            if missing:  # pragma: no cover - guards against editing mistakes
                raise RuntimeError(f"{func.__name__} did not return {sorted(missing)}")
            return {**result, **labels(params)}

        checked.__name__ = func.__name__
        checked.__doc__ = func.__doc__
        FORMULAS[func.__name__] = Formula(func.__name__, inputs, (*outputs, *extra), checked, unit)
        return func

    return register


# --------------------------------------------------------------------------- value helpers

BYTES_PER_PARAM = {
    "FP32": 4.0,
    "FP16": 2.0,
    "BF16": 2.0,
    "FP8": 1.0,
    "INT8": 1.0,
    "INT4": 0.5,
    "FP4": 0.5,
    "NF4": 0.5,
}


def bytes_per_value(precision: object) -> float:
    """Bytes per stored value: a precision name (case-insensitive) or a number of bytes."""
    if isinstance(precision, int | float) and not isinstance(precision, bool):
        return float(precision)
    key = str(precision).strip().upper().replace("-", "")
    if key in BYTES_PER_PARAM:
        return BYTES_PER_PARAM[key]
    raise ValueError(f"unknown precision {precision!r}")


_RATE = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*([KMGT])(B|b|bit)(?:/s|ps)\s*$")
_PREFIX = {"K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12}


def gb_per_s(rate: object) -> float:
    """A bandwidth in GB/s (bytes): from a number (already GB/s) or e.g. "400 Gb/s" (→ 50)."""
    if isinstance(rate, int | float) and not isinstance(rate, bool):
        return float(rate)
    m = _RATE.match(str(rate))
    if not m:
        raise ValueError(f"cannot read bandwidth {rate!r}; write e.g. '450 GB/s' or '400 Gb/s'")
    value, prefix, unit = float(m[1]), m[2], m[3]
    bytes_per_s = value * _PREFIX[prefix] / (1 if unit == "B" else 8)
    return bytes_per_s / GB


def rated_in_bits(rate: object) -> bool:
    """True for a bandwidth written in bits ("400 Gb/s"), whose conversion a solution must show."""
    m = _RATE.match(str(rate))
    return bool(m) and m[3] != "B"


_ZERO_STAGES = {"DP": 0, "DDP": 0, "NONE": 0, "ZERO0": 0, "ZERO1": 1, "ZERO2": 2, "ZERO3": 3}


def zero_stage(stage: object) -> int:
    """0 (plain data parallel), 1, 2 or 3, from a number or a name like "ZeRO-2" / "DP"."""
    if isinstance(stage, int) and not isinstance(stage, bool) and 0 <= stage <= 3:
        return stage
    key = re.sub(r"[\s\-_]", "", str(stage)).upper()
    if key in _ZERO_STAGES:
        return _ZERO_STAGES[key]
    raise ValueError(f"unknown ZeRO stage {stage!r}")


# --------------------------------------------------------------------------- formatting



def format_number(x: float) -> str:
    """Friendly rendering: 3 significant figures, thousands separators, 3.15×10^23 when huge/tiny.

    Whole numbers below 10^7 are shown exactly (2,048; 524,288) so that parameters are never
    rounded. `quizapp.quiz.numbers.parse_quantity` reads every form this produces.
    """
    if isinstance(x, bool):
        return str(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    a = abs(x)
    if a < 1e7 and float(a).is_integer():
        return f"{sign}{int(a):,}"
    d = Decimal(repr(float(a)))
    exp = d.adjusted()
    rounded = d.scaleb(-exp).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
    if rounded >= 10:  # 9.996 → 10.0
        exp += 1
        rounded = d.scaleb(-exp).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
    if exp >= 7 or exp <= -4:
        mant = _strip_zeros(f"{rounded:f}")
        return f"{sign}{mant}×10^{exp}"
    value = rounded.scaleb(exp)
    if exp >= 2:
        return f"{sign}{int(value):,}"
    return sign + _strip_zeros(f"{value:f}")


def show_value(value: object) -> object:
    """A drawn parameter or computed output as a drill's template shows it: numbers formatted by
    `format_number`, anything else (a precision name, a bandwidth string) as written."""
    if isinstance(value, float) or (isinstance(value, int) and not isinstance(value, bool)):
        return format_number(float(value))
    return value


def _strip_zeros(s: str) -> str:
    return s.rstrip("0").rstrip(".") if "." in s else s
